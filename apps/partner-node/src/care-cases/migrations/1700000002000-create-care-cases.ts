import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Care cases. Enum values and the rules that do not depend on history (a resolved case has a
 * resolution, satisfaction is 1–5 and comes with its time) are also CHECKed by the database.
 * Indexes: the customer's timeline (customer_id, opened_at, id), the lists' sort keys, assignees.
 */
export class CreateCareCases1700000002000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE care_case (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES customer(id),
        subject text NOT NULL CHECK (char_length(subject) BETWEEN 1 AND 200),
        description text CHECK (char_length(description) <= 10000),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open','pending','resolved','closed')),
        priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low','normal','high','urgent')),
        -- Sort key of the PRIORITY_DESC order (urgent = 3 … low = 0).
        priority_rank smallint GENERATED ALWAYS AS (
          CASE priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END
        ) STORED,
        category text CHECK (char_length(category) BETWEEN 1 AND 100),
        due_at timestamptz(3),
        resolution text CHECK (char_length(resolution) BETWEEN 1 AND 10000),
        assignee_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        opened_at timestamptz(3) NOT NULL DEFAULT now(),
        resolved_at timestamptz(3),
        closed_at timestamptz(3),
        satisfaction smallint CHECK (satisfaction BETWEEN 1 AND 5),
        feedback_comment text CHECK (char_length(feedback_comment) <= 2000),
        feedback_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT care_case_resolution_required CHECK (status <> 'resolved' OR resolution IS NOT NULL),
        CONSTRAINT care_case_feedback_time CHECK ((satisfaction IS NULL) = (feedback_at IS NULL))
      )`);
    await q.query(`CREATE INDEX care_case_customer_opened_idx ON care_case (customer_id, opened_at, id)`);
    await q.query(`CREATE INDEX care_case_opened_at_idx ON care_case (opened_at, id)`);
    await q.query(`CREATE INDEX care_case_updated_at_idx ON care_case (updated_at, id)`);
    await q.query(`CREATE INDEX care_case_assignee_idx ON care_case (assignee_id)`);
    await q.query(
      `CREATE INDEX care_case_due_open_idx ON care_case (due_at, id) WHERE status IN ('open','pending')`,
    );
    await q.query(`CREATE INDEX care_case_status_idx ON care_case (status)`);
    await q.query(`CREATE INDEX care_case_priority_idx ON care_case (priority_rank, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE care_case`);
  }
}
