import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Federation key rotation without re-pinning: a new key is first `next` (announced, not yet
 * signing) with the time it activates and its rotation statement, signed by the key it replaces.
 */
export class AnnounceFederationKeys1710000001000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE federation_key DROP CONSTRAINT federation_key_status_check`);
    await q.query(`
      ALTER TABLE federation_key
        ADD CONSTRAINT federation_key_status_check CHECK (status IN ('next','current','historical')),
        ADD COLUMN activates_at timestamptz,
        ADD COLUMN rotation_statement text,
        ADD CONSTRAINT federation_key_next_announced
          CHECK (status <> 'next' OR (activates_at IS NOT NULL AND rotation_statement IS NOT NULL))`);
    await q.query(
      `CREATE UNIQUE INDEX federation_key_one_next ON federation_key (status) WHERE status = 'next'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM federation_key WHERE status = 'next'`);
    await q.query(`DROP INDEX federation_key_one_next`);
    await q.query(`
      ALTER TABLE federation_key
        DROP CONSTRAINT federation_key_next_announced,
        DROP COLUMN rotation_statement,
        DROP COLUMN activates_at,
        DROP CONSTRAINT federation_key_status_check,
        ADD CONSTRAINT federation_key_status_check CHECK (status IN ('current','historical'))`);
  }
}
