import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Trigram indexes power the customer search. */
export class Extensions1700000000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
  }
  async down(): Promise<void> {
    // Extensions may be shared with other schemas: left in place.
  }
}
