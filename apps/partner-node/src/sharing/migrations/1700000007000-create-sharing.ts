import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shared customer-care history (invariants 1, 3, 4, 7).
 *
 * Receiving side: shared_record (partners' records, verified before stored, purged on withdrawal
 * or at the end of retention), received_envelope (replay protection: unique (issuer, jti)),
 * shared_subject (this node's subject tokens of its customers, to link pushed records),
 * shared_consent_withdrawn (withdrawals seen: later envelopes under them are refused),
 * shared_access (which user saw which shared items, when, under which consents),
 * purge_receipt_issued (the signed receipts this node gave, returned again on a repeated request).
 *
 * Holding side: share_outbox (written by triggers in the same transaction as the record or the
 * withdrawal), share_delivery (one envelope to one recipient; its id is the envelope's jti, so a
 * retry is idempotent), share_purge (per consent and recipient: requested, confirmed with receipt).
 */
export class CreateSharing1700000007000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE shared_record (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        origin_partner_id text NOT NULL,
        origin_record_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('interaction','care_case','order')),
        category text NOT NULL CHECK (category IN ('care-history','orders')),
        consent_id text NOT NULL,
        agreement_id text NOT NULL,
        envelope_id text NOT NULL,
        subject_token text NOT NULL,
        customer_id uuid REFERENCES customer(id) ON DELETE CASCADE,
        title text NOT NULL,
        summary text,
        data jsonb NOT NULL,
        occurred_at timestamptz(3) NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        signature_status text NOT NULL CHECK (signature_status IN ('verified','invalid','unverified')),
        retention_ends_at timestamptz NOT NULL,
        UNIQUE (origin_partner_id, origin_record_id)
      )`);
    await q.query(`CREATE INDEX shared_record_customer_idx ON shared_record (customer_id, occurred_at, id)`);
    await q.query(`CREATE INDEX shared_record_consent_idx ON shared_record (origin_partner_id, consent_id)`);
    await q.query(
      `CREATE INDEX shared_record_token_idx ON shared_record (subject_token) WHERE customer_id IS NULL`,
    );
    await q.query(`CREATE INDEX shared_record_retention_idx ON shared_record (retention_ends_at)`);
    await q.query(`
      CREATE TABLE received_envelope (
        issuer text NOT NULL,
        jti text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('share','relay')),
        record_count integer NOT NULL DEFAULT 0,
        received_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (issuer, jti)
      )`);
    await q.query(`CREATE INDEX received_envelope_expires_idx ON received_envelope (expires_at)`);
    await q.query(`
      CREATE TABLE shared_subject (
        agreement_id text NOT NULL,
        token text NOT NULL,
        customer_id uuid NOT NULL REFERENCES customer(id) ON DELETE CASCADE,
        PRIMARY KEY (agreement_id, token)
      )`);
    await q.query(`CREATE INDEX shared_subject_token_idx ON shared_subject (token)`);
    await q.query(`CREATE INDEX shared_subject_customer_idx ON shared_subject (customer_id)`);
    await q.query(`
      CREATE TABLE shared_consent_withdrawn (
        origin_partner_id text NOT NULL,
        consent_id text NOT NULL,
        withdrawal_id text NOT NULL,
        withdrawn_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (origin_partner_id, consent_id)
      )`);
    await q.query(`
      CREATE TABLE purge_receipt_issued (
        origin_partner_id text NOT NULL,
        withdrawal_id text NOT NULL,
        consent_id text NOT NULL,
        records_purged integer NOT NULL CHECK (records_purged >= 0),
        receipt_jws text NOT NULL,
        issued_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (origin_partner_id, withdrawal_id)
      )`);
    await q.query(`
      CREATE TABLE shared_access (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        customer_id uuid NOT NULL,
        shared_record_ids uuid[] NOT NULL,
        origin_record_ids text[] NOT NULL,
        origin_partner_ids text[] NOT NULL,
        consent_ids text[] NOT NULL,
        accessed_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX shared_access_customer_idx ON shared_access (customer_id, accessed_at, id)`);
    await q.query(`CREATE INDEX shared_access_user_idx ON shared_access (user_id)`);
    await q.query(`CREATE INDEX shared_access_accessed_idx ON shared_access (accessed_at, id)`);
    await q.query(`
      CREATE TABLE share_outbox (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('record','withdrawal','erasure')),
        record_kind text CHECK (record_kind IN ('interaction','care_case','order')),
        record_id uuid,
        customer_id uuid,
        consent_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz,
        CHECK ((kind = 'record') = (record_id IS NOT NULL)),
        CHECK ((kind = 'withdrawal') = (consent_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX share_outbox_pending_idx ON share_outbox (seq) WHERE processed_at IS NULL`);
    await q.query(`
      CREATE TABLE share_delivery (
        id uuid PRIMARY KEY,
        recipient text NOT NULL,
        agreement_id text NOT NULL,
        records jsonb NOT NULL CHECK (jsonb_typeof(records) = 'array'),
        record_count integer NOT NULL CHECK (record_count >= 1),
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending','delivered','refused','dead','cancelled')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text CHECK (char_length(last_error) <= 500),
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        dead_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX share_delivery_pending_idx ON share_delivery (created_at) WHERE status = 'pending'`,
    );
    await q.query(`CREATE INDEX share_delivery_status_idx ON share_delivery (status, created_at)`);
    await q.query(`
      CREATE TABLE share_purge (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        consent_id uuid NOT NULL REFERENCES consent(id) ON DELETE CASCADE,
        recipient text NOT NULL,
        status text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested','confirmed')),
        withdrawal_id text,
        records_purged integer,
        receipt_jws text,
        last_error text CHECK (char_length(last_error) <= 500),
        requested_at timestamptz NOT NULL DEFAULT now(),
        confirmed_at timestamptz,
        UNIQUE (consent_id, recipient),
        CHECK ((status = 'confirmed') = (receipt_jws IS NOT NULL))
      )`);
    // The outbox is written by triggers, in the transaction of the change itself: a record of a
    // customer with a live customer-care consent, and a consent withdrawal. Nothing to do for others.
    await q.query(`
      CREATE FUNCTION share_outbox_record() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM consent c WHERE c.customer_id = NEW.customer_id AND c.withdrawn_at IS NULL
                     AND 'customer-care' = ANY (c.purposes) AND c.valid_until > now()) THEN
          INSERT INTO share_outbox (kind, record_kind, record_id, customer_id)
          VALUES ('record', TG_ARGV[0], NEW.id, NEW.customer_id);
        END IF;
        RETURN NULL;
      END $$`);
    for (const [table, kind] of [
      ['interaction', 'interaction'],
      ['care_case', 'care_case'],
      ['customer_order', 'order'],
    ] as const) {
      await q.query(`
        CREATE TRIGGER ${table}_share_outbox AFTER INSERT OR UPDATE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION share_outbox_record('${kind}')`);
    }
    await q.query(`
      CREATE FUNCTION share_outbox_withdrawal() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO share_outbox (kind, consent_id, customer_id) VALUES ('withdrawal', NEW.id, NEW.customer_id);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER consent_share_withdrawal AFTER UPDATE OF withdrawn_at ON consent
        FOR EACH ROW WHEN (OLD.withdrawn_at IS NULL AND NEW.withdrawn_at IS NOT NULL)
        EXECUTE FUNCTION share_outbox_withdrawal()`);
    // Erasure of a customer (soft delete): the copies held here about them go at once, and every
    // consent they gave here is withdrawn (by the worker, which signs), which purges the partners.
    await q.query(`
      CREATE FUNCTION share_customer_erased() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM shared_record WHERE customer_id = NEW.id;
        DELETE FROM shared_subject WHERE customer_id = NEW.id;
        IF EXISTS (SELECT 1 FROM consent c WHERE c.customer_id = NEW.id AND c.withdrawn_at IS NULL) THEN
          INSERT INTO share_outbox (kind, customer_id) VALUES ('erasure', NEW.id);
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER customer_share_erasure AFTER UPDATE OF deleted_at ON customer
        FOR EACH ROW WHEN (OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL)
        EXECUTE FUNCTION share_customer_erased()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER customer_share_erasure ON customer`);
    await q.query(`DROP FUNCTION share_customer_erased()`);
    await q.query(`DROP TRIGGER consent_share_withdrawal ON consent`);
    for (const table of ['interaction', 'care_case', 'customer_order']) {
      await q.query(`DROP TRIGGER ${table}_share_outbox ON ${table}`);
    }
    await q.query(`DROP FUNCTION share_outbox_withdrawal()`);
    await q.query(`DROP FUNCTION share_outbox_record()`);
    for (const table of [
      'share_purge',
      'share_delivery',
      'share_outbox',
      'shared_access',
      'purge_receipt_issued',
      'shared_consent_withdrawn',
      'shared_subject',
      'received_envelope',
      'shared_record',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
