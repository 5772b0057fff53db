import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * relay_log: what the relay carried, metadata only (who to whom, which envelope, how many
 * records, outcome, duration): never subject tokens, never payloads.
 */
export class CreateRelay1800000007000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE relay_log (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('history','envelope','withdrawal')),
        request_id text NOT NULL,
        from_partner text NOT NULL,
        to_partner text NOT NULL,
        message_id text,
        status text NOT NULL,
        reason text,
        duration_ms integer NOT NULL,
        relayed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX relay_log_relayed_at_idx ON relay_log (relayed_at DESC, id DESC)`);
    await q.query(`CREATE INDEX relay_log_message_idx ON relay_log (message_id)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE relay_log`);
  }
}
