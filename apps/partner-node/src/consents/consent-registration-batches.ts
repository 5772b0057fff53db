import { createHash, randomInt } from 'node:crypto';
import { CONSENT_BATCH_MAX, FederationError } from '#federation-client';
import { toProtocolCategories, toProtocolPurposes } from '../agreements/agreement.enums.js';
import type { Consent } from './consent.entity.js';

/**
 * The pure parts of consent registration (issue 16): what a registration says, how a pair's
 * registrations are cut into requests and shuffled, how refusals are named. No I/O: unit-tested
 * on their own (consent-registration-batches.spec.ts).
 */

export const DAY = 86_400;
/** A withdrawal stays verifiable (and un-replayable) at the federation for this long. */
export const WITHDRAWAL_TTL_SECONDS = 30 * DAY;
/** Registrations read, signed and sent per round of a flush (a bulk import's fill a few rounds). */
export const FLUSH_BATCH = 10_000;
/** One request of a pair's batch: at most this many registrations and characters of JWS (the batch route takes 1 MB). */
export const REQUEST_ITEMS = CONSENT_BATCH_MAX;
export const REQUEST_CHARS = 900_000;
export const SEND_CONCURRENCY = 4;
/** Federation answers that mean "already there": the first attempt reached it, its answer did not reach us. */
export const ALREADY_REGISTERED = new Set(['CONSENT_EXISTS', 'REPLAYED']);
export const ALREADY_WITHDRAWN = new Set(['CONSENT_WITHDRAWN', 'REPLAYED']);

/** A registration (or withdrawal) due to leave. */
export interface DueRow {
  registration_id: string;
  consent_id: string;
  recipient: string;
  agreement_id: string;
  /** The registration's JWS when read with it (signed already: when planned, or by an earlier flush). */
  registration_jws?: string | null;
}

export interface FlushResult {
  registered: number;
  withdrawals: number;
  refused: number;
  /** Registrations and withdrawals still waiting (not yet due, or the federation did not answer). */
  pending: number;
}

/** What a registration is made from: its consent's stored fields and its salt. */
export interface RegistrationSource {
  receipt_jws: string;
  purposes: Consent['purposes'];
  categories: Consent['categories'];
  subject_tokens: Consent['subjectTokens'];
  valid_from: Date;
  valid_until: Date;
  commitment_salt: string;
}

/**
 * The claims of one recipient's `consent-registration`: only the tokens under that recipient's
 * agreement, validity on the day grid, a salted commitment to the receipt.
 */
export function registrationClaims(
  row: DueRow,
  consent: RegistrationSource,
  context: { partnerId: string; federationId: string; iat: number; now: number },
) {
  const validity = dayGridValidity(
    Math.floor(consent.valid_from.getTime() / 1000),
    Math.floor(consent.valid_until.getTime() / 1000),
    context.now,
  );
  return {
    iss: context.partnerId,
    aud: context.federationId,
    iat: context.iat,
    exp: validity.validUntil,
    registrationId: row.registration_id,
    controller: context.partnerId,
    recipient: row.recipient,
    agreementId: row.agreement_id,
    subjectTokens: consent.subject_tokens
      .filter((t) => t.keyId === row.agreement_id)
      .map(({ kind, token, keyId }) => ({ kind, token, keyId })),
    purposes: toProtocolPurposes(consent.purposes),
    categories: toProtocolCategories(consent.categories),
    ...validity,
    receiptCommitment: receiptCommitment(consent.commitment_salt, consent.receipt_jws),
  };
}

/**
 * Now, on a whole-minute grid: the `iat` of registrations and their withdrawals, so that what
 * leaves in one batch carries one value, not the second each was signed in.
 */
export function minuteNow(): number {
  return Math.floor(Date.now() / 60_000) * 60;
}

/** SHA-256(salt ‖ receipt JWS), base64url: the controller can show salt and receipt to prove the link. */
export function receiptCommitment(salt: string, receiptJws: string): string {
  return createHash('sha256').update(salt).update(receiptJws).digest('base64url');
}

/**
 * The registration's validity on a whole-day (UTC) grid, never wider than the consent's: a
 * validity that starts now is written from the start of today (the registration cannot be used
 * before it exists anyway), one that starts later from the next midnight at or after it; the end
 * is the midnight before it. A consent shorter than that grid allows keeps its exact end.
 */
export function dayGridValidity(
  validFrom: number,
  validUntil: number,
  now: number,
): { validFrom: number; validUntil: number } {
  const from = validFrom <= now ? Math.floor(now / DAY) * DAY : Math.ceil(validFrom / DAY) * DAY;
  const until = Math.floor(validUntil / DAY) * DAY;
  if (until > from && until > now) return { validFrom: from, validUntil: until };
  return validUntil > from ? { validFrom: from, validUntil } : { validFrom, validUntil };
}

/** A pair's rows and their JWS cut into requests that fit the federation's limits. */
export function requestsOf(
  rows: readonly DueRow[],
  jwss: readonly string[],
): { rows: DueRow[]; jwss: string[] }[] {
  const requests: { rows: DueRow[]; jwss: string[] }[] = [];
  let current: { rows: DueRow[]; jwss: string[]; chars: number } | undefined;
  rows.forEach((row, i) => {
    const jws = jwss[i]!;
    if (!current || current.rows.length >= REQUEST_ITEMS || current.chars + jws.length > REQUEST_CHARS) {
      current = { rows: [], jwss: [], chars: 0 };
      requests.push(current);
    }
    current.rows.push(row);
    current.jwss.push(jws);
    current.chars += jws.length + 3;
  });
  return requests.map(({ rows: r, jwss: j }) => ({ rows: r, jwss: j }));
}

/** Rows grouped by agreement pair (recipient), the groups and each group's rows in random order. */
export function byPairShuffled(rows: readonly DueRow[]): DueRow[][] {
  const groups = new Map<string, DueRow[]>();
  for (const row of rows) {
    const key = `${row.recipient}|${row.agreement_id}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return shuffle([...groups.values()]).map((group) => shuffle(group));
}

export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

export function refusalCode(error: unknown): string {
  if (error instanceof FederationError) return (error.reason ?? error.code).slice(0, 64);
  return error instanceof Error ? error.name.slice(0, 64) : 'UNKNOWN';
}
