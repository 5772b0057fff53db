import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMembers1710000000500 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE member (
        partner_id text PRIMARY KEY,
        name text NOT NULL,
        endpoint text NOT NULL,
        status text NOT NULL CHECK (status IN ('active','suspended','removed')),
        status_reason text,
        statement text NOT NULL,
        statement_issued_at timestamptz NOT NULL,
        statement_expires_at timestamptz NOT NULL,
        valid_until timestamptz NOT NULL,
        admitted_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX member_status_idx ON member (status)`);
    await q.query(`
      CREATE TABLE member_key (
        kid text PRIMARY KEY,
        partner_id text NOT NULL REFERENCES member (partner_id),
        jwk jsonb NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        retires_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX member_key_partner_idx ON member_key (partner_id)`);
    await q.query(`
      CREATE TABLE membership_application (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partner_id text NOT NULL,
        name text NOT NULL,
        endpoint text NOT NULL,
        jwks jsonb NOT NULL,
        jws text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected')),
        submitted_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        decided_by uuid REFERENCES operator_user (id),
        decision_reason text
      )`);
    await q.query(
      `CREATE UNIQUE INDEX membership_application_one_pending ON membership_application (partner_id) WHERE status = 'pending'`,
    );
    await q.query(
      `CREATE INDEX membership_application_status_idx ON membership_application (status, submitted_at)`,
    );
    await q.query(
      `CREATE INDEX membership_application_decided_by_idx ON membership_application (decided_by)`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE membership_application`);
    await q.query(`DROP TABLE member_key`);
    await q.query(`DROP TABLE member`);
  }
}
