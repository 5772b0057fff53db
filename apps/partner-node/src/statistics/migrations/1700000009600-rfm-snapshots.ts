import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * RFM distributions published "as of" a recent refresh (issue 13): ranking a year's buyers with
 * three ntile sorts takes seconds at a million customers, too long for each load of the statistics
 * page, so the statistics module computes it in a queue job (RfmRefreshJob) and the page reads the
 * stored result.
 *
 * - `rfm_distribution_key`: the keys (window in days, currency or null for all) that have been
 *   asked for, and when one was last read: the scheduled refresh keeps those read recently fresh.
 * - `rfm_distribution_snapshot`: computed distributions, the latest few per key (the refresh
 *   prunes older ones): the time they are as of, the result as JSON (cells, per-score ranges,
 *   customers), when the computation ended and how long it took.
 *
 * A null currency (all currencies) is one key: the unique index is on coalesce(currency, '').
 */
export class RfmSnapshots1700000009600 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rfm_distribution_key (
        window_days int NOT NULL CHECK (window_days BETWEEN 1 AND 3650),
        currency text CHECK (currency ~ '^[A-Z]{3}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_read_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX rfm_distribution_key_uq ON rfm_distribution_key (window_days, (coalesce(currency, '')))`,
    );
    await q.query(`
      CREATE TABLE rfm_distribution_snapshot (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        window_days int NOT NULL CHECK (window_days BETWEEN 1 AND 3650),
        currency text CHECK (currency ~ '^[A-Z]{3}$'),
        as_of timestamptz NOT NULL,
        result jsonb NOT NULL,
        computed_at timestamptz NOT NULL DEFAULT now(),
        duration_ms int NOT NULL CHECK (duration_ms >= 0)
      )`);
    await q.query(
      `CREATE INDEX rfm_distribution_snapshot_key_idx
         ON rfm_distribution_snapshot (window_days, (coalesce(currency, '')), as_of DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rfm_distribution_snapshot`);
    await q.query(`DROP TABLE rfm_distribution_key`);
  }
}
