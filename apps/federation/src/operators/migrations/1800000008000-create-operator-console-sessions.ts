import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The operators' web console sessions (the shared console_session table): only the cookie id's SHA-256. */
export class CreateOperatorConsoleSessions1800000008000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE console_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id_hash bytea NOT NULL UNIQUE CHECK (length(session_id_hash) = 32),
        user_id uuid NOT NULL REFERENCES operator_user (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_activity_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ended_at timestamptz,
        end_reason text CHECK (end_reason IN ('LOGOUT', 'IDLE_TIMEOUT', 'SESSION_EXPIRED', 'USER_DISABLED')),
        CHECK ((ended_at IS NULL) = (end_reason IS NULL))
      )`);
    await q.query(`CREATE INDEX console_session_user_idx ON console_session (user_id)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE console_session`);
  }
}
