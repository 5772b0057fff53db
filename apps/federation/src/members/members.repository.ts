import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { OkpPublicJwk } from '#protocol';
import type { MemberStatusValue } from '#federation-client';
import { runNamed } from '#platform/database/named-queries';
import { MEMBER_KEY_QUERIES } from './member-keys.queries.js';

/** A member's key with what the directory rule needs (times in epoch seconds). */
export interface MemberSigningKey {
  jwk: OkpPublicJwk;
  retiresAt: number | null;
  revoked: boolean;
  status: MemberStatusValue;
  validUntil: number;
}

/** A member as the relay reaches it. */
export interface MemberEndpointRow {
  partner_id: string;
  endpoint: string;
  status: MemberStatusValue;
  valid_until: Date;
}

/**
 * The reads other modules make of `member` and `member_key` (owned by the members module), by
 * name: the statements are in member-keys.queries.ts and, generated, in queries/members.sql.
 */
@Injectable()
export class MembersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The key `kid` of member `issuer` (only among that member's keys), or undefined: the one lookup
   * behind every verification of a member's signature (the intake's and the relay's).
   */
  async signingKey(kid: string, issuer: string): Promise<MemberSigningKey | undefined> {
    const [row] = await runNamed<
      {
        jwk: OkpPublicJwk;
        retires_at: string | null;
        revoked: boolean;
        status: MemberStatusValue;
        valid_until: string;
      },
      'signingKey'
    >(this.dataSource, MEMBER_KEY_QUERIES, 'signingKey', [kid, issuer]);
    if (!row) return undefined;
    return {
      jwk: row.jwk,
      retiresAt: row.retires_at === null ? null : Number(row.retires_at),
      revoked: row.revoked,
      status: row.status,
      validUntil: Number(row.valid_until),
    };
  }

  /** A member's endpoint, status and term, whatever its status; undefined for no member. */
  async endpoint(partnerId: string): Promise<MemberEndpointRow | undefined> {
    const [row] = await runNamed<MemberEndpointRow, 'endpoint'>(
      this.dataSource,
      MEMBER_KEY_QUERIES,
      'endpoint',
      [partnerId],
    );
    return row;
  }

  /** Every member key ever registered (revoked and retired ones included). */
  async everyKeyJwk(): Promise<OkpPublicJwk[]> {
    const rows = await runNamed<{ jwk: OkpPublicJwk }, 'everyKeyJwk'>(
      this.dataSource,
      MEMBER_KEY_QUERIES,
      'everyKeyJwk',
    );
    return rows.map((row) => row.jwk);
  }
}
