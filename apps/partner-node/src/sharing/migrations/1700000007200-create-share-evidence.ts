import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence of sharing that outlives a purge (a purge deletes record contents, never these rows):
 * - share_evidence: signed messages that ledger entries name by hash and that ledger exports carry
 *   for the offline verifier: received share envelopes (`recordsRoot` ones, which hold no record),
 *   the membership statements that vouched for their signers' keys at the time, purge receipts
 *   (issued by this node, or received from recipients). Keyed by jwsHash.
 * - share_receipt: per received envelope, its salted per-record leaf hashes, which hash to the
 *   signed `recordsRoot` whether or not the records are still held.
 */
export class CreateShareEvidence1700000007200 implements MigrationInterface {
  name = 'CreateShareEvidence1700000007200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE share_evidence (
        hash text PRIMARY KEY CHECK (hash ~ '^[A-Za-z0-9_-]{43}$'),
        kind text NOT NULL CHECK (kind IN ('share', 'membership-statement', 'purge-receipt')),
        jws text NOT NULL CHECK (char_length(jws) <= 65536),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE share_receipt (
        issuer text NOT NULL,
        envelope_id text NOT NULL,
        envelope_hash text NOT NULL REFERENCES share_evidence (hash),
        issuer_statement_hash text REFERENCES share_evidence (hash),
        records_root text NOT NULL CHECK (records_root ~ '^[A-Za-z0-9_-]{43}$'),
        record_hashes text[] NOT NULL CHECK (cardinality(record_hashes) >= 1),
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (issuer, envelope_id)
      )`);
    await q.query(`CREATE INDEX share_receipt_envelope_hash_idx ON share_receipt (envelope_hash)`);
    await q.query(`CREATE INDEX share_receipt_statement_hash_idx ON share_receipt (issuer_statement_hash)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE share_receipt`);
    await q.query(`DROP TABLE share_evidence`);
  }
}
