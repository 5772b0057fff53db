import type { MigrationInterface, QueryRunner } from 'typeorm';
import { buildLeaf } from '#ledger';

/** The event types of federation_event before the ledger (CreateFederationEvents1710000000300). */
const BEFORE = [
  'membership.admitted',
  'membership.rejected',
  'membership.suspended',
  'membership.reinstated',
  'membership.renewed',
  'keys.rotated',
  'federation.key-rotated',
  'agreement.proposed',
  'agreement.accepted',
  'agreement.activated',
  'agreement.terminated',
  'consent.registered',
  'consent.withdrawn',
];
const ADDED = [
  'envelope.relayed',
  'purge.receipt-relayed',
  'purge.receipt-registered',
  'merge.proposed',
  'merge.accepted',
  'merge.manifest',
  'merge.result',
];

const typeCheck = (types: string[]) => `CHECK (type IN (${types.map((t) => `'${t}'`).join(', ')}))`;

/**
 * The federation's tamper-evident ledger (the tables of CreateLedger1700000005000, registered just
 * before this one), fed by EventsService:
 * - federation_event accepts the new event types (envelopes relayed, purge receipts, merges);
 * - federation_ledger_message keeps the signed messages that ledger entries name by hash
 *   (`messageHash`, `statementHash`, `envelopeHash`, `receiptHash`), so that an export carries
 *   them and the offline verifier checks their signatures; never a message with clear records;
 * - ledger_entry gets an index on leaf_hash (inclusion proofs by leaf hash);
 * - the events recorded before the ledger existed are queued for it, in their order.
 */
export class CreateFederationLedger1710000000800 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    const [constraint] = (await q.query(
      `SELECT conname FROM pg_constraint
        WHERE conrelid = 'federation_event'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%type%'`,
    )) as { conname: string }[];
    if (constraint) await q.query(`ALTER TABLE federation_event DROP CONSTRAINT "${constraint.conname}"`);
    await q.query(
      `ALTER TABLE federation_event ADD CONSTRAINT federation_event_type_check ${typeCheck([...BEFORE, ...ADDED])}`,
    );
    await q.query(`
      CREATE TABLE federation_ledger_message (
        hash text PRIMARY KEY CHECK (hash ~ '^[A-Za-z0-9_-]{43}$'),
        jws text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TRIGGER federation_ledger_message_no_change BEFORE UPDATE OR DELETE ON federation_ledger_message
      FOR EACH ROW EXECUTE FUNCTION federation_event_append_only()`);
    await q.query(`CREATE INDEX ledger_entry_leaf_hash_idx ON ledger_entry (leaf_hash)`);
    const events = (await q.query(
      `SELECT type, canonical, occurred_at FROM federation_event ORDER BY seq`,
    )) as { type: string; canonical: string; occurred_at: Date }[];
    for (const event of events) {
      const leaf = buildLeaf(event.type, event.canonical, event.occurred_at);
      await q.query(
        `INSERT INTO ledger_queue (kind, entry, leaf_hash, appended_at) VALUES ($1, $2, $3, $4)`,
        [leaf.kind, leaf.text, Buffer.from(leaf.hash), leaf.at.toISOString()],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ledger_entry_leaf_hash_idx`);
    await q.query(`DROP TABLE federation_ledger_message`);
    await q.query(`ALTER TABLE federation_event DROP CONSTRAINT federation_event_type_check`);
    await q.query(
      `ALTER TABLE federation_event ADD CONSTRAINT federation_event_type_check ${typeCheck(BEFORE)}`,
    );
  }
}
