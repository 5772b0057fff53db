import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * received_message: every accepted message id per issuer (replay protection, unique key);
 * refusal: every refused message or request, without its payload.
 */
export class CreateIntake1710000000400 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE received_message (
        issuer text NOT NULL,
        jti text NOT NULL,
        kind text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (issuer, jti)
      )`);
    await q.query(`CREATE INDEX received_message_expires_idx ON received_message (expires_at)`);
    await q.query(`
      CREATE TABLE refusal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL,
        reason text NOT NULL,
        issuer text,
        kid text,
        jti text,
        route text NOT NULL,
        message text NOT NULL,
        refused_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refusal_refused_at_idx ON refusal (refused_at DESC, id DESC)`);
    await q.query(`CREATE INDEX refusal_reason_idx ON refusal (reason)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE refusal`);
    await q.query(`DROP TABLE received_message`);
  }
}
