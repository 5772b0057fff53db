import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The registry holds per-recipient registrations (issue 16): a row is one `consent-registration`
 * (its id in `consent_id`, exactly one recipient, the agreement it is registered under). What
 * only the receipt at the controller carries (when the customer agreed, the notice shown) is no
 * longer held here: those values are the same in a receipt's registrations for every recipient,
 * and would join them.
 */
export class PerRecipientRegistrations1710000000710 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM consent_subject`);
    await q.query(`DELETE FROM consent`);
    await q.query(
      `ALTER TABLE consent DROP COLUMN given_at, DROP COLUMN notice_id, DROP COLUMN notice_version`,
    );
    await q.query(
      `ALTER TABLE consent ADD COLUMN agreement_id text NOT NULL, ADD COLUMN receipt_commitment text NOT NULL`,
    );
    await q.query(
      `ALTER TABLE consent ADD CONSTRAINT consent_one_recipient CHECK (cardinality(recipients) = 1)`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE consent DROP CONSTRAINT consent_one_recipient`);
    await q.query(`ALTER TABLE consent DROP COLUMN agreement_id, DROP COLUMN receipt_commitment`);
    await q.query(
      `ALTER TABLE consent ADD COLUMN given_at timestamptz, ADD COLUMN notice_id text, ADD COLUMN notice_version text`,
    );
  }
}
