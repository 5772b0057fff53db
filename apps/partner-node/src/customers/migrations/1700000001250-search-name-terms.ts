import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Name search through a vocabulary. Each customer carries its name as lower-cased words without accents
 * (`name_tokens`, generated, GIN-indexed); `customer_name_term` holds each distinct word once,
 * trigram-indexed. A search first matches the words typed against that small vocabulary (typos,
 * prefixes), then fetches the customers holding the matched words, a bounded index lookup per
 * combination. Names repeat (a million customers share a few thousand words), so neither step
 * ranks the whole table, which the nearest-neighbour GiST scan on `search_text` did (835 ms p95 at
 * a million customers).
 *
 * The vocabulary is kept by statement-level triggers, so every writer (service, CSV import,
 * merge, erasure) keeps it right: words of new names are added; words no longer used by any live
 * customer are removed, so an erased name does not linger. The word split is mirrored by
 * `nameWords` in customer-search.ts.
 */
// Accents folded, so that "lea" finds "Léa" and "GARCIA" finds "García" (the same table as
// FOLD in customer-search.ts; frozen here as migrations are).
const FOLD_FROM =
  'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïıÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿŁłŚśŠšŞşŽžŹźŻżĆćČčĞğŃńŇňŘřŤťĚěŮůŐőŰűĄąĘę';
const FOLD_TO =
  'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiiNnOOOOOOooooooUUUUuuuuYyyLlSsSsSsZzZzZzCcCcGgNnNnRrTtEeUuOoUuAaEe';

export class SearchNameTerms1700000001250 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE customer ADD COLUMN name_tokens text[] GENERATED ALWAYS AS (
        array_remove(regexp_split_to_array(
          lower(translate(first_name || ' ' || last_name, '${FOLD_FROM}', '${FOLD_TO}')),
          '[[:space:],.;:''’()/-]+'), '')
      ) STORED`);
    await q.query(
      `CREATE INDEX customer_name_tokens_gin ON customer USING gin (name_tokens) WHERE deleted_at IS NULL`,
    );
    await q.query(`DROP INDEX customer_search_text_trgm`);
    await q.query(`CREATE TABLE customer_name_term (term text PRIMARY KEY)`);
    await q.query(`CREATE INDEX customer_name_term_trgm ON customer_name_term USING gin (term gin_trgm_ops)`);
    await q.query(`
      INSERT INTO customer_name_term (term)
      SELECT DISTINCT unnest(name_tokens) FROM customer WHERE deleted_at IS NULL`);
    const add = `
        INSERT INTO customer_name_term (term)
        SELECT DISTINCT unnest(n.name_tokens) FROM new_rows n WHERE n.deleted_at IS NULL
        ON CONFLICT DO NOTHING;`;
    await q.query(`
      CREATE FUNCTION customer_name_terms_add() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${add}
        RETURN NULL;
      END $$`);
    // Only words whose last live holder changed name, was soft-deleted or was deleted.
    const prune = (changed: string) => `
        DELETE FROM customer_name_term t
         WHERE t.term IN (${changed})
           AND NOT EXISTS (SELECT 1 FROM customer c
                            WHERE c.name_tokens @> ARRAY[t.term] AND c.deleted_at IS NULL);`;
    await q.query(`
      CREATE FUNCTION customer_name_terms_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN ${add}
        ${prune(`SELECT unnest(o.name_tokens) FROM old_rows o JOIN new_rows n ON n.id = o.id
                  WHERE o.deleted_at IS NULL
                    AND (n.deleted_at IS NOT NULL OR n.name_tokens IS DISTINCT FROM o.name_tokens)`)}
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION customer_name_terms_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${prune(`SELECT unnest(o.name_tokens) FROM old_rows o WHERE o.deleted_at IS NULL`)}
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER customer_name_terms_insert AFTER INSERT ON customer
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_name_terms_add()`);
    await q.query(`
      CREATE TRIGGER customer_name_terms_update AFTER UPDATE ON customer
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION customer_name_terms_update()`);
    await q.query(`
      CREATE TRIGGER customer_name_terms_delete AFTER DELETE ON customer
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_name_terms_delete()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER customer_name_terms_delete ON customer`);
    await q.query(`DROP TRIGGER customer_name_terms_update ON customer`);
    await q.query(`DROP TRIGGER customer_name_terms_insert ON customer`);
    await q.query(`DROP FUNCTION customer_name_terms_delete()`);
    await q.query(`DROP FUNCTION customer_name_terms_update()`);
    await q.query(`DROP FUNCTION customer_name_terms_add()`);
    await q.query(`DROP TABLE customer_name_term`);
    await q.query(
      `CREATE INDEX customer_search_text_trgm ON customer USING gist (search_text gist_trgm_ops)`,
    );
    await q.query(`ALTER TABLE customer DROP COLUMN name_tokens`);
  }
}
