import {
  importPublicJwk,
  jwksKeyResolver,
  verifyMessage,
  type Jwks,
  type MembershipStatement,
  type KeyResolver,
  type MessageExpectations,
  type MessageKind,
  type VerifiedMessage,
} from '#protocol';
import { verifyMembershipStatement, type FederationClient } from './client.js';
import type { DirectoryEntry, EntityStatementClaims, MemberStatusValue } from './contract.js';
import type { FederationRefusalReason } from './errors.js';

/**
 * The rule every verifier applies after the signature checks out, with the directory's view of
 * the signer (the federation applies the very same function):
 * - a suspended or removed member's signatures verify nowhere;
 * - nothing verifies after the membership term (the last statement's exp);
 * - a key that left the key set (`retiresAt`) verifies only what was signed (iat) before then.
 */
export function keyUseRefusal(
  member: { status: MemberStatusValue; validUntil: number },
  key: { retiresAt?: number | null },
  iat: number,
  now: number,
): FederationRefusalReason | undefined {
  if (member.status === 'suspended') return 'MEMBER_SUSPENDED';
  if (member.status === 'removed') return 'MEMBER_REMOVED';
  if (member.validUntil <= now) return 'STATEMENT_EXPIRED';
  if (key.retiresAt !== undefined && key.retiresAt !== null && iat >= key.retiresAt) return 'KEY_RETIRED';
  return undefined;
}

/**
 * Why a directory entry is not what its (verified) membership statement vouches for, or undefined
 * when it is: the same member, status, name and endpoint; every key named by its thumbprint; every
 * key that signs today (current, retiring) in the statement's `jwks`, and every historical key in
 * its `historicalKeys` with the same retirement time, so that no unsigned data decides which old
 * signatures still verify.
 */
export function statementMismatch(entry: DirectoryEntry, statement: MembershipStatement): string | undefined {
  if (
    statement.sub !== entry.partnerId ||
    statement.status !== entry.status ||
    statement.name !== entry.name ||
    statement.endpoint !== entry.endpoint
  ) {
    return `directory entry ${entry.partnerId} differs from its statement`;
  }
  const signing = new Set(statement.jwks.keys.map((key) => key.kid));
  const retiredAt = new Map((statement.historicalKeys ?? []).map((h) => [h.jwk.kid, h.retiredAt]));
  for (const key of entry.keys) {
    let kid: string | undefined;
    try {
      kid = importPublicJwk(key.jwk).kid;
    } catch {
      // reported below
    }
    if (kid !== key.kid) return `key ${key.kid} is not named by its thumbprint`;
    if (entry.status !== 'active') continue;
    if (key.state === 'historical') {
      if (retiredAt.get(key.kid) !== key.retiresAt) {
        return `historical key ${key.kid} is not vouched for, with its retirement time, by the statement`;
      }
    } else if (!signing.has(key.kid)) {
      return `key ${key.kid} is not vouched for by the statement`;
    }
  }
  return undefined;
}

/** A signature refused by the directory rule (see keyUseRefusal); `code` is the reason. */
export class DirectoryRefusalError extends Error {
  override readonly name = 'DirectoryRefusalError';
  constructor(
    readonly code: FederationRefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/** When each historical federation key was retired, by kid, from the entity statement's `keys`. */
export function federationKeyRetirements(keys: EntityStatementClaims['keys']): Map<string, number> {
  const retired = new Map<string, number>();
  for (const key of keys) {
    if (key.status === 'historical' && key.retiredAt !== undefined) retired.set(key.kid, key.retiredAt);
  }
  return retired;
}

/**
 * The federation's keys as a KeyResolver, with the rule that member keys follow too: a retired
 * (historical) key verifies only what the federation signed with it (`iat`) before retiring it.
 * Old statements and results stay verifiable; a retired key that leaked signs nothing new that a
 * node accepts. The `iat` is read before the signature is checked, but deciding on it early only
 * refuses sooner: a message it lets through must still verify under the key.
 */
export function federationKeyResolver(jwks: Jwks, retiredAt: ReadonlyMap<string, number>): KeyResolver {
  const findKey = jwksKeyResolver(jwks);
  return (kid, context) => {
    const retired = retiredAt.get(kid);
    if (retired !== undefined) {
      const iat = context.claims.iat;
      if (typeof iat !== 'number' || iat >= retired) {
        throw new DirectoryRefusalError(
          'KEY_RETIRED',
          `federation key ${kid} was retired at ${retired}: it verifies only what it signed before`,
        );
      }
    }
    return findKey(kid, context);
  };
}

/**
 * The member directory as a partner node uses it to verify what other members sign: load it from
 * the federation (statements verified against the federation's keys), then `verify()` messages.
 * Reload it often (or on UNKNOWN_KEY): suspension and rotation show up at the next load.
 */
export class MemberDirectory {
  private readonly byId: Map<string, DirectoryEntry>;

  constructor(
    readonly federationId: string,
    entries: readonly DirectoryEntry[],
  ) {
    this.byId = new Map(entries.map((entry) => [entry.partnerId, entry]));
  }

  static async load(client: FederationClient, options: { trustedKids?: readonly string[] } = {}) {
    const { claims } = await client.entityStatement(options);
    const entries = await client.members();
    const federationKeys = federationKeyResolver(claims.jwks, federationKeyRetirements(claims.keys));
    for (const entry of entries) {
      const statement = await verifyMembershipStatement(entry.statement, federationKeys, claims.iss);
      const mismatch = statementMismatch(entry, statement);
      if (mismatch) throw new Error(mismatch);
    }
    return new MemberDirectory(claims.iss, entries);
  }

  entry(partnerId: string): DirectoryEntry | undefined {
    return this.byId.get(partnerId);
  }

  /** Finds a key only in the JWKS of the issuer the message claims. */
  resolver(): KeyResolver {
    return (kid, { issuer }) => {
      if (issuer === undefined) return undefined;
      return this.byId.get(issuer)?.keys.find((key) => key.kid === kid)?.jwk;
    };
  }

  /** verifyMessage with this directory's keys, then the directory rule (suspension, retirement…). */
  async verify<K extends MessageKind>(
    kind: K,
    jws: string,
    expectations: MessageExpectations,
  ): Promise<VerifiedMessage<K>> {
    const verified = await verifyMessage(kind, jws, this.resolver(), expectations);
    const entry = this.byId.get(verified.claims.iss) as DirectoryEntry;
    const key = entry.keys.find((candidate) => candidate.kid === verified.header.kid)!;
    const now = expectations.now ?? Math.floor(Date.now() / 1000);
    const reason = keyUseRefusal(entry, key, verified.claims.iat, now);
    if (reason) throw new DirectoryRefusalError(reason, `${kind} from ${entry.partnerId} refused: ${reason}`);
    return verified;
  }
}
