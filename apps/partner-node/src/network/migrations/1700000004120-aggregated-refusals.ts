import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refusals of anonymous callers are aggregated: one row per (kind, reason, source, minute) with a
 * count (`window_start` set); every other refusal stays one row (`window_start` null, count 1).
 */
export class AggregatedRefusals1700000004120 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE refusal ADD COLUMN count integer NOT NULL DEFAULT 1 CHECK (count >= 1)`);
    await q.query(`ALTER TABLE refusal ADD COLUMN window_start timestamptz`);
    await q.query(
      `CREATE UNIQUE INDEX refusal_window_idx ON refusal (kind, reason, source, window_start) WHERE window_start IS NOT NULL`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX refusal_window_idx`);
    await q.query(`ALTER TABLE refusal DROP COLUMN window_start, DROP COLUMN count`);
  }
}
