import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOperators1710000000100 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE operator_user (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        display_name text NOT NULL,
        roles text[] NOT NULL CHECK (roles <@ ARRAY['operator','compliance']::text[] AND cardinality(roles) > 0),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX operator_user_email_key ON operator_user (lower(email))`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE operator_user`);
  }
}
