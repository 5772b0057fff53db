import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When each historical federation key was retired (kid → NumericDate), from the entity statement:
 * a retired key then verifies only what the federation signed with it before (invariant 2).
 */
export class FederationKeyRetirements1700000004110 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE network_membership
        ADD COLUMN federation_key_retirements jsonb NOT NULL DEFAULT '{}'
          CHECK (jsonb_typeof(federation_key_retirements) = 'object')`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE network_membership DROP COLUMN federation_key_retirements`);
  }
}
