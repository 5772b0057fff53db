import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The consent registry, indexed by subject token (pseudonyms only, never raw identifiers). */
export class CreateConsents1710000000700 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE consent (
        consent_id text PRIMARY KEY,
        controller text NOT NULL REFERENCES member (partner_id),
        recipients text[] NOT NULL,
        purposes text[] NOT NULL,
        categories text[] NOT NULL,
        given_at timestamptz NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_until timestamptz NOT NULL,
        notice_id text NOT NULL,
        notice_version text NOT NULL,
        jws text NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now(),
        withdrawn_at timestamptz,
        withdrawal_jws text
      )`);
    await q.query(`CREATE INDEX consent_controller_idx ON consent (controller)`);
    await q.query(`
      CREATE TABLE consent_subject (
        token text NOT NULL,
        consent_id text NOT NULL REFERENCES consent (consent_id),
        kind text NOT NULL CHECK (kind IN ('email','phone')),
        PRIMARY KEY (token, consent_id)
      )`);
    await q.query(`CREATE INDEX consent_subject_consent_idx ON consent_subject (consent_id)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE consent_subject`);
    await q.query(`DROP TABLE consent`);
  }
}
