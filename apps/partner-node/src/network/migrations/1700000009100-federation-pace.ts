import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row: the lease of the FederationPacer (which of the node's processes may send its next
 * windowed step to the federation, and from when the next one may start).
 */
export class FederationPace1700000009100 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE federation_pace (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        holder uuid,
        busy_until timestamptz NOT NULL DEFAULT '-infinity'
      )`);
    await q.query(`INSERT INTO federation_pace DEFAULT VALUES`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE federation_pace`);
  }
}
