import type { EntityManager } from 'typeorm';
import { fromPackedTextArray, packedTextArray } from '#platform/database/packed-text-array';
import { arrayLiteral } from '#platform/database/array-literal';
import type { PlannedRegistrations } from './consent-registrations.service.js';
import type { Consent } from './consent.entity.js';

/**
 * Consent rows inserted in one statement: the rows as one JSON parameter (`$1`: `rowsJson`),
 * their receipts beside it, packed (`$2`), zipped in order by ROWS FROM. What the repository's
 * insert does, without its per-entity work, which dominated a bulk capture. The receipts (1.3 kB
 * of base64url each, most of a row) left the JSON because PostgreSQL parses a JSON text a
 * character at a time and splits a packed text with a byte search: the statement's bind took
 * 25–57 ms a part of 2,000 consents with them inside (issue 17).
 */
const INSERT_CONSENTS = `
    INSERT INTO consent (id, customer_id, purposes, categories, recipients, agreement_ids, given_at, valid_from,
       valid_until, collection_method, privacy_notice_id, notice_version, notice_content_hash, language, jurisdiction,
       subject_tokens, receipt_jws, receipt_kid, registration_status, registered_at, captured_by)
     SELECT id, customer_id, purposes, categories, recipients, agreement_ids, given_at, valid_from,
       valid_until, collection_method, privacy_notice_id, notice_version, notice_content_hash, language, jurisdiction,
       subject_tokens, receipt_jws, receipt_kid, registration_status, registered_at, captured_by
       FROM ROWS FROM (
         jsonb_to_recordset($1::jsonb) AS (id uuid, customer_id uuid, purposes text[], categories text[],
           recipients text[], agreement_ids text[], given_at timestamptz, valid_from timestamptz, valid_until timestamptz,
           collection_method text, privacy_notice_id uuid, notice_version text, notice_content_hash text, language text,
           jurisdiction text, subject_tokens jsonb, receipt_kid text, registration_status text,
           registered_at timestamptz, captured_by uuid),
         unnest(${fromPackedTextArray('$2')})
       ) AS r(id, customer_id, purposes, categories, recipients, agreement_ids, given_at, valid_from, valid_until,
         collection_method, privacy_notice_id, notice_version, notice_content_hash, language, jurisdiction,
         subject_tokens, receipt_kid, registration_status, registered_at, captured_by, receipt_jws)`;

/** The `$1` and `$2` of INSERT_CONSENTS. */
function consentParameters(rows: readonly Partial<Consent>[]): [string, string] {
  const json = JSON.stringify(
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
      receipt_kid: r.receiptKid,
      registration_status: r.registrationStatus,
      registered_at: r.registeredAt,
      captured_by: r.capturedBy,
    })),
  );
  return [json, packedTextArray(rows.map((r) => r.receiptJws!))];
}

/**
 * Inserts consent rows and their planned registrations (ConsentRegistrationsService.prepareMany)
 * in one statement: the consents in a data-modifying CTE, the registrations (whose foreign keys
 * are checked at the end of the statement, the consents inserted by then) in the main statement.
 * A consent given (`giveConsent`), and each part of a bulk file: one round trip where three
 * statements took three (the file's transaction is one connection, and the database waited for
 * each round trip: issue 17).
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
     SELECT * FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::timestamptz[],
                          ${fromPackedTextArray('$9')})`,
    [
      ...consentParameters(rows),
      arrayLiteral(planned.ids),
      arrayLiteral(planned.consentIds),
      arrayLiteral(planned.recipients),
      arrayLiteral(planned.agreementIds),
      arrayLiteral(planned.salts),
      arrayLiteral(planned.dueAts),
      // The JWSs packed in one text: node-postgres escapes a text[]'s elements one by one (a
      // bulk file's 40,000 registrations: 114 MB of strings made and dropped, issue 17).
      packedTextArray(planned.jwss),
    ],
  );
}
