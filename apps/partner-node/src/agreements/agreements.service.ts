import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  createJwks,
  isProtocolError,
  pseudonymKeyInfo,
  subjectToken,
  type OkpPublicJwk,
  type SubjectKind,
  nowSeconds,
} from '#protocol';
import type { AgreementView } from '#federation-client';
import { LedgerService } from '#ledger';
import { ConflictError, NotFoundError, ValidationError } from '#platform/errors/app-errors';
import { paginate, type ConnectionShape } from '#platform/graphql/connection';
import { getLogger } from '#platform/logging/logger';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { LedgerKeyring } from '../ledger/ledger-keyring.js';
import { CustomerIdentifiersRepository } from '../customers/customer-identifiers.repository.js';
import { KeysService, type ActiveKeys } from '../keys/keys.service.js';
import { fromFederation } from '../network/federation-errors.js';
import { DirectoryMember, MemberStatus } from '../network/network.entities.js';
import { NetworkService, currentAgreementKey, type MemberEntry } from '../network/network.service.js';
import { RefusalsService } from '../network/refusals.service.js';
import {
  AgreementDirection,
  AgreementState,
  toProtocolCategories,
  toProtocolPurposes,
  type DataCategory,
  type Purpose,
} from './agreement.enums.js';
import { effectiveState } from './agreement-chain.js';
import { SharingAgreement } from './agreement.entity.js';
import { AgreementMirror } from './agreement-mirror.service.js';
import { agreementInForce } from './agreements.queries.js';

/** effectiveState moved to agreement-chain.ts (pure); importers of this file keep working. */
export { effectiveState };
import type { AgreementsArgs, ProposeAgreementInput } from './agreements.dto.js';
import { isUuid } from '#platform/validation/ids';

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

export interface SubjectTokenClaim {
  kind: SubjectKind;
  token: string;
  /** The pseudonym key's name: the agreement id. */
  keyId: string;
}

/**
 * Sharing agreements, partner-node side: propose, accept, terminate (each a message this node
 * signs and the federation records), and a local mirror of every agreement whose signed chain
 * verified under the members' keys. Each agreement has a pseudonym key that both parties derive,
 * X25519(own agreement key, partner's) + HKDF with the agreement id: the federation never holds it.
 */
