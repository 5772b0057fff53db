import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Compliance audits (GDPR Art. 15, 17, 30):
 * - share_delivery.channel: a delivery is a push through the outbox, or the answer to a partner's
 *   history request (pull), recorded when it is sealed so that "where did the data go" sees both;
 *   sealed_at: when its records were checked against their consents and sealed.
 * - an index to find the deliveries that carried a consent's records, and one to find the ledger
 *   entries of a consent (its receipt and withdrawal, with their inclusion proofs).
 * - erasure_request: one per erased customer (what was erased, which consents were withdrawn);
 *   the per-recipient purge confirmations are the share_purge rows of those consents. An erased
 *   customer is a tombstone that cannot be restored.
 */
export class CreateCompliance1700000008000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE share_delivery ADD COLUMN channel text NOT NULL DEFAULT 'push' CHECK (channel IN ('push','pull'))`,
    );
    // When the records were read and checked against their consents (the time of the share).
    await q.query(`ALTER TABLE share_delivery ADD COLUMN sealed_at timestamptz`);
    await q.query(
      `CREATE INDEX share_delivery_records_idx ON share_delivery USING gin (records jsonb_path_ops)`,
    );
    await q.query(`
      CREATE INDEX ledger_entry_consent_idx ON ledger_entry ((((entry::jsonb) -> 'data') ->> 'consentId'))
        WHERE kind IN ('consent.given', 'consent.withdrawn')`);
    await q.query(`
      CREATE TABLE erasure_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL UNIQUE REFERENCES customer(id) ON DELETE RESTRICT,
        reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500),
        requested_by uuid REFERENCES app_user(id) ON DELETE SET NULL,
        consent_ids uuid[] NOT NULL,
        withdrawn_consent_ids uuid[] NOT NULL,
        erased jsonb NOT NULL CHECK (jsonb_typeof(erased) = 'object'),
        requested_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX erasure_request_requested_idx ON erasure_request (requested_at, id)`);
    await q.query(`CREATE INDEX erasure_request_user_idx ON erasure_request (requested_by)`);
    await q.query(`
      CREATE FUNCTION customer_erasure_final() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM erasure_request e WHERE e.customer_id = OLD.id) THEN
          RAISE EXCEPTION 'customer % was erased: it cannot be restored', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER customer_erasure_final BEFORE UPDATE OF deleted_at ON customer
        FOR EACH ROW WHEN (OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL)
        EXECUTE FUNCTION customer_erasure_final()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER customer_erasure_final ON customer`);
    await q.query(`DROP FUNCTION customer_erasure_final()`);
    await q.query(`DROP TABLE erasure_request`);
    await q.query(`DROP INDEX ledger_entry_consent_idx`);
    await q.query(`DROP INDEX share_delivery_records_idx`);
    await q.query(`ALTER TABLE share_delivery DROP COLUMN sealed_at, DROP COLUMN channel`);
  }
}
