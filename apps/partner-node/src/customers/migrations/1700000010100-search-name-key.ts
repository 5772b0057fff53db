import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A customer's whole name as one key: its distinct name words in code point order, joined by
 * spaces ("yilmaz fatima" and "Fatima Yılmaz" are both "fatima yilmaz"). A search whose words are
 * exactly a customer's words finds them through this B-tree, stopping at a page of customers,
 * before it asks the GIN index on `name_tokens` for customers holding those words among others:
 * where names repeat (a million customers from a few hundred words), the GIN lookup intersects two
 * posting lists of tens of thousands of customers for a page of 20. The words' order is fixed by
 * the "C" collation so that the key is the same on every database (customer-search.ts builds the
 * same key in code).
 */
export class SearchNameKey1700000010100 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION customer_name_key(tokens text[]) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT string_agg(t, ' ' ORDER BY t COLLATE "C") FROM (SELECT DISTINCT unnest(tokens) AS t) s $$`);
    await q.query(
      `CREATE INDEX customer_name_key_idx ON customer (customer_name_key(name_tokens)) WHERE deleted_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX customer_name_key_idx`);
    await q.query(`DROP FUNCTION customer_name_key(text[])`);
  }
}
