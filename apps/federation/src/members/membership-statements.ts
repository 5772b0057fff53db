import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { signMessage, type Ed25519PrivateJwk } from '#protocol';
import type { FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';
import { Member, MemberKey } from './member.entity.js';
import { plannedStatementExpiry, statementClaims } from './membership-rules.js';

/**
 * The signed membership statement: signed by the federation's current key and re-issued on each
 * change of the member or its keys, stored on the member's row.
 */
@Injectable()
export class MembershipStatements {
  constructor(@Inject(FEDERATION_CONFIG) private readonly config: FederationConfig) {}

  /** When a statement issued `now` for this member and these keys expires. */
  plannedExpiry(member: Member, keys: readonly MemberKey[], now: number): number {
    return plannedStatementExpiry(member.validUntil, keys, now, this.config.statementTtlSeconds);
  }

  /** Signs and stores the member's statement as it stands in this transaction. */
  async issue(
    m: EntityManager,
    partnerId: string,
    signingKey: Ed25519PrivateJwk,
    now: number,
  ): Promise<string> {
    const member = await m.getRepository(Member).findOneByOrFail({ partnerId });
    const keys = await m
      .getRepository(MemberKey)
      .find({ where: { partnerId }, order: { addedAt: 'ASC', kid: 'ASC' } });
    const exp = this.plannedExpiry(member, keys, now);
    const statement = signMessage(
      'membership-statement',
      statementClaims(this.config.federationId, member, keys, now, exp),
      signingKey,
    );
    await m.query(
      `UPDATE member SET statement = $2, statement_issued_at = to_timestamp($3), statement_expires_at = to_timestamp($4)
       WHERE partner_id = $1`,
      [partnerId, statement, now, exp],
    );
    return statement;
  }
}
