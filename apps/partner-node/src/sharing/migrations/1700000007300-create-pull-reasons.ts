import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pulls tied to a relationship (see docs/security.md, "Pulls tied to a relationship"):
 * - shared_pull (requesting side): every pull an agent made, with its reason (the care case or
 *   interaction of the customer) and the signed request ids, also the refused ones (rate limit);
 * - pull_answer (holding side): every verified history request a partner sent, with its opaque
 *   relationship and agent references, what was answered or refused, and whether the customer was
 *   created at the requester just before (`alert`, for the compliance officer);
 * - shared_access gains the reason under which shared items were shown.
 */
export class CreatePullReasons1700000007300 implements MigrationInterface {
  name = 'CreatePullReasons1700000007300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE shared_pull (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        customer_id uuid NOT NULL,
        reason_kind text NOT NULL CHECK (reason_kind IN ('care-case','interaction')),
        reason_id uuid NOT NULL,
        request_ids text[] NOT NULL DEFAULT '{}',
        status text NOT NULL CHECK (status IN ('sent','rate-limited')),
        pulled_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX shared_pull_user_idx ON shared_pull (user_id, pulled_at)`);
    await q.query(`CREATE INDEX shared_pull_customer_idx ON shared_pull (customer_id, pulled_at)`);
    await q.query(`
      CREATE TABLE pull_answer (
        requester text NOT NULL,
        request_id text NOT NULL,
        agreement_id text NOT NULL,
        relationship_kind text NOT NULL CHECK (relationship_kind IN ('care-case','interaction')),
        relationship_ref text NOT NULL CHECK (relationship_ref ~ '^[A-Za-z0-9_-]{43}$'),
        agent_ref text NOT NULL CHECK (agent_ref ~ '^[A-Za-z0-9_-]{43}$'),
        relationship_started_at timestamptz NOT NULL,
        customer_created_at timestamptz NOT NULL,
        requested_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('answered','empty','rate-limited')),
        refusal text,
        envelope_id text,
        records integer NOT NULL DEFAULT 0 CHECK (records >= 0),
        alert boolean NOT NULL DEFAULT false,
        received_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (requester, request_id)
      )`);
    await q.query(`CREATE INDEX pull_answer_requester_idx ON pull_answer (requester, received_at)`);
    await q.query(`CREATE INDEX pull_answer_agent_idx ON pull_answer (requester, agent_ref, received_at)`);
    await q.query(`CREATE INDEX pull_answer_alert_idx ON pull_answer (received_at, request_id) WHERE alert`);
    await q.query(`
      ALTER TABLE shared_access
        ADD COLUMN reason_kind text CHECK (reason_kind IN ('care-case','interaction')),
        ADD COLUMN reason_id uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE shared_access DROP COLUMN reason_kind, DROP COLUMN reason_id`);
    await q.query(`DROP TABLE pull_answer`);
    await q.query(`DROP TABLE shared_pull`);
  }
}
