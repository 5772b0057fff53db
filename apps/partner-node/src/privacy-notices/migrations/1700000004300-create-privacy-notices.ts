import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Privacy notices: versioned documents. Drafts are editable; a published version is immutable,
 * enforced here by a trigger that refuses any UPDATE or DELETE of a published row (the service
 * checks first, to give a clear error). Consents point to the exact published version.
 */
export class CreatePrivacyNotices1700000004300 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE privacy_notice (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notice_key text NOT NULL CHECK (notice_key ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
        version text NOT NULL CHECK (version ~ '^[A-Za-z0-9._-]{1,64}$'),
        language text NOT NULL CHECK (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
        title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 300),
        body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 200000),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published')),
        published_at timestamptz,
        content_hash text CHECK (content_hash ~ '^[A-Za-z0-9_-]{43}$'),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (notice_key, language, version),
        CHECK ((status = 'published') = (published_at IS NOT NULL AND content_hash IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX privacy_notice_created_at_idx ON privacy_notice (created_at, id)`);
    await q.query(`
      CREATE FUNCTION privacy_notice_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status = 'published' THEN
          RAISE EXCEPTION 'privacy notice % is published: it cannot be changed or deleted', OLD.id
            USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
          RETURN OLD;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER privacy_notice_immutable BEFORE UPDATE OR DELETE ON privacy_notice
        FOR EACH ROW EXECUTE FUNCTION privacy_notice_immutable()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE privacy_notice`);
    await q.query(`DROP FUNCTION privacy_notice_immutable()`);
  }
}
