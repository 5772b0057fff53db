import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Append-only log of every accepted change, in canonical JSON (the future network ledger's input). */
export class CreateFederationEvents1710000000300 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE federation_event (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
        type text NOT NULL CHECK (type IN (
          'membership.admitted','membership.rejected','membership.suspended','membership.reinstated',
          'membership.renewed','keys.rotated','federation.key-rotated',
          'agreement.proposed','agreement.accepted','agreement.activated','agreement.terminated',
          'consent.registered','consent.withdrawn')),
        subject text NOT NULL,
        canonical text NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX federation_event_subject_idx ON federation_event (subject, seq)`);
    await q.query(`
      CREATE FUNCTION federation_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'federation_event is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER federation_event_no_change BEFORE UPDATE OR DELETE ON federation_event
      FOR EACH ROW EXECUTE FUNCTION federation_event_append_only()`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE federation_event`);
    await q.query(`DROP FUNCTION federation_event_append_only()`);
  }
}
