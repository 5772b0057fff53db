import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A GIN index first appends new entries to an unsorted pending list, which every search then reads
 * in full until a vacuum (or the list's limit, 4 MB by default) moves them into the index. After a
 * large import the name search's index lookup was measured at 3.5 ms with 60 pending pages (11,377
 * entries) against 1.0 ms once they were merged: the list, not the index, was most of a search.
 * A 64 kB limit keeps what a search reads unsorted to a few pages; inserts still merge their
 * entries in batches of that size.
 */
export class SearchGinPendingList1700000010000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER INDEX customer_name_tokens_gin SET (gin_pending_list_limit = 64)`);
    await q.query(`ALTER INDEX customer_name_term_trgm SET (gin_pending_list_limit = 64)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER INDEX customer_name_tokens_gin RESET (gin_pending_list_limit)`);
    await q.query(`ALTER INDEX customer_name_term_trgm RESET (gin_pending_list_limit)`);
  }
}
