import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ledger_sequence_queue plans its two statements on the queue afresh at every call. PL/pgSQL kept
 * the plans it made while the queue was empty: a scan of the whole queue sorted on disk to take
 * the oldest rows, and a scan of it again testing each row against every id taken (`id = ANY`),
 * where the primary key answers both. During a bulk file the queue holds thousands of rows, and
 * each call cost 75–260 ms instead of a few (auto_explain, issue 17), growing with the queue's size
 * times the batch's. Planned with the call's values, they read the primary key. What is
 * sequenced, in which order, and under which lock is unchanged.
 */
export class LedgerSequenceQueueCustomPlans1700000010600 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER FUNCTION ledger_sequence_queue(int) SET plan_cache_mode = force_custom_plan`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER FUNCTION ledger_sequence_queue(int) RESET plan_cache_mode`);
  }
}
