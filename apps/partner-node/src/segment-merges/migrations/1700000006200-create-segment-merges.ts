import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Segment merges with partners: the signed messages of each merge (proposal, acceptance, own
 * manifest, the federation's result), the counts of the verified result, and the map from own
 * subject tokens to own customers (to resolve the consented intersection). A new segment kind,
 * `merged`, holds the materialised member-level merge.
 */
export class CreateSegmentMerges1700000006200 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE segment DROP CONSTRAINT segment_kind_check`);
    await q.query(
      `ALTER TABLE segment ADD CONSTRAINT segment_kind_check CHECK (kind IN ('rule','static','merged'))`,
    );
    await q.query(`
      CREATE TABLE segment_merge (
        merge_id text PRIMARY KEY CHECK (merge_id ~ '^[A-Za-z0-9._:-]{8,128}$'),
        agreement_id text NOT NULL REFERENCES sharing_agreement (agreement_id),
        partner_id text NOT NULL,
        role text NOT NULL CHECK (role IN ('proposer','partner')),
        state text NOT NULL CHECK (state IN ('proposed','accepted','uploaded','completed','failed')),
        segment_id uuid REFERENCES segment (id) ON DELETE SET NULL,
        bucket_by text CHECK (bucket_by IN ('country')),
        proposal_jws text NOT NULL,
        acceptance_jws text,
        manifest_jws text,
        manifest_hash text,
        result_jws text,
        result jsonb,
        merged_segment_id uuid UNIQUE REFERENCES segment (id) ON DELETE SET NULL,
        error text CHECK (char_length(error) <= 500),
        created_by uuid REFERENCES app_user (id) ON DELETE SET NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((result_jws IS NULL) = (result IS NULL)),
        CHECK (state <> 'completed' OR result_jws IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX segment_merge_created_idx ON segment_merge (created_at, merge_id)`);
    await q.query(`CREATE INDEX segment_merge_agreement_idx ON segment_merge (agreement_id)`);
    await q.query(`CREATE INDEX segment_merge_segment_idx ON segment_merge (segment_id)`);
    await q.query(`CREATE INDEX segment_merge_created_by_idx ON segment_merge (created_by)`);
    await q.query(`
      CREATE TABLE segment_merge_token (
        merge_id text NOT NULL REFERENCES segment_merge (merge_id) ON DELETE CASCADE,
        token text NOT NULL CHECK (token ~ '^[A-Za-z0-9_-]{43}$'),
        customer_id uuid NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
        consented boolean NOT NULL DEFAULT false,
        PRIMARY KEY (merge_id, token)
      )`);
    await q.query(`CREATE INDEX segment_merge_token_customer_idx ON segment_merge_token (customer_id)`);
    await q.query(
      `CREATE INDEX segment_merge_token_consented_idx ON segment_merge_token (merge_id) WHERE consented`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE segment_merge_token`);
    await q.query(`DROP TABLE segment_merge`);
    await q.query(`DELETE FROM segment WHERE kind = 'merged'`);
    await q.query(`ALTER TABLE segment DROP CONSTRAINT segment_kind_check`);
    await q.query(`ALTER TABLE segment ADD CONSTRAINT segment_kind_check CHECK (kind IN ('rule','static'))`);
  }
}
