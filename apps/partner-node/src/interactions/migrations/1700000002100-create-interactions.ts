import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Interactions. Indexes: the customer's timeline (customer_id, occurred_at, id), the global list
 * (occurred_at, id), and each foreign key (care case, agent).
 */
export class CreateInteractions1700000002100 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE interaction (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES customer(id),
        channel text NOT NULL CHECK (channel IN ('phone','email','fax','chat','social','in_person','web')),
        direction text NOT NULL CHECK (direction IN ('inbound','outbound')),
        subject text CHECK (char_length(subject) BETWEEN 1 AND 200),
        summary text CHECK (char_length(summary) BETWEEN 1 AND 10000),
        agent_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        care_case_id uuid REFERENCES care_case(id),
        occurred_at timestamptz(3) NOT NULL DEFAULT now(),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX interaction_customer_occurred_idx ON interaction (customer_id, occurred_at, id)`,
    );
    await q.query(`CREATE INDEX interaction_occurred_idx ON interaction (occurred_at, id)`);
    await q.query(`CREATE INDEX interaction_care_case_idx ON interaction (care_case_id, occurred_at)`);
    await q.query(`CREATE INDEX interaction_agent_idx ON interaction (agent_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE interaction`);
  }
}
