import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The partner node's own ledger tables, beside the shared ones of CreateLedger1700000005000:
 * - ledger_federation_checkpoint: the federation's signed checkpoints this node has seen, with the
 *   verdict of the consistency check against the previous one.
 * - ledger_alert: what a compliance officer must look at (an inconsistent federation checkpoint…).
 */
export class CreateNodeLedger1700000005100 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_federation_checkpoint (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        origin text NOT NULL,
        size bigint NOT NULL CHECK (size >= 0),
        root_hash bytea NOT NULL CHECK (octet_length(root_hash) = 32),
        note text NOT NULL,
        status text NOT NULL CHECK (status IN ('first', 'consistent', 'inconsistent')),
        received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (origin, size, root_hash)
      )`);
    await q.query(
      `CREATE INDEX ledger_federation_checkpoint_latest_idx ON ledger_federation_checkpoint (origin, size DESC) WHERE status <> 'inconsistent'`,
    );
    await q.query(`
      CREATE TABLE ledger_alert (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('federation_checkpoint_inconsistent')),
        message text NOT NULL,
        federation_checkpoint_id uuid REFERENCES ledger_federation_checkpoint (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ledger_alert_created_idx ON ledger_alert (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ledger_alert_checkpoint_idx ON ledger_alert (federation_checkpoint_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_alert, ledger_federation_checkpoint`);
  }
}
