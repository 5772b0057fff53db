import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { jwsHash } from '#protocol';
import { packedTextArray } from '#platform/database/packed-text-array';
import { arrayLiteral } from '#platform/database/array-literal';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { LEDGER_MESSAGE_QUERIES } from './ledger-messages.queries.js';

/** A signed message with its `jwsHash`, for a caller that has computed the hash already. */
export interface HashedMessage {
  jws: string;
  hash: string;
}

/** The message and its hash: how a caller that names a message by hash hands it to the store. */
export const hashedMessage = (jws: string): HashedMessage => ({ jws, hash: jwsHash(jws) });

/**
 * `federation_ledger_message` (owned by the ledger module): the signed messages its entries name
 * by hash, stored by the events' appends (in their transaction) and read by the export. The
 * statements are in ledger-messages.queries.ts and, generated, in queries/ledger.sql.
 */
@Injectable()
export class LedgerMessagesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Stores these signed messages by their hash in the caller's transaction (those stored already
   * are left as they are); `eachTimed`: each row gets its own time (a batch of events).
   */
  async store(
    m: Queryable,
    signed: readonly (string | HashedMessage)[],
    options: { eachTimed?: boolean } = {},
  ): Promise<void> {
    if (signed.length === 0) return;
    const messages = signed.map((s) => (typeof s === 'string' ? hashedMessage(s) : s));
    await runNamed(
      m,
      LEDGER_MESSAGE_QUERIES,
      options.eachTimed ? 'storeMessagesEachTimed' : 'storeMessages',
      [arrayLiteral(messages.map((s) => s.hash)), packedTextArray(messages.map((s) => s.jws))],
    );
  }

  /** The stored messages among these hashes. */
  byHash(hashes: readonly string[]): Promise<{ hash: string; jws: string }[]> {
    return runNamed(this.dataSource, LEDGER_MESSAGE_QUERIES, 'messagesByHash', [[...hashes]]);
  }
}
