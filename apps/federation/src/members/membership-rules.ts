/**
 * The membership's pure rules (no database): what a membership statement says and how long it
 * lives, when the directory re-issues it, which keys the directory lists, and the key set an
 * application or a rotation must carry. Unit tests: membership-rules.unit.spec.ts.
 */
import type { Jwks } from '#protocol';
import type { DirectoryKey } from '#federation-client';
import { RefusedMessageError } from '#platform/errors/app-errors';
import {
  MemberKeyState,
  MemberStatus,
  memberKeyState,
  type Member,
  type MemberKey,
} from './member.entity.js';

/** A date in epoch seconds (rounded down). */
export const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** An application or a rotation must carry an Ed25519 signing key. */
export function checkSigningKey(jwks: Jwks): void {
  if (!jwks.keys.some((key) => key.crv === 'Ed25519')) {
    throw new RefusedMessageError('NO_SIGNING_KEY', 'the key set holds no Ed25519 signing key');
  }
}

/**
 * When a statement issued `now` expires: after `ttlSeconds` at most, never past the membership
 * term, and never past the end of a retiring key's grace period (so no statement vouches for a
 * retired key).
 */
export function plannedStatementExpiry(
  validUntil: Date,
  keys: readonly Pick<MemberKey, 'revokedAt' | 'retiresAt'>[],
  now: number,
  ttlSeconds: number,
): number {
  let exp = Math.min(now + ttlSeconds, seconds(validUntil));
  for (const key of keys) {
    if (key.revokedAt || !key.retiresAt) continue;
    const retiresAt = seconds(key.retiresAt);
    if (retiresAt > now) exp = Math.min(exp, retiresAt);
  }
  return exp;
}

/**
 * The directory re-issues a member's statement when the member is within its term, the current
 * statement ends within the last quarter of its lifetime (at least a second), and a new one would
 * live longer.
 */
export function statementRefreshDue(
  member: Pick<Member, 'validUntil' | 'statementExpiresAt'>,
  planned: number,
  now: number,
  ttlSeconds: number,
): boolean {
  const current = seconds(member.statementExpiresAt);
  const refreshWindow = Math.max(1, Math.floor(ttlSeconds / 4));
  return seconds(member.validUntil) > now && current - now < refreshWindow && planned > current;
}

/** The claims of a membership statement (besides `exp`, see `plannedStatementExpiry`). */
export function statementClaims(
  federationId: string,
  member: Pick<Member, 'partnerId' | 'name' | 'endpoint' | 'status'>,
  keys: readonly MemberKey[],
  now: number,
  exp: number,
) {
  const nowDate = new Date(now * 1000);
  const signing = keys.filter((k) => {
    const state = memberKeyState(k, nowDate);
    return state === MemberKeyState.CURRENT || state === MemberKeyState.RETIRING;
  });
  const historical = keys.filter((k) => memberKeyState(k, nowDate) === MemberKeyState.HISTORICAL);
  // A member that is not active vouches for no key.
  const active = member.status === MemberStatus.ACTIVE;
  return {
    iss: federationId,
    sub: member.partnerId,
    iat: now,
    exp,
    name: member.name,
    endpoint: member.endpoint,
    status: member.status,
    jwks: { keys: active ? signing.map((k) => k.jwk) : [] },
    ...(active && historical.length > 0
      ? { historicalKeys: historical.map((k) => ({ jwk: k.jwk, retiredAt: seconds(k.retiresAt!) })) }
      : {}),
  };
}

/** The keys the directory lists for a member: every key but the revoked ones, with its state. */
export function directoryKeys(keys: readonly MemberKey[], now: number): DirectoryKey[] {
  const nowDate = new Date(now * 1000);
  return keys
    .filter((k) => !k.revokedAt)
    .map((k): DirectoryKey => ({
      kid: k.kid,
      jwk: k.jwk,
      state: memberKeyState(k, nowDate) as DirectoryKey['state'],
      addedAt: seconds(k.addedAt),
      ...(k.retiresAt ? { retiresAt: seconds(k.retiresAt) } : {}),
    }));
}
