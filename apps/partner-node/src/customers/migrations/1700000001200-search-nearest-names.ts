import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Name search by nearest neighbours: a GiST trigram index can return names in order of distance
 * and stop after one page, where the GIN index had to rank every candidate (seconds for a common
 * name at a million customers). Same index name, so plans and tests read the same.
 */
export class SearchNearestNames1700000001200 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX customer_search_text_trgm`);
    await q.query(
      `CREATE INDEX customer_search_text_trgm ON customer USING gist (search_text gist_trgm_ops)`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX customer_search_text_trgm`);
    await q.query(`CREATE INDEX customer_search_text_trgm ON customer USING gin (search_text gin_trgm_ops)`);
  }
}
