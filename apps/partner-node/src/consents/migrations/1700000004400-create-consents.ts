import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consents captured at this node: the signed receipt (what the federation registers), the
 * customer and notice it refers to, the registration status with the federation, and the signed
 * withdrawal. A trigger keeps the receipt and a recorded withdrawal immutable.
 */
export class CreateConsents1700000004400 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE consent (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL REFERENCES customer(id) ON DELETE RESTRICT,
        purposes text[] NOT NULL CHECK (cardinality(purposes) >= 1
          AND purposes <@ ARRAY['customer-care','marketing','analytics']),
        categories text[] NOT NULL CHECK (cardinality(categories) >= 1
          AND categories <@ ARRAY['contact','orders','care-history','segment-membership']),
        recipients text[] NOT NULL CHECK (cardinality(recipients) BETWEEN 1 AND 50),
        agreement_ids text[] NOT NULL CHECK (cardinality(agreement_ids) = cardinality(recipients)),
        given_at timestamptz NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_until timestamptz NOT NULL,
        collection_method text NOT NULL
          CHECK (collection_method IN ('web_form','phone','in_person','email','paper')),
        privacy_notice_id uuid NOT NULL REFERENCES privacy_notice(id) ON DELETE RESTRICT,
        notice_version text NOT NULL,
        notice_content_hash text NOT NULL CHECK (notice_content_hash ~ '^[A-Za-z0-9_-]{43}$'),
        language text NOT NULL CHECK (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
        jurisdiction text NOT NULL CHECK (jurisdiction ~ '^[A-Z]{2}(-[A-Z0-9]{1,3})?$'),
        subject_tokens jsonb NOT NULL CHECK (jsonb_typeof(subject_tokens) = 'array'
          AND jsonb_array_length(subject_tokens) >= 1),
        receipt_jws text NOT NULL,
        receipt_kid text NOT NULL,
        registration_status text NOT NULL CHECK (registration_status IN ('pending','registered','refused')),
        registration_error text CHECK (char_length(registration_error) <= 500),
        registered_at timestamptz,
        withdrawn_at timestamptz,
        withdrawal_reason text CHECK (char_length(withdrawal_reason) <= 500),
        withdrawal_jws text,
        withdrawal_registration_status text
          CHECK (withdrawal_registration_status IN ('pending','registered','refused','not_needed')),
        withdrawal_registration_error text CHECK (char_length(withdrawal_registration_error) <= 500),
        withdrawal_registered_at timestamptz,
        captured_by uuid REFERENCES app_user(id) ON DELETE SET NULL,
        withdrawn_by uuid REFERENCES app_user(id) ON DELETE SET NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_until > valid_from),
        CHECK ((registration_status = 'registered') = (registered_at IS NOT NULL)),
        CHECK ((withdrawn_at IS NULL) = (withdrawal_jws IS NULL)),
        CHECK ((withdrawn_at IS NULL) = (withdrawal_registration_status IS NULL))
      )`);
    await q.query(`CREATE INDEX consent_customer_idx ON consent (customer_id, created_at, id)`);
    await q.query(`CREATE INDEX consent_notice_idx ON consent (privacy_notice_id)`);
    await q.query(`CREATE INDEX consent_captured_by_idx ON consent (captured_by)`);
    await q.query(`CREATE INDEX consent_withdrawn_by_idx ON consent (withdrawn_by)`);
    await q.query(
      `CREATE INDEX consent_pending_idx ON consent (created_at)
        WHERE registration_status = 'pending' OR withdrawal_registration_status = 'pending'`,
    );
    await q.query(`
      CREATE FUNCTION consent_receipt_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.receipt_jws IS DISTINCT FROM OLD.receipt_jws OR NEW.id IS DISTINCT FROM OLD.id
           OR NEW.customer_id IS DISTINCT FROM OLD.customer_id OR NEW.purposes IS DISTINCT FROM OLD.purposes
           OR NEW.categories IS DISTINCT FROM OLD.categories OR NEW.recipients IS DISTINCT FROM OLD.recipients
           OR NEW.valid_from IS DISTINCT FROM OLD.valid_from OR NEW.valid_until IS DISTINCT FROM OLD.valid_until
           OR NEW.privacy_notice_id IS DISTINCT FROM OLD.privacy_notice_id
           OR NEW.subject_tokens IS DISTINCT FROM OLD.subject_tokens THEN
          RAISE EXCEPTION 'consent % : a signed receipt cannot be changed', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.withdrawal_jws IS NOT NULL AND (NEW.withdrawal_jws IS DISTINCT FROM OLD.withdrawal_jws
           OR NEW.withdrawn_at IS DISTINCT FROM OLD.withdrawn_at) THEN
          RAISE EXCEPTION 'consent % : a signed withdrawal cannot be changed', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER consent_receipt_immutable BEFORE UPDATE ON consent
        FOR EACH ROW EXECUTE FUNCTION consent_receipt_immutable()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE consent`);
    await q.query(`DROP FUNCTION consent_receipt_immutable()`);
  }
}
