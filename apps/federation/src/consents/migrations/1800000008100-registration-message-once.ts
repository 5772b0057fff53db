import type { MigrationInterface, QueryRunner } from 'typeorm';

/** base64url SHA-256 of a compact JWS, as `jwsHash` computes it (the JWS is ASCII). */
const JWS_HASH = `rtrim(translate(encode(sha256(convert_to(jws, 'UTF8')), 'base64'), '+/', '-_'), '=')`;

/**
 * A registration's signed message is stored once (issue 17): the ledger's messages
 * (`federation_ledger_message`, where the event that ledgers the registration puts it, so that an
 * export carries it) hold it, and the registry names it by its hash (`message_hash`, the
 * event's `messageHash`) instead of holding a second copy. Indexes that no statement reads are
 * dropped: registrations are found by id and by subject token, never by controller alone, and
 * subject rows by token, never by registration alone (consents are never deleted).
 */
export class RegistrationMessageOnce1800000008100 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE consent ADD COLUMN message_hash text`);
    await q.query(`UPDATE consent SET message_hash = ${JWS_HASH}`);
    // The ledger's messages table comes with CreateFederationLedger1710000000800 (a database
    // migrated without it holds no registration to move).
    await q.query(`
      DO $$ BEGIN
        IF to_regclass('federation_ledger_message') IS NOT NULL THEN
          INSERT INTO federation_ledger_message (hash, jws) SELECT message_hash, jws FROM consent ON CONFLICT (hash) DO NOTHING;
        ELSIF EXISTS (SELECT 1 FROM consent) THEN
          RAISE EXCEPTION 'federation_ledger_message is missing: run CreateFederationLedger1710000000800 first';
        END IF;
      END $$`);
    await q.query(`ALTER TABLE consent ALTER COLUMN message_hash SET NOT NULL, DROP COLUMN jws`);
    await q.query(`DROP INDEX consent_controller_idx`);
    await q.query(`DROP INDEX consent_subject_consent_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX consent_subject_consent_idx ON consent_subject (consent_id)`);
    await q.query(`CREATE INDEX consent_controller_idx ON consent (controller)`);
    await q.query(`ALTER TABLE consent ADD COLUMN jws text`);
    await q.query(
      `UPDATE consent c SET jws = m.jws FROM federation_ledger_message m WHERE m.hash = c.message_hash`,
    );
    await q.query(`ALTER TABLE consent ALTER COLUMN jws SET NOT NULL, DROP COLUMN message_hash`);
  }
}
