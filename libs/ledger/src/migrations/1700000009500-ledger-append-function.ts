import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ledger_append(kinds, entries, leaf_hashes, appended_ats): sequences leaves (built and hashed
 * by the caller, RFC 8785 text and SHA-256(0x00 ‖ entry)) in one statement, so that the head
 * stays locked only for that statement and the caller's commit (issue 17: the append held the
 * lock over two round trips before). It locks ledger_head FOR UPDATE, takes seq = size, folds each
 * leaf into the stored frontier exactly as MerkleFrontier.append does (node hash =
 * SHA-256(0x01 ‖ left ‖ right), RFC 9162), writes the leaves, every perfect subtree they
 * complete and the new head, and returns the first seq. The same in every app that keeps a
 * ledger (after CreateLedger1700000005000); sha256() is core PostgreSQL (≥ 11) and PGlite.
 */
export class LedgerAppendFunction1700000009500 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION ledger_append(kinds text[], entries text[], leaf_hashes bytea[], appended_ats timestamptz[])
      RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE
        first_seq bigint;
        tree_size bigint;
        tree_frontier bytea;
        node_hash bytea;
        node_level int;
        node_levels smallint[] := '{}';
        node_indexes bigint[] := '{}';
        node_hashes bytea[] := '{}';
      BEGIN
        SELECT h.size, h.frontier INTO tree_size, tree_frontier FROM ledger_head h WHERE h.id FOR UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'ledger_head is missing: run the ledger migrations';
        END IF;
        first_seq := tree_size;
        FOR i IN 1 .. coalesce(cardinality(leaf_hashes), 0) LOOP
          node_hash := leaf_hashes[i];
          IF octet_length(node_hash) IS DISTINCT FROM 32 THEN
            RAISE EXCEPTION 'ledger_append: leaf hash % is not 32 bytes', i USING ERRCODE = 'invalid_parameter_value';
          END IF;
          -- The frontier's last hash is the subtree of level = lowest set bit of size: merge while
          -- the leaf's subtree meets one of its own level, as a binary counter carries.
          node_level := 0;
          WHILE (tree_size >> node_level) & 1 = 1 LOOP
            node_hash := sha256('\\x01'::bytea || substr(tree_frontier, octet_length(tree_frontier) - 31, 32) || node_hash);
            tree_frontier := substr(tree_frontier, 1, octet_length(tree_frontier) - 32);
            node_level := node_level + 1;
            node_levels := node_levels || node_level::smallint;
            node_indexes := node_indexes || (tree_size >> node_level);
            node_hashes := node_hashes || node_hash;
          END LOOP;
          tree_frontier := tree_frontier || node_hash;
          tree_size := tree_size + 1;
        END LOOP;
        INSERT INTO ledger_entry (seq, kind, entry, leaf_hash, appended_at)
        SELECT first_seq + u.n - 1, u.kind, u.entry, u.leaf_hash, u.appended_at
          FROM unnest(kinds, entries, leaf_hashes, appended_ats) WITH ORDINALITY AS u(kind, entry, leaf_hash, appended_at, n);
        INSERT INTO ledger_node (level, idx, hash) SELECT * FROM unnest(node_levels, node_indexes, node_hashes);
        UPDATE ledger_head h SET size = tree_size, frontier = tree_frontier, updated_at = now() WHERE h.id;
        RETURN first_seq;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION ledger_append(text[], text[], bytea[], timestamptz[])`);
  }
}
