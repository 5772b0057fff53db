import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ledger_sequence_queue(max_rows): what LedgerService.sequenceBatch did in three statements, in
 * one, without the entries leaving the database. With the head locked (one sequencer, and no
 * appender, at a time; queue order kept), it takes the oldest `max_rows` committed queue rows,
 * sequences them with ledger_append (LedgerAppendFunction1700000009500) exactly as they were
 * queued (kind, entry text, leaf hash, time), deletes them, and returns the first seq (-1 when
 * the queue was empty) and the queue ids in order. Before, every queued entry was read into the
 * application and sent back as a parameter: a bulk file of 20,000 consents moved its receipts
 * (about 32 MB) out of the database and in again to be sequenced (issue 17).
 */
export class LedgerSequenceQueueFunction1700000010500 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION ledger_sequence_queue(max_rows int, OUT first_seq bigint, OUT queue_ids bigint[])
      LANGUAGE plpgsql AS $$
      DECLARE
        kinds text[];
        entries text[];
        leaf_hashes bytea[];
        appended_ats timestamptz[];
      BEGIN
        PERFORM 1 FROM ledger_head h WHERE h.id FOR UPDATE;
        SELECT array_agg(u.id ORDER BY u.id), array_agg(u.kind ORDER BY u.id), array_agg(u.entry ORDER BY u.id),
               array_agg(u.leaf_hash ORDER BY u.id), array_agg(u.appended_at ORDER BY u.id)
          INTO queue_ids, kinds, entries, leaf_hashes, appended_ats
          FROM (SELECT w.id, w.kind, w.entry, w.leaf_hash, w.appended_at FROM ledger_queue w ORDER BY w.id LIMIT max_rows) u;
        IF queue_ids IS NULL THEN
          first_seq := -1;
          queue_ids := '{}';
          RETURN;
        END IF;
        first_seq := ledger_append(kinds, entries, leaf_hashes, appended_ats);
        DELETE FROM ledger_queue w WHERE w.id = ANY (queue_ids);
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION ledger_sequence_queue(int)`);
  }
}
