import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { arrayLiteral } from '#platform/database/array-literal';
import { RECEIVED_MESSAGE_QUERIES } from './received-messages.queries.js';

/** `issuer NUL jti`: a received message's id as the intake keeps it in sets. */
export const messageKey = (issuer: string, jti: string): string => `${issuer}\u0000${jti}`;

/**
 * `received_message` (the intake's table): the (issuer, jti) of every message taken, so that none
 * is taken twice. The statements are in received-messages.queries.ts and in queries/intake.sql.
 */
@Injectable()
export class ReceivedMessagesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Of these (issuer, jti) pairs, the ones already received, as `messageKey`s. */
  async receivedAmong(ids: readonly { issuer: string; jti: string }[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await runNamed<{ issuer: string; jti: string }, 'receivedAmong'>(
      this.dataSource,
      RECEIVED_MESSAGE_QUERIES,
      'receivedAmong',
      [arrayLiteral(ids.map((id) => id.issuer)), arrayLiteral(ids.map((id) => id.jti))],
    );
    return new Set(rows.map((r) => messageKey(r.issuer, r.jti)));
  }

  async received(issuer: string, jti: string): Promise<boolean> {
    const rows = await runNamed(this.dataSource, RECEIVED_MESSAGE_QUERIES, 'received', [issuer, jti]);
    return rows.length > 0;
  }

  /** Stores one message's id in the caller's transaction; false when it was already received. */
  async remember(m: Queryable, kind: string, issuer: string, jti: string, exp: number): Promise<boolean> {
    const inserted = await runNamed(m, RECEIVED_MESSAGE_QUERIES, 'remember', [issuer, jti, kind, exp]);
    return inserted.length > 0;
  }

  /** Stores a batch's ids in the caller's transaction; returns the `messageKey`s stored now (the others were replays). */
  async rememberMany(
    m: Queryable,
    kind: string,
    claims: readonly { iss: string; jti: string; exp: number }[],
  ): Promise<Set<string>> {
    if (claims.length === 0) return new Set();
    const rows = await runNamed<{ issuer: string; jti: string }, 'rememberMany'>(
      m,
      RECEIVED_MESSAGE_QUERIES,
      'rememberMany',
      [
        arrayLiteral(claims.map((c) => c.iss)),
        arrayLiteral(claims.map((c) => c.jti)),
        kind,
        arrayLiteral(claims.map((c) => c.exp)),
      ],
    );
    return new Set(rows.map((r) => messageKey(r.issuer, r.jti)));
  }
}
