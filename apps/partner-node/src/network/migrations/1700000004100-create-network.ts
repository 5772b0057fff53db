import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Membership of the federation (one row), the cached member directory (each entry's membership
 * statement verified against the federation's keys before it is stored), and the refusals of
 * incoming protocol messages (no personal data: ids, codes and a short message).
 */
export class CreateNetwork1700000004100 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE network_membership (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        federation_url text NOT NULL CHECK (federation_url ~ '^https?://'),
        federation_id text NOT NULL CHECK (federation_id ~ '^[a-z0-9][a-z0-9._-]{0,127}$'),
        federation_jwks jsonb NOT NULL CHECK (jsonb_typeof(federation_jwks->'keys') = 'array'),
        federation_kids text[] NOT NULL CHECK (cardinality(federation_kids) >= 1),
        status text NOT NULL DEFAULT 'not_applied'
          CHECK (status IN ('not_applied','pending','rejected','active','suspended','removed')),
        name text CHECK (char_length(name) BETWEEN 1 AND 200),
        endpoint text CHECK (endpoint ~ '^https?://'),
        application_id text,
        application_jws text,
        applied_at timestamptz,
        membership_statement text,
        valid_until timestamptz,
        directory_refreshed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (status = 'not_applied' OR (application_id IS NOT NULL AND application_jws IS NOT NULL
          AND name IS NOT NULL AND endpoint IS NOT NULL AND applied_at IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE directory_member (
        partner_id text PRIMARY KEY CHECK (partner_id ~ '^[a-z0-9][a-z0-9._-]{0,127}$'),
        name text NOT NULL,
        endpoint text NOT NULL,
        status text NOT NULL CHECK (status IN ('active','suspended','removed')),
        statement text NOT NULL,
        valid_until timestamptz NOT NULL,
        keys jsonb NOT NULL CHECK (jsonb_typeof(keys) = 'array'),
        fetched_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE refusal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (char_length(kind) BETWEEN 1 AND 64),
        reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 64),
        source text NOT NULL CHECK (char_length(source) BETWEEN 1 AND 64),
        issuer text CHECK (char_length(issuer) <= 128),
        kid text CHECK (char_length(kid) <= 128),
        jti text CHECK (char_length(jti) <= 128),
        message text NOT NULL CHECK (char_length(message) <= 500),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refusal_created_at_idx ON refusal (created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE refusal`);
    await q.query(`DROP TABLE directory_member`);
    await q.query(`DROP TABLE network_membership`);
  }
}
