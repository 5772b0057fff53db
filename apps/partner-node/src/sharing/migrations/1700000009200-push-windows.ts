import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pushed records wait in per-recipient batches (SHARING_PUSH_WINDOW_SECONDS): a delivery leaves at
 * `due_at`; until it is claimed, later records for the same recipient and agreement join it.
 */
export class PushWindows1700000009200 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE share_delivery ADD COLUMN due_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(
      `CREATE INDEX share_delivery_open_idx ON share_delivery (recipient, agreement_id, due_at)
        WHERE status = 'pending' AND attempts = 0`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX share_delivery_open_idx`);
    await q.query(`ALTER TABLE share_delivery DROP COLUMN due_at`);
  }
}
