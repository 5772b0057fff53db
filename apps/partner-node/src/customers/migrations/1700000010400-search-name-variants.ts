import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The vocabulary lookup (a search's first step) bounded by index probes instead of a trigram scan.
 * A real customer base has a long tail of surnames (about 118,000 distinct name words at a million
 * customers in the bench's population); there the trigram GIN index answered a word's `%` with a
 * thousand candidate words or more (any word sharing a third of its trigrams: " ma", "ert",
 * "son"), each rechecked by `similarity()`: a query's lookup took p50 3.6, p95 9.4 ms, growing
 * with the vocabulary (0.4 ms at 122 words); 1.1 and 1.5 ms through these indexes.
 *
 * - `variants`: the word and, from 4 letters on, each way of deleting one letter ("martin":
 *   artin, mrtin, matin, marin, martn, marti), GIN-indexed. Two words one typo apart (a letter
 *   dropped, added, replaced, or two swapped) share a variant, so a mistyped word finds its word
 *   by probing the index with its own variants: a few keys of a few words each, whatever the size
 *   of the vocabulary (symmetric deletion, as spelling correctors do it).
 * - `customer_name_term_prefix` (text_pattern_ops): the exact word and the words it starts (a name
 *   typed in part) by a B-tree range, in byte order, bounded.
 *
 * The trigram index stays for what neither finds (two typos, a fragment from inside a word), and is
 * read only then. `nameVariants` in customer-search.ts builds a query word's variants as
 * `customer_name_variants` does (frozen here as migrations are).
 */
export class SearchNameVariants1700000010400 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION customer_name_variants(word text) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT ARRAY(SELECT word
                            UNION
                           SELECT overlay(word PLACING '' FROM i FOR 1)
                             FROM generate_series(1, length(word)) i
                            WHERE length(word) >= 4) $$`);
    await q.query(`
      ALTER TABLE customer_name_term
        ADD COLUMN variants text[] GENERATED ALWAYS AS (customer_name_variants(term)) STORED`);
    await q.query(`
      CREATE INDEX customer_name_term_variants ON customer_name_term USING gin (variants)
        WITH (gin_pending_list_limit = 64)`);
    // Each variant is in one word or a few: with the default statistics ANALYZE keeps no common
    // elements for the column, and the planner then guesses 0.5 % of the vocabulary per variant
    // (10,000 words for an 18-letter word, close to a scan's cost, where 0 to 20 match). With
    // 1,000 it keeps some, and guesses half the rarest one's frequency: 28-94 words at a million
    // customers (118,000 words; ANALYZE 1.4 s).
    await q.query(`ALTER TABLE customer_name_term ALTER COLUMN variants SET STATISTICS 1000`);
    await q.query(`CREATE INDEX customer_name_term_prefix ON customer_name_term (term text_pattern_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX customer_name_term_prefix`);
    await q.query(`DROP INDEX customer_name_term_variants`);
    await q.query(`ALTER TABLE customer_name_term DROP COLUMN variants`);
    await q.query(`DROP FUNCTION customer_name_variants(text)`);
  }
}
