import { defineQueries } from '#platform/database/named-queries';
import { isMemberInGoodStanding } from '../members/member-keys.queries.js';
import { agreementLetsShare, someAgreementLetsShare } from '../agreements/agreement-reads.queries.js';
import { consentInForce } from './consents.queries.js';

/**
 * The consent registry's own statements on `consent` and `consent_subject`: registrations stored one
 * at a time or a batch at a time (set-based, one statement per batch), withdrawals, the live-consent
 * reads (members and agreements checked through their owners' fragments, in the same statement)
 * and the counts.
 */
export const CONSENT_REGISTRY_QUERIES = defineQueries('consents', {
  /**
   * What a batch of registrations is checked against, in one statement (each part as its owner
   * defines it): per registration $1[i] (controller $2[i], recipient $3[i], agreement $4[i]),
   * whether its id is taken, whether the recipient is a member in good standing, and whether that
   * agreement, in force, lets the controller share with the recipient. Whether an id is taken is a
   * scalar subquery on the primary key, not an EXISTS: PostgreSQL may turn an EXISTS into a hashed
   * subplan over the whole registry, and did from a few thousand registrations to tens of
   * thousands (every batch read them all: 18–23 ms a batch of 400 at 40,000, where the key's
   * lookups take 1.6–1.9; at 100,000 and more it chose the key again; issue 17).
   */
  registrationFacts: `
    SELECT q.id, q.controller, q.recipient, q.agreement_id,
           (SELECT true FROM consent c WHERE c.consent_id = q.id) IS NOT NULL AS taken,
           ${isMemberInGoodStanding('q.recipient')} AS recipient_in_good_standing,
           EXISTS (SELECT 1 FROM agreement la
                    WHERE la.agreement_id = q.agreement_id
                      AND ${agreementLetsShare('la', 'q.controller', 'q.recipient').replace(/\s+/g, ' ').trim()}) AS agreement_lets_share
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS q(id, controller, recipient, agreement_id)`,
  /** Of the registration ids $1, those already registered. */
  registeredAmong: `SELECT consent_id FROM consent WHERE consent_id = ANY ($1::text[])`,
  /** One registration (recipients: the one recipient; $10 the hash of its message, which the ledger's messages hold). */
  insertRegistration: `
    INSERT INTO consent (consent_id, controller, recipients, agreement_id, purposes, categories, valid_from,
      valid_until, receipt_commitment, message_hash)
    VALUES ($1, $2, $3, $4, $5, $6, to_timestamp($7), to_timestamp($8), $9, $10)
    RETURNING registered_at`,
  /** The subject tokens $1 (kinds $3) of registration $2. */
  insertSubjects: `
    INSERT INTO consent_subject (token, consent_id, kind) SELECT t, $2, k FROM unnest($1::text[], $3::text[]) AS u(t, k)`,
  /**
   * A batch of registrations, in order, each with a time of its own (clock_timestamp): $1 a JSON
   * array of one object per registration (written natively, where ten text[] parameters were
   * escaped element by element), `message_hash` the hash of its message (which the ledger's
   * messages hold).
   */
  insertRegistrations: `
    INSERT INTO consent (consent_id, controller, recipients, agreement_id, purposes, categories, valid_from,
      valid_until, receipt_commitment, message_hash, registered_at)
    SELECT u.id, u.controller, ARRAY[u.recipient], u.agreement_id, u.purposes, u.categories,
           to_timestamp(u.valid_from), to_timestamp(u.valid_until), u.commitment, u.message_hash, clock_timestamp()
      FROM ROWS FROM (json_to_recordset($1::json) AS (id text, controller text, recipient text, agreement_id text,
             purposes text[], categories text[], valid_from bigint, valid_until bigint, commitment text, message_hash text))
           WITH ORDINALITY
           AS u(id, controller, recipient, agreement_id, purposes, categories, valid_from, valid_until, commitment, message_hash, n)
     ORDER BY u.n
    RETURNING consent_id, registered_at`,
  /** The subject tokens $1 of registrations $2 (kinds $3), a batch's. */
  insertSubjectsOfMany: `
    INSERT INTO consent_subject (token, consent_id, kind) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
  /** Registration $1's controller, recipients and withdrawal, locked for its withdrawal. */
  lockRegistration: `SELECT controller, recipients, withdrawn_at FROM consent WHERE consent_id = $1 FOR UPDATE`,
  /** Registration $1 withdrawn by message $2 (a CTE: the driver hands back the rows of a bare UPDATE as [rows, count]). */
  withdraw: `
    WITH changed AS (
      UPDATE consent SET withdrawn_at = now(), withdrawal_jws = $2 WHERE consent_id = $1
      RETURNING registered_at, withdrawn_at)
    SELECT * FROM changed`,
  /**
   * The live consents for subject token $4 to recipient $1 for purpose $2 and category $3 (from
   * controller $5 when not null): in force, both members in good standing, an agreement covering them.
   */
  liveForSubject: `
    SELECT c.consent_id
      FROM consent_subject s
      JOIN consent c ON c.consent_id = s.consent_id
     WHERE s.token = $4
       AND ${consentInForce('c')}
       AND $1 = ANY (c.recipients) AND $2 = ANY (c.purposes) AND $3 = ANY (c.categories)
       AND ($5::text IS NULL OR c.controller = $5)
       AND ${isMemberInGoodStanding('c.controller')}
       AND ${isMemberInGoodStanding('$1')}
       AND ${someAgreementLetsShare('c.controller', '$1', { purpose: '$2', category: '$3' })}
     ORDER BY c.consent_id`,
  /** Of the tokens $4, those with a live consent (as `liveForSubject`) from controller $5. */
  liveTokens: `
    SELECT DISTINCT s.token
      FROM unnest($4::text[]) AS q(token)
      JOIN consent_subject s ON s.token = q.token
      JOIN consent c ON c.consent_id = s.consent_id AND c.controller = $5
     WHERE ${consentInForce('c')}
       AND $1 = ANY (c.recipients) AND $2 = ANY (c.purposes) AND $3 = ANY (c.categories)
       AND ${isMemberInGoodStanding('c.controller')}
       AND ${isMemberInGoodStanding('$1')}
       AND ${someAgreementLetsShare('c.controller', '$1', { purpose: '$2', category: '$3' })}`,
  /** Registrations in all, withdrawn, in force, and distinct subject tokens. */
  counts: `
    SELECT count(*) AS total,
           count(*) FILTER (WHERE withdrawn_at IS NOT NULL) AS withdrawn,
           count(*) FILTER (WHERE ${consentInForce('consent')}) AS live,
           (SELECT count(DISTINCT token) FROM consent_subject) AS tokens
      FROM consent`,
  /** Registrations and withdrawn ones per controller. */
  countsByController: `
    SELECT controller, count(*) AS total, count(*) FILTER (WHERE withdrawn_at IS NOT NULL) AS withdrawn
      FROM consent GROUP BY controller ORDER BY controller`,
});
