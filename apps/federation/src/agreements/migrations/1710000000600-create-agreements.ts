import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * agreement: the terms and the stored state ('expired' is computed from valid_until, and
 * 'accepted' reads 'active' from valid_from); agreement_message: the signed chain, in order.
 */
export class CreateAgreements1710000000600 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE agreement (
        agreement_id text PRIMARY KEY,
        version integer NOT NULL CHECK (version >= 1),
        proposer text NOT NULL REFERENCES member (partner_id),
        party_a text NOT NULL REFERENCES member (partner_id),
        party_b text NOT NULL REFERENCES member (partner_id),
        direction text NOT NULL CHECK (direction IN ('mutual','one-way')),
        purposes text[] NOT NULL,
        categories text[] NOT NULL,
        retention_days integer NOT NULL,
        min_cohort_size integer NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_until timestamptz NOT NULL,
        state text NOT NULL CHECK (state IN ('proposed','accepted','active','terminated')),
        agreement_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (party_a <> party_b),
        CHECK (valid_until > valid_from)
      )`);
    await q.query(`CREATE INDEX agreement_party_a_idx ON agreement (party_a)`);
    await q.query(`CREATE INDEX agreement_party_b_idx ON agreement (party_b)`);
    await q.query(`CREATE INDEX agreement_proposer_idx ON agreement (proposer)`);
    await q.query(`
      CREATE TABLE agreement_message (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agreement_id text NOT NULL REFERENCES agreement (agreement_id),
        seq integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('agreement','agreement-transition')),
        jws text NOT NULL,
        signed_by text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (agreement_id, seq)
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE agreement_message`);
    await q.query(`DROP TABLE agreement`);
  }
}
