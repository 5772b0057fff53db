import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only ledger (DESIGN.md invariant 5), the same in every app that keeps one: register
 * this class in the app's own migration list.
 *
 * - ledger_head: one row, the tree size and its Merkle frontier (the hashes of the perfect
 *   subtrees that make up [0, size), largest first, concatenated). Appenders lock it FOR UPDATE.
 * - ledger_entry: the leaves, gap-free from seq 0; `entry` is the RFC 8785 canonical JSON leaf and
 *   `leaf_hash` = SHA-256(0x00 ‖ entry).
 * - ledger_node: every completed perfect subtree of level ≥ 1 (level, index) → hash, so that any
 *   proof needs O(log n) indexed reads whatever the size.
 * - ledger_checkpoint: signed tree heads (C2SP checkpoints in signed notes).
 * - ledger_queue: entries committed by their business transaction and not yet sequenced (the
 *   group-commit path, LedgerService.enqueue).
 */
export class CreateLedger1700000005000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_head (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        size bigint NOT NULL DEFAULT 0 CHECK (size >= 0),
        frontier bytea NOT NULL DEFAULT ''::bytea CHECK (octet_length(frontier) % 32 = 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO ledger_head DEFAULT VALUES`);
    await q.query(`
      CREATE TABLE ledger_entry (
        seq bigint PRIMARY KEY CHECK (seq >= 0),
        kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9._-]{0,63}$'),
        entry text NOT NULL,
        leaf_hash bytea NOT NULL CHECK (octet_length(leaf_hash) = 32),
        appended_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX ledger_entry_kind_idx ON ledger_entry (kind, seq)`);
    await q.query(`
      CREATE TABLE ledger_node (
        level smallint NOT NULL CHECK (level BETWEEN 1 AND 62),
        idx bigint NOT NULL CHECK (idx >= 0),
        hash bytea NOT NULL CHECK (octet_length(hash) = 32),
        PRIMARY KEY (level, idx)
      )`);
    await q.query(`
      CREATE TABLE ledger_checkpoint (
        size bigint PRIMARY KEY CHECK (size > 0),
        root_hash bytea NOT NULL CHECK (octet_length(root_hash) = 32),
        note text NOT NULL,
        signer jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE ledger_queue (
        id bigserial PRIMARY KEY,
        kind text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9._-]{0,63}$'),
        entry text NOT NULL,
        leaf_hash bytea NOT NULL CHECK (octet_length(leaf_hash) = 32),
        appended_at timestamptz NOT NULL
      )`);
    // Append-only: the application never changes or removes a leaf, a node or a checkpoint.
    // (Whoever owns the database can still disable this; the Merkle tree is what makes it evident.)
    await q.query(`
      CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['ledger_entry', 'ledger_node', 'ledger_checkpoint']) {
      await q.query(`
        CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`);
      await q.query(`
        CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ledger_queue, ledger_checkpoint, ledger_node, ledger_entry, ledger_head`);
    await q.query(`DROP FUNCTION ledger_refuse_change()`);
  }
}
