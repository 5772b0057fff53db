import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The federation's own Ed25519 keys; private parts sealed with AES-256-GCM. */
export class CreateFederationKeys1710000000200 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE federation_key (
        kid text PRIMARY KEY,
        public_jwk jsonb NOT NULL,
        sealed_private_jwk text NOT NULL,
        status text NOT NULL CHECK (status IN ('current','historical')),
        created_at timestamptz NOT NULL DEFAULT now(),
        retired_at timestamptz,
        CHECK ((status = 'historical') = (retired_at IS NOT NULL))
      )`);
    await q.query(
      `CREATE UNIQUE INDEX federation_key_one_current ON federation_key (status) WHERE status = 'current'`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE federation_key`);
  }
}
