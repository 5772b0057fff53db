import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A search's first step (a typed word's closest vocabulary words, see nameTermsStatement in
 * customer-search.ts) as a function, so that it runs one generic plan per connection. Sent as a
 * statement, PostgreSQL planned it again for each search, since its guesses for an unknown word
 * cost more than the plans for the words at hand; the plans were the same index probes, and
 * planning was most of the work: 0.97 ms of PostgreSQL CPU a lookup at a million customers, 0.28
 * ms with one generic plan. A function may fix its plan cache mode (`SET`); PL/pgSQL keeps its
 * plan for the session.
 *
 * Per word: the word itself and the words it starts (B-tree range in byte order, at most 100),
 * the words one typo away (sharing a deletion variant, GIN), and only when these find nothing,
 * trigram similarity (≥ pg_trgm.similarity_threshold) or a fragment inside a word (LIKE). The best
 * five by closeness: an exact word 1, a prefix 0.5-1 by how much of the word was typed, a fragment
 * inside a word 0.4-0.8, otherwise trigram similarity.
 */
export class SearchNameMatches1700000010410 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION customer_name_matches(typed text, fragment text, typed_end text, typed_variants text[])
        RETURNS TABLE (term text, score real)
        LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 5
        SET plan_cache_mode = force_generic_plan
      AS $$
      BEGIN
        RETURN QUERY
        WITH near AS (
          (SELECT v.term FROM customer_name_term v
            WHERE v.term ~>=~ typed AND v.term ~<~ typed_end
            ORDER BY v.term USING ~<~
            LIMIT 100)
           UNION
          SELECT v.term FROM customer_name_term v WHERE v.variants && typed_variants)
        SELECT t.term,
               (CASE WHEN t.term = typed THEN 1
                     WHEN left(t.term, length(typed)) = typed THEN 0.5 + 0.5 * length(typed) / length(t.term)
                     ELSE greatest(similarity(t.term, typed),
                                   CASE WHEN t.term LIKE fragment THEN 0.4 + 0.4 * length(typed) / length(t.term) ELSE 0 END)
                END)::real AS closeness
          FROM (SELECT n.term FROM near n
                 UNION ALL
                SELECT v.term FROM customer_name_term v
                 WHERE NOT EXISTS (SELECT FROM near) AND (v.term % typed OR v.term LIKE fragment)) t
         ORDER BY closeness DESC, t.term
         LIMIT 5;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION customer_name_matches(text, text, text, text[])`);
  }
}
