import { expect } from '@jest/globals';
import { waitFor } from '../../apps/partner-node/src/testing/network.js';

/** Runs SQL on one node's database and returns the rows (a DataSource's or a pg.Pool's query). */
export type QueryRows = (sql: string) => Promise<Record<string, unknown>[]>;

export interface ExactlyOnce {
  /** Distinct records stored at the recipient. */
  received: number;
  /** Records the recipient's stored envelopes carried beyond one per record. */
  duplicated: number;
  envelopes: number;
}

/**
 * Invariant 7 after a fault, for the orders pushed by `issuer`: the recipient holds one copy of
 * each of the holder's orders (none missing), the envelopes it stored carried `orders` records in
 * all (a record received twice counts twice there, although its copy is upserted), each order is
 * in exactly one delivery at the holder, every delivery is delivered (no dead letter, nothing
 * pending) and the deliveries are exactly the envelopes the recipient stored. The holder's ledger
 * (its sequencer, once it has caught up) holds one `share.sent` entry per delivery.
 */
export async function expectOrdersDeliveredOnce(
  holder: QueryRows,
  recipient: QueryRows,
  issuer: string,
  orders: number,
): Promise<ExactlyOnce> {
  const ids = (rows: Record<string, unknown>[]) => rows.map((r) => String(r.id)).sort();
  const orderIds = ids(await holder(`SELECT 'order:' || id AS id FROM customer_order`));
  expect(orderIds).toHaveLength(orders);
  const copies = ids(
    await recipient(`SELECT origin_record_id AS id FROM shared_record WHERE origin_partner_id = '${issuer}'`),
  );
  expect(copies).toEqual(orderIds);
  const received = await recipient(
    `SELECT jti, record_count FROM received_envelope WHERE issuer = '${issuer}' AND kind = 'share'`,
  );
  const carried = received.reduce((sum, e) => sum + Number(e.record_count), 0);
  expect(carried).toBe(orders);
  const perRecord = await holder(
    `SELECT e->>'id' AS id, count(*)::int AS n FROM share_delivery d, jsonb_array_elements(d.records) e
      GROUP BY e->>'id'`,
  );
  expect(perRecord).toHaveLength(orders);
  expect(perRecord.filter((r) => r.n !== 1)).toEqual([]);
  const deliveries = await holder(`SELECT id, status FROM share_delivery`);
  expect(deliveries.filter((d) => d.status !== 'delivered')).toEqual([]);
  expect(ids(deliveries)).toEqual(received.map((e) => String(e.jti)).sort());
  const sentEntries = async () =>
    holder(`SELECT (entry::jsonb)->'data'->>'envelopeId' AS id FROM ledger_entry WHERE kind = 'share.sent'`);
  await waitFor(
    'the ledger sequencer to catch up',
    async () => (await sentEntries()).length >= deliveries.length,
  );
  expect(ids(await sentEntries())).toEqual(ids(deliveries));
  return { received: copies.length, duplicated: carried - copies.length, envelopes: received.length };
}
