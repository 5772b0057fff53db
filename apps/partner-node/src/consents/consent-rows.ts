import type { EntityManager } from 'typeorm';
import type { PlannedRegistrations } from './consent-registrations.service.js';
import type { Consent } from './consent.entity.js';

/**
 * Consent rows inserted in one statement (the rows as one JSON parameter, `$1`: `rowsJson`): what
 * the repository's insert does, without its per-entity work, which dominated a bulk capture.
 */
const INSERT_CONSENTS = `
    INSERT INTO consent (id, customer_id, purposes, categories, recipients, agreement_ids, given_at, valid_from,
       valid_until, collection_method, privacy_notice_id, notice_version, notice_content_hash, language, jurisdiction,
       subject_tokens, receipt_jws, receipt_kid, registration_status, registered_at, captured_by)
     SELECT id, customer_id, purposes, categories, recipients, agreement_ids, given_at, valid_from,
       valid_until, collection_method, privacy_notice_id, notice_version, notice_content_hash, language, jurisdiction,
       subject_tokens, receipt_jws, receipt_kid, registration_status, registered_at, captured_by
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, customer_id uuid, purposes text[], categories text[],
         recipients text[], agreement_ids text[], given_at timestamptz, valid_from timestamptz, valid_until timestamptz,
         collection_method text, privacy_notice_id uuid, notice_version text, notice_content_hash text, language text,
         jurisdiction text, subject_tokens jsonb, receipt_jws text, receipt_kid text, registration_status text,
         registered_at timestamptz, captured_by uuid)`;

/** The `$1` of INSERT_CONSENTS. */
function rowsJson(rows: readonly Partial<Consent>[]): string {
  return JSON.stringify(
    rows.map((r) => ({
      id: r.id,
      customer_id: r.customerId,
      purposes: r.purposes,
      categories: r.categories,
      recipients: r.recipients,
      agreement_ids: r.agreementIds,
      given_at: r.givenAt,
      valid_from: r.validFrom,
      valid_until: r.validUntil,
      collection_method: r.collectionMethod,
      privacy_notice_id: r.privacyNoticeId,
      notice_version: r.noticeVersion,
      notice_content_hash: r.noticeContentHash,
      language: r.language,
      jurisdiction: r.jurisdiction,
      subject_tokens: r.subjectTokens,
      receipt_jws: r.receiptJws,
      receipt_kid: r.receiptKid,
      registration_status: r.registrationStatus,
      registered_at: r.registeredAt,
      captured_by: r.capturedBy,
    })),
  );
}

/** Inserts consent rows in one statement. */
export async function insertConsents(m: EntityManager, rows: readonly Partial<Consent>[]): Promise<void> {
  await m.query(INSERT_CONSENTS, [rowsJson(rows)]);
}

/**
 * Inserts consent rows and their planned registrations (ConsentRegistrationsService.prepareMany)
 * in one statement: the consents in a data-modifying CTE, the registrations (whose foreign keys
 * are checked at the end of the statement, the consents inserted by then) in the main statement.
 * For a few rows (`giveConsent`); a bulk file keeps its statements of 10,000 rows (insertPlanned).
 */
export async function insertConsentsWithRegistrations(
  m: EntityManager,
  rows: readonly Partial<Consent>[],
  planned: PlannedRegistrations,
): Promise<void> {
  await m.query(
    `WITH consents AS (${INSERT_CONSENTS} RETURNING id)
     INSERT INTO consent_registration
       (registration_id, consent_id, recipient, agreement_id, commitment_salt, due_at, registration_jws)
     SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[])`,
    [
      rowsJson(rows),
      planned.ids,
      planned.consentIds,
      planned.recipients,
      planned.agreementIds,
      planned.salts,
      planned.dueAts,
      planned.jwss,
    ],
  );
}
