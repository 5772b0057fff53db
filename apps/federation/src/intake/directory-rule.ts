/**
 * The directory rule, pure (unit tests: directory-rule.unit.spec.ts): applied only to authentic
 * messages, it refuses a revoked key, a suspended or removed member, a lapsed membership statement,
 * and a key used after its retirement.
 */
import { keyUseRefusal, type MemberStatusValue } from '#federation-client';
import { RefusedMessageError } from '#platform/errors/app-errors';

/** What the rule reads of a member's key (times in epoch seconds). */
export interface DirectoryKeyFacts {
  retiresAt: number | null;
  revoked: boolean;
  status: MemberStatusValue;
  validUntil: number;
}

/** The refusal of a message signed at `iat` with key `kid`, or undefined when the rule lets it through. */
export function directoryRuleRefusal(
  key: DirectoryKeyFacts,
  kid: string,
  iat: number,
  now: number,
): RefusedMessageError | undefined {
  if (key.revoked) return new RefusedMessageError('KEY_REVOKED', `key ${kid} is revoked`);
  const reason = keyUseRefusal(key, key, iat, now);
  return reason ? new RefusedMessageError(reason, refusalText(reason, kid)) : undefined;
}

function refusalText(reason: string, kid: string): string {
  switch (reason) {
    case 'MEMBER_SUSPENDED':
      return 'the issuer is suspended: its signatures are not accepted';
    case 'MEMBER_REMOVED':
      return 'the issuer is no longer a member';
    case 'STATEMENT_EXPIRED':
      return "the issuer's membership statement has expired";
    case 'KEY_RETIRED':
      return `key ${kid} was retired before this message was signed`;
    default:
      return reason;
  }
}
