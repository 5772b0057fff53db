import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A search's second step (the ranked page of customers, see customerSearchStatement in
 * customer-search.ts) as a function, for the reason customer_name_matches is one: sent as one
 * statement of up to twenty branches, PostgreSQL planned it again for every search, and planning
 * was half of its work (at a million customers, 2.1 ms of planning against 2.0 ms of execution a
 * search, on a slow machine). Here each lookup is a small statement with one generic plan per
 * connection, the same index probe whatever the words (the EXPLAIN tests check each plan), and a
 * lookup that cannot change the page is not run at all (instead of an InitPlan gate in the plan).
 * Sequential scans are off inside it: every lookup here is an index probe by design, and a generic
 * plan for "holds these words" under LIMIT weighs a scan that stops early for a common name (about
 * 180 against 141 for the GIN lookup at a million customers) without knowing that for a rare name
 * it reads the whole table.
 *
 * The lookups, in order, each bounded by the page:
 * - an e-mail (`email`, when the query has no space): the exact address (rank 3), then addresses
 *   starting with it (rank 2; a byte-order range `[email_from, email_to)` on the text_pattern_ops
 *   index, which a parameter can use where LIKE cannot);
 * - a phone (`phone`, its E.164 form): numbers ending with the digits typed (`[phone_from,
 *   phone_to)`, reversed, on the index of reversed numbers), rank 3 when the whole number matches;
 * - per combination of name words, best first (`name_keys`, each the words' key, with its score):
 *   customers whose words are exactly these (the name key's B-tree), then customers holding them
 *   among others (GIN on `name_tokens`), rank 1 with the combination's score. A combination is
 *   looked up only while fewer than a page of distinct customers were found before it: all of
 *   those rank above it.
 *
 * The page: the customers themselves (the statement that calls it selects their columns, in the
 * order of the function's rows, `WITH ORDINALITY`), each once, by its best rank, then its best
 * score, then id. Their rows are read here too: a statement joining the function's ids with
 * `customer` was planned again at every call (0.16 ms, a tenth of PostgreSQL's work a search).
 */
export class SearchCustomerHits1700000010900 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION customer_search_hits(
          page int, email text, email_from text, email_to text,
          phone text, phone_from text, phone_to text,
          name_keys text[], name_scores real[])
        RETURNS SETOF customer
        LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 20
        SET plan_cache_mode = force_generic_plan
        SET enable_seqscan = off
      AS $$
      DECLARE
        ids uuid[] := '{}';
        ranks int[] := '{}';
        scores real[] := '{}';
        found uuid[];
        found_ranks int[];
        i int;
      BEGIN
        IF email IS NOT NULL THEN
          SELECT coalesce(array_agg(x.customer_id), '{}') INTO found FROM (
            SELECT e.customer_id FROM customer_email e
              JOIN customer c ON c.id = e.customer_id AND c.deleted_at IS NULL
             WHERE e.address = email
             LIMIT page) x;
          ids := ids || found;
          ranks := ranks || array_fill(3, ARRAY[cardinality(found)]);
          scores := scores || array_fill(1::real, ARRAY[cardinality(found)]);
          SELECT coalesce(array_agg(x.customer_id), '{}') INTO found FROM (
            SELECT e.customer_id FROM customer_email e
              JOIN customer c ON c.id = e.customer_id AND c.deleted_at IS NULL
             WHERE e.address ~>=~ email_from AND e.address ~<~ email_to
             ORDER BY e.address USING ~<~
             LIMIT page) x;
          ids := ids || found;
          ranks := ranks || array_fill(2, ARRAY[cardinality(found)]);
          scores := scores || array_fill(1::real, ARRAY[cardinality(found)]);
        END IF;
        IF phone IS NOT NULL THEN
          SELECT coalesce(array_agg(x.customer_id), '{}'), coalesce(array_agg(x.rank), '{}')
            INTO found, found_ranks FROM (
            SELECT ph.customer_id, CASE WHEN ph.number = phone THEN 3 ELSE 2 END AS rank
              FROM customer_phone ph
              JOIN customer c ON c.id = ph.customer_id AND c.deleted_at IS NULL
             WHERE reverse(ph.number) ~>=~ phone_from AND reverse(ph.number) ~<~ phone_to
             ORDER BY reverse(ph.number) USING ~<~
             LIMIT page) x;
          ids := ids || found;
          ranks := ranks || found_ranks;
          scores := scores || array_fill(1::real, ARRAY[cardinality(found)]);
        END IF;
        FOR i IN 1 .. coalesce(cardinality(name_keys), 0) LOOP
          EXIT WHEN (SELECT count(DISTINCT f) FROM unnest(ids) f) >= page;
          SELECT coalesce(array_agg(x.id), '{}') INTO found FROM (
            SELECT c.id FROM customer c
             WHERE customer_name_key(c.name_tokens) = name_keys[i] AND c.deleted_at IS NULL
             LIMIT page) x;
          ids := ids || found;
          ranks := ranks || array_fill(1, ARRAY[cardinality(found)]);
          scores := scores || array_fill(name_scores[i], ARRAY[cardinality(found)]);
          EXIT WHEN (SELECT count(DISTINCT f) FROM unnest(ids) f) >= page;
          SELECT coalesce(array_agg(x.id), '{}') INTO found FROM (
            SELECT c.id FROM customer c
             WHERE c.name_tokens @> string_to_array(name_keys[i], ' ') AND c.deleted_at IS NULL
             LIMIT page) x;
          ids := ids || found;
          ranks := ranks || array_fill(1, ARRAY[cardinality(found)]);
          scores := scores || array_fill(name_scores[i], ARRAY[cardinality(found)]);
        END LOOP;
        RETURN QUERY
        SELECT c.*
          FROM (SELECT h.id, max(h.rank) AS rank, max(h.score) AS score
                  FROM unnest(ids, ranks, scores) AS h(id, rank, score)
                 GROUP BY h.id
                 ORDER BY max(h.rank) DESC, max(h.score) DESC, h.id
                 LIMIT page) b
          JOIN customer c ON c.id = b.id
         ORDER BY b.rank DESC, b.score DESC, b.id;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP FUNCTION customer_search_hits(int, text, text, text, text, text, text, text[], real[])`,
    );
  }
}
