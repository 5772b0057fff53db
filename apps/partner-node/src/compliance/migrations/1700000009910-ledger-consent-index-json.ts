import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The index that finds a consent's ledger entries (`entriesNaming` on `data.consentId`) reads the
 * entry as `json` instead of `jsonb` (issue 17: bulk consents). Each consent entry carries its
 * signed receipt (about 1.5 kB): converting it to jsonb, only to read one field, made every
 * `ledger_append` of a consent cost twice an entry without the index (5,000 entries: 684 ms
 * against 242 ms without the index, 342 ms with this one). The field read is the same.
 */
export class LedgerConsentIndexJson1700000009910 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ledger_entry_consent_idx`);
    await q.query(`
      CREATE INDEX ledger_entry_consent_idx ON ledger_entry ((((entry::json) -> 'data') ->> 'consentId'))
        WHERE kind IN ('consent.given', 'consent.withdrawn')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ledger_entry_consent_idx`);
    await q.query(`
      CREATE INDEX ledger_entry_consent_idx ON ledger_entry ((((entry::jsonb) -> 'data') ->> 'consentId'))
        WHERE kind IN ('consent.given', 'consent.withdrawn')`);
  }
}
