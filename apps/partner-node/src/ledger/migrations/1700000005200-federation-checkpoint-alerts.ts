import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A federation checkpoint that does not verify (bad signature, unknown key, wrong origin) raises
 * an alert too, beside the inconsistent one: ledger_alert accepts the kind
 * 'federation_checkpoint_unverified' (with no stored checkpoint: it is not evidence about the log).
 */
export class FederationCheckpointAlerts1700000005200 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger_alert DROP CONSTRAINT ledger_alert_kind_check`);
    await q.query(`
      ALTER TABLE ledger_alert ADD CONSTRAINT ledger_alert_kind_check
        CHECK (kind IN ('federation_checkpoint_inconsistent', 'federation_checkpoint_unverified'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM ledger_alert WHERE kind = 'federation_checkpoint_unverified'`);
    await q.query(`ALTER TABLE ledger_alert DROP CONSTRAINT ledger_alert_kind_check`);
    await q.query(
      `ALTER TABLE ledger_alert ADD CONSTRAINT ledger_alert_kind_check CHECK (kind IN ('federation_checkpoint_inconsistent'))`,
    );
  }
}