@Injectable()
export class AgreementsService implements OnModuleInit {
  private readonly logger = getLogger().child({ context: 'agreements' });

  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly network: NetworkService,
    private readonly keys: KeysService,
    private readonly refusals: RefusalsService,
    private readonly ledger: LedgerService,
    private readonly keyring: LedgerKeyring,
    private readonly mirror: AgreementMirror,
    private readonly customerIdentifierRows: CustomerIdentifiersRepository,
  ) {}

  onModuleInit(): void {
    // Ledger exports carry the keys of the JWS embedded in entries (receipts, agreement messages):
    // this node's own keys (retired ones included) and the members' keys from the directory.
    this.keyring.setJwsKeySource(async () => {
      const own = await this.keys.allPublicKeys();
      const members = await this.dataSource.getRepository(DirectoryMember).find();
      const seen = new Set(own.keys.map((k) => k.kid));
      const keys: OkpPublicJwk[] = [...own.keys];
      for (const member of members) {
        for (const key of member.keys) {
          if (!seen.has(key.kid)) {
            seen.add(key.kid);
            keys.push(key.jwk);
          }
        }
      }
      return createJwks(keys);
    });
  }

  get partnerId(): string {
    return this.config.partnerId;
  }

  // ---- reads ---------------------------------------------------------------------------------

  async get(agreementId: string): Promise<SharingAgreement> {
    const found = await this.dataSource.getRepository(SharingAgreement).findOneBy({ agreementId });
    if (!found) throw new NotFoundError('Agreement', agreementId);
    return this.withCurrentState(found);
  }

  async list(args: AgreementsArgs): Promise<ConnectionShape<SharingAgreement>> {
    const query = this.dataSource.getRepository(SharingAgreement).createQueryBuilder('a');
    if (args.partnerId) query.andWhere('a.partner_id = :partnerId', { partnerId: args.partnerId });
    if (args.state) query.andWhere(stateSql('a'), { state: args.state });
    const page = await paginate(
      query,
      {
        column: 'a.created_at',
        value: (a) => a.createdAt,
        direction: 'DESC',
        idColumn: 'a.agreement_id',
        id: (a) => a.agreementId,
      },
      args,
    );
    page.nodes.forEach((a) => this.withCurrentState(a));
    return page;
  }

  /** The state now: accepted turns active at validFrom; anything not final expires at validUntil. */
  private withCurrentState(a: SharingAgreement): SharingAgreement {
    a.state = effectiveState(a.state, a.validFrom, a.validUntil, new Date());
    return a;
  }

  direction(a: SharingAgreement): AgreementDirection {
    if (a.direction === 'mutual') return AgreementDirection.MUTUAL;
    return a.partyA === this.partnerId ? AgreementDirection.OUTBOUND : AgreementDirection.INBOUND;
  }

  /**
   * An agreement that lets this node share with `recipient` now, for every purpose and category
   * given: accepted or active, within its validity, in the outbound (or mutual) direction.
   */
  async coveringAgreement(
    recipient: string,
    purposes: readonly Purpose[],
    categories: readonly DataCategory[],
  ): Promise<SharingAgreement | null> {
    return (await this.coveringAgreements([recipient], purposes, categories)).get(recipient) ?? null;
  }

  /**
   * `coveringAgreement` for several recipients in one statement: per recipient, the covering
   * agreement valid the longest (a recipient without one is missing from the answer).
   */
  async coveringAgreements(
    recipients: readonly string[],
    purposes: readonly Purpose[],
    categories: readonly DataCategory[],
  ): Promise<Map<string, SharingAgreement>> {
    const result = new Map<string, SharingAgreement>();
    if (recipients.length === 0) return result;
    const rows = await this.dataSource
      .getRepository(SharingAgreement)
      .createQueryBuilder('a')
      .where('a.partner_id = ANY (:recipients::text[])', { recipients: [...new Set(recipients)] })
      .andWhere(agreementInForce('a'))
      .andWhere(`(a.direction = 'mutual' OR a.party_a = :me)`, { me: this.partnerId })
      .andWhere('a.purposes @> :purposes::text[] AND a.categories @> :categories::text[]', {
        purposes,
        categories,
      })
      .orderBy('a.valid_until', 'DESC')
      .getMany();
    for (const row of rows) if (!result.has(row.partnerId)) result.set(row.partnerId, row);
    return result;
  }

  // ---- changes -------------------------------------------------------------------------------

  async propose(input: ProposeAgreementInput): Promise<SharingAgreement> {
    const anchor = await this.network.requireActiveMember();
    if (input.partnerId === this.partnerId) {
      throw new ValidationError('partnerId', 'must be another member than this node');
    }
    const partner = await this.network.member(input.partnerId);
    if (!partner || partner.status !== MemberStatus.ACTIVE) {
      throw new ValidationError('partnerId', 'is not an active member of the federation', {
        reason: 'PARTY_NOT_MEMBER',
      });
    }
    const now = nowSeconds();
    const validFrom = input.validFrom ? seconds(input.validFrom) : now;
    const validUntil = seconds(input.validUntil);
    if (validUntil <= now) throw new ValidationError('validUntil', 'must be in the future');
    if (validUntil <= validFrom) throw new ValidationError('validUntil', 'must be after validFrom');
    const parties: [string, string] =
      input.direction === AgreementDirection.INBOUND
        ? [input.partnerId, this.partnerId]
        : [this.partnerId, input.partnerId];
    const agreementId = `agr-${randomUUID()}`;
    const jws = await this.keys.sign('agreement', {
      iss: this.partnerId,
      aud: [input.partnerId, anchor.federationId],
      iat: now,
      // The terms stay verifiable for as long as they are valid.
      exp: validUntil,
      agreementId,
      version: 1,
      parties,
      direction: input.direction === AgreementDirection.MUTUAL ? 'mutual' : 'one-way',
      purposes: toProtocolPurposes(input.purposes),
      categories: toProtocolCategories(input.categories),
      retentionDays: input.retentionDays,
      minCohortSize: input.minCohortSize,
      ...(input.mergeBuckets?.length ? { mergeBuckets: input.mergeBuckets } : {}),
      validFrom,
      validUntil,
    });
    let view: AgreementView;
    try {
      view = await this.network.client().proposeAgreement(jws);
    } catch (error) {
      throw fromFederation(error, 'the agreement');
    }
    await this.mirror.store(view);
    this.logger.info({ agreementId, partnerId: input.partnerId }, 'agreement proposed');
    return this.get(agreementId);
  }

  async accept(agreementId: string): Promise<SharingAgreement> {
    const current = await this.refreshOne(agreementId);
    if (current.proposer === this.partnerId) {
      throw new ConflictError('Only the partner that did not propose accepts', { reason: 'WRONG_PARTY' });
    }
    if (current.state !== AgreementState.PROPOSED) {
      throw new ConflictError(`The agreement is ${current.state}, not proposed`, {
        reason: 'STATE_MISMATCH',
      });
    }
    return this.transition(current, AgreementState.ACCEPTED);
  }

  async terminate(agreementId: string, reason?: string): Promise<SharingAgreement> {
    const current = await this.refreshOne(agreementId);
    if (current.state === AgreementState.TERMINATED || current.state === AgreementState.EXPIRED) {
      throw new ConflictError(`The agreement is already ${current.state}`, {
        reason: 'TRANSITION_NOT_ALLOWED',
      });
    }
    return this.transition(current, AgreementState.TERMINATED, reason);
  }

  private async transition(
    a: SharingAgreement,
    to: AgreementState,
    reason?: string,
  ): Promise<SharingAgreement> {
    const anchor = await this.network.requireActiveMember();
    const now = nowSeconds();
    const jws = await this.keys.sign('agreement-transition', {
      iss: this.partnerId,
      aud: [a.partnerId, anchor.federationId],
      iat: now,
      exp: Math.max(seconds(a.validUntil), now + 3600),
      agreementId: a.agreementId,
      version: a.version,
      agreementHash: a.agreementHash,
      from: a.state,
      to,
      ...(reason ? { reason } : {}),
    });
    let view: AgreementView;
    try {
      view = await this.network.client().transitionAgreement(a.agreementId, jws);
    } catch (error) {
      throw fromFederation(error, `the ${to} transition`);
    }
    await this.mirror.store(view);
    this.logger.info({ agreementId: a.agreementId, to }, 'agreement transition signed');
    return this.get(a.agreementId);
  }

  /** Pulls this node's agreements from the federation and mirrors those whose chains verify. */
  refresh(): Promise<{ agreements: number; refused: number }> {
    return this.mirror.refresh();
  }

  private async refreshOne(agreementId: string): Promise<SharingAgreement> {
    await this.refresh();
    return this.get(agreementId);
  }

  // ---- pseudonyms ----------------------------------------------------------------------------

  /**
   * The agreement's pseudonym key: X25519(this node's agreement key, the partner's from the
   * verified directory) + HKDF-SHA256, info = pseudonymKeyInfo(agreement id, both parties). Both
   * parties derive the same key; it is never stored, logged or sent.
   */
  async pseudonymKey(agreementId: string): Promise<Uint8Array> {
    const agreement = await this.get(agreementId);
    const theirs = await this.network.agreementKeyOf(agreement.partnerId);
    return this.keys.sharedSecret(
      theirs,
      pseudonymKeyInfo(agreementId, [agreement.partyA, agreement.partyB]),
    );
  }

  /**
   * The customer's subject tokens under an agreement's pseudonym key: one per e-mail address and
   * phone number (normalised by the protocol library). Identifiers that cannot be normalised are
   * skipped (counted, never logged).
   */
  async subjectTokensFor(customerId: string, agreementId: string): Promise<SubjectTokenClaim[]> {
    return this.subjectTokensOf(customerId, await this.customerIdentifiers(customerId), agreementId);
  }

  /** `subjectTokensFor` with the customer's identifiers already read (one read for all recipients). */
  async subjectTokensOf(
    customerId: string,
    identifiers: readonly { kind: SubjectKind; value: string }[],
    agreementId: string,
  ): Promise<SubjectTokenClaim[]> {
    return this.subjectTokensUnder(
      customerId,
      identifiers,
      agreementId,
      await this.pseudonymKey(agreementId),
    );
  }

  /**
   * `pseudonymKey` from rows the caller has just read (the covering agreement, its partner's
   * verified directory entry) and the active keys it read for the call: no read of its own. The
   * partner must be an active member announcing an agreement key (as `agreementKeyOf` checks).
   */
  pseudonymKeyFrom(
    agreement: SharingAgreement,
    partner: MemberEntry | undefined,
    keys: ActiveKeys,
  ): Uint8Array {
    const theirs = currentAgreementKey(agreement.partnerId, partner);
    return keys.sharedSecret(
      theirs,
      pseudonymKeyInfo(agreement.agreementId, [agreement.partyA, agreement.partyB]),
    );
  }

  /** `subjectTokensOf` under a pseudonym key already derived (`pseudonymKeyFrom`). */
  subjectTokensUnder(
    customerId: string,
    identifiers: readonly { kind: SubjectKind; value: string }[],
    agreementId: string,
    key: Uint8Array,
  ): SubjectTokenClaim[] {
    const tokens: SubjectTokenClaim[] = [];
    let skipped = 0;
    for (const { kind, value } of identifiers) {
      try {
        tokens.push({ kind, token: subjectToken(key, kind, value), keyId: agreementId });
      } catch (error) {
        if (!isProtocolError(error, 'INVALID_IDENTIFIER')) throw error;
        skipped += 1;
      }
    }
    if (skipped > 0)
      this.logger.warn({ customerId, skipped }, 'identifiers that cannot be normalised were skipped');
    const unique = new Map(tokens.map((t) => [`${t.kind}:${t.token}`, t]));
    return [...unique.values()];
  }

  /**
   * `customerIdentifiers` for many customers (the customers module's reads): live customers only
   * (an id missing from the answer is unknown or deleted), identifiers in the same order.
   */
  customerIdentifiersMany(
    customerIds: readonly string[],
  ): Promise<Map<string, { kind: SubjectKind; value: string }[]>> {
    return this.customerIdentifierRows.identifiersOf([...new Set(customerIds.filter(isUuid))]);
  }

  /** The customer's e-mail addresses and phone numbers (the customers module's reads). */
  async customerIdentifiers(
    customerId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<{ kind: SubjectKind; value: string }[]> {
    if (!isUuid(customerId)) throw new NotFoundError('Customer', customerId);
    const found = await this.customerIdentifierRows.identifiersOfOne(customerId, manager);
    if (!found) throw new NotFoundError('Customer', customerId);
    return found;
  }
}

/** SQL for "the effective state of a is :state" (see effectiveState). */
function stateSql(a: string): string {
  return `(CASE
    WHEN ${a}.state IN ('terminated','expired') THEN ${a}.state
    WHEN ${a}.valid_until <= now() THEN 'expired'
    WHEN ${a}.state = 'accepted' AND ${a}.valid_from <= now() THEN 'active'
    ELSE ${a}.state END) = :state`;
}
