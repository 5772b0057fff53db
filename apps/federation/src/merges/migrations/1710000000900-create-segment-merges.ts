import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Segment merges: the signed proposal and acceptance, each party's signed manifest header, the
 * chunks while they stream in (UNLOGGED: transient, deleted once the result is computed; the
 * durable record of a manifest is its signed header with the Merkle root of its chunks) and the
 * signed result with the consented shared tokens.
 */
const MERGE_EVENT_TYPES = ['merge.proposed', 'merge.accepted', 'merge.manifest', 'merge.result'];

/**
 * Lets federation_event take the merge.* types: adds them to the types its CHECK allows now,
 * whatever other migrations allowed before (the federation ledger's migration may have added them).
 */
async function allowMergeEvents(q: QueryRunner): Promise<void> {
  const [row]: { def: string }[] = await q.query(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'federation_event_type_check'`,
  );
  const allowed = [...(row?.def ?? '').matchAll(/'([a-z.-]+)'/g)].map((m) => m[1]!);
  const missing = MERGE_EVENT_TYPES.filter((t) => !allowed.includes(t));
  if (missing.length === 0) return;
  const types = [...allowed, ...missing].map((t) => `'${t}'`).join(', ');
  await q.query(`ALTER TABLE federation_event DROP CONSTRAINT federation_event_type_check`);
  await q.query(
    `ALTER TABLE federation_event ADD CONSTRAINT federation_event_type_check CHECK (type IN (${types}))`,
  );
}

export class CreateSegmentMerges1710000000900 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await allowMergeEvents(q);
    await q.query(`
      CREATE TABLE segment_merge (
        merge_id text PRIMARY KEY,
        agreement_id text NOT NULL REFERENCES agreement (agreement_id),
        proposer text NOT NULL REFERENCES member (partner_id),
        partner text NOT NULL REFERENCES member (partner_id),
        state text NOT NULL CHECK (state IN ('proposed','accepted','completed')),
        proposer_segment text NOT NULL,
        partner_segment text,
        bucket_by text CHECK (bucket_by IN ('country')),
        proposal_jws text NOT NULL,
        acceptance_jws text,
        result_jws text,
        consented_tokens bytea,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (proposer <> partner),
        CHECK ((state = 'proposed') = (acceptance_jws IS NULL)),
        CHECK ((state = 'completed') = (result_jws IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX segment_merge_proposer_idx ON segment_merge (proposer)`);
    await q.query(`CREATE INDEX segment_merge_partner_idx ON segment_merge (partner)`);
    await q.query(`CREATE INDEX segment_merge_agreement_idx ON segment_merge (agreement_id)`);
    await q.query(`
      CREATE TABLE merge_manifest (
        merge_id text NOT NULL REFERENCES segment_merge (merge_id) ON DELETE CASCADE,
        party text NOT NULL REFERENCES member (partner_id),
        jws text NOT NULL,
        manifest_hash text NOT NULL,
        root text NOT NULL,
        chunk_count integer NOT NULL CHECK (chunk_count >= 1),
        total integer NOT NULL CHECK (total >= 1),
        members integer NOT NULL CHECK (members >= 1),
        buckets jsonb,
        received_at timestamptz NOT NULL DEFAULT now(),
        complete_at timestamptz,
        PRIMARY KEY (merge_id, party)
      )`);
    await q.query(`CREATE INDEX merge_manifest_party_idx ON merge_manifest (party)`);
    await q.query(`
      CREATE UNLOGGED TABLE merge_manifest_chunk (
        merge_id text NOT NULL,
        party text NOT NULL,
        idx integer NOT NULL CHECK (idx >= 0),
        bytes bytea NOT NULL,
        records integer NOT NULL,
        first_token bytea NOT NULL,
        last_token bytea NOT NULL,
        PRIMARY KEY (merge_id, party, idx),
        FOREIGN KEY (merge_id, party) REFERENCES merge_manifest (merge_id, party) ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE merge_manifest_chunk`);
    await q.query(`DROP TABLE merge_manifest`);
    // The merge.* event types stay allowed: recorded events of past merges keep their rows.
    await q.query(`DROP TABLE segment_merge`);
  }
}
