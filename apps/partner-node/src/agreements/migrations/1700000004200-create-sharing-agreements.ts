import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The local mirror of this node's sharing agreements: the terms as the proposer signed them, the
 * state computed from the verified signed chain (proposal + transitions), and the chain itself.
 * The pseudonym key of an agreement is derived when needed and never stored.
 */
export class CreateSharingAgreements1700000004200 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sharing_agreement (
        agreement_id text PRIMARY KEY CHECK (agreement_id ~ '^[A-Za-z0-9._:-]{8,128}$'),
        version integer NOT NULL CHECK (version >= 1),
        proposer text NOT NULL,
        party_a text NOT NULL,
        party_b text NOT NULL,
        partner_id text NOT NULL,
        direction text NOT NULL CHECK (direction IN ('mutual','one-way')),
        purposes text[] NOT NULL CHECK (cardinality(purposes) >= 1
          AND purposes <@ ARRAY['customer-care','marketing','analytics']),
        categories text[] NOT NULL CHECK (cardinality(categories) >= 1
          AND categories <@ ARRAY['contact','orders','care-history','segment-membership']),
        retention_days integer NOT NULL CHECK (retention_days BETWEEN 1 AND 3650),
        min_cohort_size integer NOT NULL CHECK (min_cohort_size >= 1),
        valid_from timestamptz NOT NULL,
        valid_until timestamptz NOT NULL,
        state text NOT NULL CHECK (state IN ('proposed','accepted','active','terminated','expired')),
        agreement_hash text NOT NULL CHECK (agreement_hash ~ '^[A-Za-z0-9_-]{43}$'),
        chain jsonb NOT NULL CHECK (jsonb_typeof(chain) = 'array' AND jsonb_array_length(chain) >= 1),
        refreshed_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (party_a <> party_b AND partner_id IN (party_a, party_b) AND proposer IN (party_a, party_b)),
        CHECK (valid_until > valid_from)
      )`);
    await q.query(`CREATE INDEX sharing_agreement_partner_idx ON sharing_agreement (partner_id, state)`);
    await q.query(
      `CREATE INDEX sharing_agreement_created_at_idx ON sharing_agreement (created_at, agreement_id)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sharing_agreement`);
  }
}
