import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Market segments: a rule segment stores its rule (validated JSON, see libs/segments) and its
 * materialised membership, replaced atomically by each refresh; a static segment is a list edited
 * by hand. Every change of size is recorded in segment_size_history (for the dashboards).
 * `rule_version` grows when the rule changes: refresh jobs are idempotent per (segment, version).
 */
export class CreateSegments1700000006000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE segment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        description text CHECK (char_length(description) <= 2000),
        kind text NOT NULL CHECK (kind IN ('rule','static')),
        rule jsonb,
        rule_version int NOT NULL DEFAULT 1 CHECK (rule_version >= 1),
        refresh_every_minutes int CHECK (refresh_every_minutes BETWEEN 5 AND 10080),
        size int NOT NULL DEFAULT 0 CHECK (size >= 0),
        refresh_requested_at timestamptz(3),
        refreshed_at timestamptz(3),
        created_by uuid REFERENCES app_user(id) ON DELETE SET NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT segment_rule_of_kind CHECK ((kind = 'rule') = (rule IS NOT NULL)),
        CONSTRAINT segment_refresh_of_kind CHECK (kind = 'rule' OR refresh_every_minutes IS NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX segment_name_key ON segment (lower(name))`);
    await q.query(`CREATE INDEX segment_created_at_idx ON segment (created_at, id)`);
    await q.query(`CREATE INDEX segment_created_by_idx ON segment (created_by)`);
    await q.query(
      `CREATE INDEX segment_scheduled_idx ON segment (refreshed_at) WHERE refresh_every_minutes IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE segment_member (
        segment_id uuid NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
        customer_id uuid NOT NULL REFERENCES customer(id) ON DELETE CASCADE,
        added_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (segment_id, customer_id)
      )`);
    await q.query(`CREATE INDEX segment_member_customer_idx ON segment_member (customer_id)`);

    await q.query(`
      CREATE TABLE segment_size_history (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        segment_id uuid NOT NULL REFERENCES segment(id) ON DELETE CASCADE,
        size int NOT NULL CHECK (size >= 0),
        at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX segment_size_history_segment_at_idx ON segment_size_history (segment_id, at, id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE segment_size_history`);
    await q.query(`DROP TABLE segment_member`);
    await q.query(`DROP TABLE segment`);
  }
}
