import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The node's own keys: Ed25519 (signing) and X25519 (agreement). Private keys are stored only
 * sealed (AES-256-GCM, see KeySealer); the public JWK may never carry "d". One active key per use;
 * pending keys wait for the federation to accept a rotation; retired keys only verify.
 */
export class CreateNodeKeys1700000004000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE node_key (
        kid text PRIMARY KEY CHECK (kid ~ '^[A-Za-z0-9_-]{43}$'),
        use text NOT NULL CHECK (use IN ('signing','agreement')),
        public_jwk jsonb NOT NULL CHECK (jsonb_typeof(public_jwk) = 'object' AND NOT public_jwk ? 'd'
          AND public_jwk->>'kid' = kid),
        sealed_private_key text NOT NULL CHECK (sealed_private_key ~ '^v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$'),
        status text NOT NULL CHECK (status IN ('pending','active','retired')),
        created_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        retired_at timestamptz,
        CHECK ((status = 'active') = (activated_at IS NOT NULL AND retired_at IS NULL) OR status = 'retired'),
        CHECK ((status = 'retired') = (retired_at IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX node_key_one_active ON node_key (use) WHERE status = 'active'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE node_key`);
  }
}
