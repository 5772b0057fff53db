import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-recipient registrations of a consent (issue 16): what the federation receives of a consent
 * is one registration per recipient, with an id of its own (the id the recipient and the relay
 * know the consent by), signed when it leaves, after a random delay (`due_at`). The withdrawal of
 * a consent is registered the same way, per registration.
 */
export class CreateConsentRegistrations1700000004500 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE consent_registration (
        registration_id uuid PRIMARY KEY,
        consent_id uuid NOT NULL REFERENCES consent (id),
        recipient text NOT NULL,
        agreement_id text NOT NULL,
        -- Random per registration: the receipt commitment is SHA-256(salt || receipt JWS).
        commitment_salt text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','registered','refused')),
        due_at timestamptz NOT NULL,
        registration_jws text,
        registered_at timestamptz,
        error text,
        withdrawal_status text CHECK (withdrawal_status IN ('pending','registered','refused','not_needed')),
        withdrawal_due_at timestamptz,
        withdrawal_jws text,
        withdrawal_registered_at timestamptz,
        UNIQUE (consent_id, recipient)
      )`);
    await q.query(
      `CREATE INDEX consent_registration_due_idx ON consent_registration (due_at) WHERE status = 'pending'`,
    );
    await q.query(
      `CREATE INDEX consent_registration_withdrawal_due_idx ON consent_registration (withdrawal_due_at)
        WHERE withdrawal_status = 'pending'`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE consent_registration`);
  }
}
