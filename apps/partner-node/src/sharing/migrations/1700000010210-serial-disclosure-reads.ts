import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * No parallel scans of `share_delivery` and `share_purge` (issue 17). Every statement on them reads
 * a few rows by index, but the planner cannot estimate a jsonb containment (`records @> …`, the
 * envelopes of one consent for the access report and `customerDataFlows`): it guesses a fixed share
 * of the table, and from about 500,000 envelopes that guess chose a parallel plan whose workers cost
 * more to start than the whole answer (26.2 ms at 5,000,000 refs against 1.4 ms at 1,000,000).
 * `parallel_workers = 0` keeps every plan on these tables serial, whatever their size.
 */
export class SerialDisclosureReads1700000010210 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE share_delivery SET (parallel_workers = 0)`);
    await q.query(`ALTER TABLE share_purge SET (parallel_workers = 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE share_delivery RESET (parallel_workers)`);
    await q.query(`ALTER TABLE share_purge RESET (parallel_workers)`);
  }
}
