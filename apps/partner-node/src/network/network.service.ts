import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, Not, type EntityManager } from 'typeorm';
import {
  isProtocolError,
  type Jwks,
  type KeyResolver,
  type MessageExpectations,
  type MessageKind,
  type VerifiedMessage,
  type X25519PublicJwk,
} from '#protocol';
import {
  FederationClient,
  MemberDirectory,
  federationKeyResolver,
  federationKeyRetirements,
  statementMismatch,
  verifyMembershipStatement,
  type DirectoryEntry,
  type EntityStatementResponse,
} from '#federation-client';
import { ConflictError, NotFoundError, RefusedMessageError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { KeysService } from '../keys/keys.service.js';
import { federationNotConfigured, fromFederation, isUnavailable } from './federation-errors.js';
import { DirectoryMember, MemberStatus, MembershipStatus, NetworkMembership } from './network.entities.js';
import { RefusalsService } from './refusals.service.js';

/** What the checks of a recipient read of its verified directory entry. */
export type MemberEntry = Pick<DirectoryMember, 'partnerId' | 'status' | 'keys'>;

/** How long a cached directory is used before a read refreshes it. */
const DIRECTORY_MAX_AGE_MS = 30_000;

export interface TrustAnchor {
  federationId: string;
  jwks: Jwks;
  /** Resolves the federation's keys, a retired one only for what it signed before retiring. */
  resolveKey: KeyResolver;
}

function trustAnchorOf(federationId: string, jwks: Jwks, retirements: Record<string, number>): TrustAnchor {
  return {
    federationId,
    jwks,
    resolveKey: federationKeyResolver(jwks, new Map(Object.entries(retirements))),
  };
}

/**
 * Membership of the federation at FEDERATION_URL (invariant 2): the self-signed application, its
 * status, the member directory (every entry's membership statement verified against the
 * federation's keys, pinned at first contact, before it is cached); applying and key rotation are MembershipChangesService. The
 * directory also verifies what other members sign (MemberDirectory.verify: kid only among the
 * issuer's keys, then suspension, term and retired keys). Every refused incoming message is recorded.
 */
@Injectable()
export class NetworkService {
  private readonly logger = getLogger().child({ context: 'network' });
  private clientInstance: FederationClient | undefined;

  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: KeysService,
    private readonly refusals: RefusalsService,
  ) {}

  get partnerId(): string {
    return this.config.partnerId;
  }

  get configured(): boolean {
    return this.config.federationUrl !== undefined;
  }

  client(): FederationClient {
    if (!this.config.federationUrl) throw federationNotConfigured();
    this.clientInstance ??= new FederationClient({ baseUrl: this.config.federationUrl });
    return this.clientInstance;
  }

  /** Inside a transaction pass its manager: the embedded database has a single connection. */
  membershipRow(manager: EntityManager = this.dataSource.manager): Promise<NetworkMembership | null> {
    return manager.getRepository(NetworkMembership).findOneBy({ singleton: true });
  }

  // ---- trust anchor --------------------------------------------------------------------------

  /** The federation's id and keys, as pinned at first contact. */
  async trustAnchor(): Promise<TrustAnchor> {
    const row = await this.membershipRow();
    if (row && row.federationUrl === this.client().baseUrl) {
      return trustAnchorOf(row.federationId, row.federationJwks, row.federationKeyRetirements);
    }
    return this.refreshTrust();
  }

  /**
   * Reads and verifies the federation's entity statement. The first one is trusted on first use
   * and its signing kids are pinned; later ones must be signed by a pinned kid, or by a key that
   * the federation's rotation statements lead to from a pinned one (each signed by the key it
   * replaces): the node then pins the new key itself, no admin step. A statement that does not
   * verify, or a rotation chain that does not, is refused and recorded.
   */
  async refreshTrust(
    fetched?: Pick<EntityStatementResponse, 'statement' | 'rotations'>,
  ): Promise<TrustAnchor> {
    const client = this.client();
    const row = await this.membershipRow();
    const known = row && row.federationUrl === client.baseUrl ? row : undefined;
    const pinned = known
      ? {
          federationId: known.federationId,
          keys: known.federationJwks.keys.filter((key) => known.federationKids.includes(key.kid)),
        }
      : undefined;
    let verified: Awaited<ReturnType<FederationClient['entityStatement']>>;
    try {
      verified = fetched
        ? await client.acceptEntityStatement(fetched, pinned ? { pinned } : {})
        : await client.entityStatement(pinned ? { pinned } : {});
    } catch (error) {
      if (isUnavailable(error)) throw fromFederation(error, 'the entity statement');
      throw await this.refusals.refuse(error, 'entity-statement', 'federation', fetched?.statement);
    }
    const { claims } = verified;
    if (known && known.federationId !== claims.iss) {
      throw await this.refusals.refuse(
        new RefusedMessageError('WRONG_ISSUER', `the federation now calls itself ${claims.iss}`),
        'entity-statement',
        'federation',
        verified.statement,
      );
    }
    // Pinned from now on: the keys reached that still sign or are announced to (not historical).
    const live = new Set(claims.keys.filter((k) => k.status !== 'historical').map((k) => k.kid));
    const kids = verified.trustedKids
      ? verified.trustedKids.filter((kid) => live.has(kid))
      : claims.keys.filter((k) => k.status === 'current').map((k) => k.kid);
    const retirements = Object.fromEntries(federationKeyRetirements(claims.keys));
    await this.dataSource.query(
      `INSERT INTO network_membership
         (singleton, federation_url, federation_id, federation_jwks, federation_kids, federation_key_retirements)
       VALUES (true, $1, $2, $3, $4, $5)
       ON CONFLICT (singleton) DO UPDATE SET federation_url = $1, federation_id = $2, federation_jwks = $3,
         federation_kids = $4, federation_key_retirements = $5, updated_at = now()`,
      [client.baseUrl, claims.iss, JSON.stringify(claims.jwks), kids, JSON.stringify(retirements)],
    );
    if (known && kids.some((kid) => !known.federationKids.includes(kid))) {
      this.logger.info({ kids }, 'followed a federation key rotation');
    }
    return trustAnchorOf(claims.iss, claims.jwks, retirements);
  }

  /**
   * Runs a check of something the federation signed under the trust anchor; when the key is
   * unknown (the federation rotated since), trust is refreshed once (following the rotation) and
   * the check runs again.
   */
  async withFederationKeys<T>(check: (anchor: TrustAnchor) => Promise<T>): Promise<T> {
    try {
      return await check(await this.trustAnchor());
    } catch (error) {
      if (!isProtocolError(error, 'UNKNOWN_KEY') || !this.configured) throw error;
      return check(await this.refreshTrust());
    }
  }

  // ---- membership ----------------------------------------------------------------------------

  /** The membership as the federation sees it now (falls back to the stored one when it is unreachable). */
  async membership(options: { refresh: boolean } = { refresh: true }): Promise<NetworkMembership | null> {
    if (!options.refresh || !this.configured) return this.membershipRow();
    try {
      return await this.refreshMembership();
    } catch (error) {
      if (isUnavailable(error)) return this.membershipRow();
      throw error;
    }
  }

  async refreshMembership(): Promise<NetworkMembership | null> {
    const row = await this.membershipRow();
    if (!row || row.status === MembershipStatus.NOT_APPLIED || row.status === MembershipStatus.REJECTED)
      return row;
    const client = this.client();
    if (row.status === MembershipStatus.PENDING) {
      let application: Awaited<ReturnType<FederationClient['application']>>;
      try {
        application = await client.application(row.applicationId as string);
      } catch (error) {
        throw fromFederation(error, 'the application status');
      }
      if (application.status === 'rejected') {
        await this.setStatus(MembershipStatus.REJECTED);
        return this.membershipRow();
      }
      if (application.status === 'pending') return row;
    }
    await this.refreshDirectory();
    return this.membershipRow();
  }

  private async setStatus(status: MembershipStatus): Promise<void> {
    await this.dataSource.getRepository(NetworkMembership).update({ singleton: true }, { status });
  }

  /** Fails unless this node is an active member (what proposing, accepting, registering need). */
  async requireActiveMember(): Promise<TrustAnchor> {
    let row = await this.membershipRow();
    if (row?.status === MembershipStatus.PENDING) row = await this.refreshMembership();
    if (row?.status !== MembershipStatus.ACTIVE) {
      throw new ConflictError('This node is not an active member of the federation', {
        reason: 'NOT_A_MEMBER',
        status: row?.status ?? MembershipStatus.NOT_APPLIED,
      });
    }
    return trustAnchorOf(row.federationId, row.federationJwks, row.federationKeyRetirements);
  }

  // ---- directory -----------------------------------------------------------------------------

  /**
   * Fetches the member directory and caches the entries whose statements verify. A refused entry
   * is recorded and dropped from the cache (its member is then unknown here).
   */
  async refreshDirectory(): Promise<{ members: number; refused: number }> {
    // The federation's keys first: a rotation it announced is followed before its key signs.
    const anchor = await this.refreshTrust();
    let entries: DirectoryEntry[];
    try {
      entries = await this.client().members();
    } catch (error) {
      throw fromFederation(error, 'the member directory');
    }
    const accepted: DirectoryEntry[] = [];
    let refused = 0;
    for (const entry of entries) {
      try {
        await this.verifyEntry(entry, anchor);
        accepted.push(entry);
      } catch (error) {
        refused += 1;
        const result = await this.refusals.refuse(
          error,
          'membership-statement',
          'directory',
          entry.statement,
        );
        if (!(result instanceof RefusedMessageError)) throw result;
      }
    }
    await this.dataSource.transaction(async (m) => {
      const ids = accepted.map((e) => e.partnerId);
      await m.delete(DirectoryMember, ids.length ? { partnerId: Not(In(ids)) } : {});
      const fetchedAt = new Date();
      for (const entry of accepted) {
        await m.upsert(
          DirectoryMember,
          {
            partnerId: entry.partnerId,
            name: entry.name,
            endpoint: entry.endpoint,
            status: entry.status as MemberStatus,
            statement: entry.statement,
            validUntil: new Date(entry.validUntil * 1000),
            keys: entry.keys,
            fetchedAt,
          },
          ['partnerId'],
        );
      }
      const own = accepted.find((e) => e.partnerId === this.partnerId);
      const row = await m.findOneBy(NetworkMembership, { singleton: true });
      const patch: Partial<NetworkMembership> = { directoryRefreshedAt: fetchedAt };
      if (own && row && row.status !== MembershipStatus.NOT_APPLIED) {
        Object.assign(patch, {
          status: own.status as unknown as MembershipStatus,
          membershipStatement: own.statement,
          validUntil: new Date(own.validUntil * 1000),
        });
      }
      await m.update(NetworkMembership, { singleton: true }, patch);
    });
    return { members: accepted.length, refused };
  }

  /** Verifies one directory entry: its statement under the federation's keys, and that it matches. */
  async verifyEntry(entry: DirectoryEntry, anchor: TrustAnchor): Promise<void> {
    const claims = await verifyMembershipStatement(entry.statement, anchor.resolveKey, anchor.federationId);
    const mismatch = statementMismatch(entry, claims);
    if (mismatch) throw new RefusedMessageError('STATEMENT_MISMATCH', mismatch);
  }

  /** The cached directory, refreshed when older than 30 s (or when asked). */
  async directory(options: { maxAgeMs?: number } = {}): Promise<DirectoryMember[]> {
    if (this.configured) {
      const row = await this.membershipRow();
      const age = row?.directoryRefreshedAt ? Date.now() - row.directoryRefreshedAt.getTime() : Infinity;
      if (age > (options.maxAgeMs ?? DIRECTORY_MAX_AGE_MS)) {
        try {
          await this.refreshDirectory();
        } catch (error) {
          if (!isUnavailable(error)) throw error;
          this.logger.warn('federation unreachable: the cached member directory is used');
        }
      }
    }
    return this.dataSource.getRepository(DirectoryMember).find({ order: { partnerId: 'ASC' } });
  }

  /** One member's verified entry; refreshes the directory once when the member is not cached. */
  async member(partnerId: string): Promise<DirectoryMember | null> {
    const repo = this.dataSource.getRepository(DirectoryMember);
    const cached = await repo.findOneBy({ partnerId });
    if (cached || !this.configured) return cached;
    try {
      await this.refreshDirectory();
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      return null;
    }
    return repo.findOneBy({ partnerId });
  }

  /**
   * `requireActiveMember` and `membersOf(partnerIds)` in one statement (what giving a consent
   * checks first): the membership must be active, the entries are the verified directory's. Falls
   * back to the two reads (and their refreshes) when the membership is not active or an entry is
   * not cached.
   */
  async activeMembershipWith(
    partnerIds: readonly string[],
  ): Promise<{ anchor: TrustAnchor; members: Map<string, MemberEntry> }> {
    const ids = [...new Set(partnerIds)];
    const [row] = (await this.dataSource.query(
      `SELECT m.status, m.federation_id, m.federation_jwks, m.federation_key_retirements,
              (SELECT coalesce(json_agg(json_build_object('partnerId', d.partner_id, 'status', d.status, 'keys', d.keys)), '[]'::json)
                 FROM directory_member d WHERE d.partner_id = ANY ($1::text[])) AS members
         FROM network_membership m WHERE m.singleton`,
      [ids],
    )) as {
      status: MembershipStatus;
      federation_id: string;
      federation_jwks: Jwks;
      federation_key_retirements: Record<string, number>;
      members: MemberEntry[];
    }[];
    if (row?.status !== MembershipStatus.ACTIVE) {
      const anchor = await this.requireActiveMember();
      return { anchor, members: await this.membersOf(ids) };
    }
    const anchor = trustAnchorOf(row.federation_id, row.federation_jwks, row.federation_key_retirements);
    const members = new Map(row.members.map((m) => [m.partnerId, m] as const));
    if (members.size === ids.length || !this.configured) return { anchor, members };
    return { anchor, members: await this.membersOf(ids) };
  }

  /**
   * `member` for several partners: one read of the cached entries; the directory is refreshed once
   * when any of them is not cached. A partner missing from the answer is unknown here.
   */
  async membersOf(partnerIds: readonly string[]): Promise<Map<string, DirectoryMember>> {
    const repo = this.dataSource.getRepository(DirectoryMember);
    const ids = [...new Set(partnerIds)];
    const read = async (): Promise<Map<string, DirectoryMember>> =>
      new Map(
        ids.length === 0
          ? []
          : (await repo.findBy({ partnerId: In(ids) })).map((m) => [m.partnerId, m] as const),
      );
    const found = await read();
    if (found.size === ids.length || !this.configured) return found;
    try {
      await this.refreshDirectory();
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      return found;
    }
    return read();
  }

  /** The partner's current X25519 agreement key, from its verified directory entry. */
  async agreementKeyOf(partnerId: string): Promise<X25519PublicJwk> {
    return currentAgreementKey(partnerId, await this.member(partnerId));
  }

  /**
   * Verifies a message signed by a member (this node included) with the directory's keys and
   * rule; on an unknown key the directory is refreshed once. A refusal is recorded and thrown as
   * RefusedMessageError carrying the code.
   */
  async verifyMemberMessage<K extends MessageKind>(
    kind: K,
    jws: string,
    expectations: MessageExpectations,
    source: string,
  ): Promise<VerifiedMessage<K>> {
    const anchor = await this.trustAnchor();
    for (let attempt = 0; ; attempt += 1) {
      const rows = await this.dataSource.getRepository(DirectoryMember).find();
      const directory = new MemberDirectory(
        anchor.federationId,
        rows.map((r) => ({
          partnerId: r.partnerId,
          name: r.name,
          endpoint: r.endpoint,
          status: r.status,
          statement: r.statement,
          validUntil: Math.floor(r.validUntil.getTime() / 1000),
          keys: r.keys,
        })),
      );
      try {
        return await directory.verify(kind, jws, expectations);
      } catch (error) {
        if (attempt === 0 && isProtocolError(error, 'UNKNOWN_KEY')) {
          try {
            await this.refreshDirectory();
            continue;
          } catch (refresh) {
            if (!isUnavailable(refresh)) throw refresh;
          }
        }
        throw await this.refusals.refuse(error, kind, source, jws);
      }
    }
  }

  /** This node's latest verified membership statement (for consent receipt exports). */
  async ownStatement(): Promise<string> {
    const row = await this.membershipRow();
    if (!row?.membershipStatement) throw new NotFoundError('MembershipStatement', this.partnerId);
    return row.membershipStatement;
  }
}

/**
 * A member's current X25519 agreement key, from its verified directory entry (`member` as read):
 * refused unless the member is active and announces one.
 */
export function currentAgreementKey(
  partnerId: string,
  member: MemberEntry | null | undefined,
): X25519PublicJwk {
  if (!member || member.status !== MemberStatus.ACTIVE) {
    throw new ConflictError(`${partnerId} is not an active member of the federation`, {
      reason: 'PARTY_NOT_MEMBER',
      partnerId,
    });
  }
  const key = member.keys
    .filter((k) => k.jwk.crv === 'X25519' && k.state === 'current')
    .sort((a, b) => b.addedAt - a.addedAt)[0];
  if (!key)
    throw new ConflictError(`${partnerId} announces no agreement key`, { reason: 'NO_AGREEMENT_KEY' });
  return key.jwk as X25519PublicJwk;
}
