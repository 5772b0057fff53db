import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CONSENT_BATCH_MAX, FederationError, type ConsentBatchItem } from '#federation-client';
import { getLogger } from '#platform/logging/logger';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { toProtocolCategories, toProtocolPurposes } from '../agreements/agreement.enums.js';
import { KeysService } from '../keys/keys.service.js';
import { isUnavailable } from '../network/federation-errors.js';
import { FederationPacer } from '../network/federation-pacer.js';
import { NetworkService } from '../network/network.service.js';
import type { Consent } from './consent.entity.js';
import { nowSeconds } from '#protocol';

const DAY = 86_400;
/** A withdrawal stays verifiable (and un-replayable) at the federation for this long. */
const WITHDRAWAL_TTL_SECONDS = 30 * DAY;
/** Registrations read, signed and sent per round of a flush (a bulk import's fill a few rounds). */
const FLUSH_BATCH = 10_000;
/** One request of a pair's batch: at most this many registrations and characters of JWS (the batch route takes 1 MB). */
const REQUEST_ITEMS = CONSENT_BATCH_MAX;
const REQUEST_CHARS = 900_000;
const SEND_CONCURRENCY = 4;
/** Federation answers that mean "already there": the first attempt reached it, its answer did not reach us. */
const ALREADY_REGISTERED = new Set(['CONSENT_EXISTS', 'REPLAYED']);
const ALREADY_WITHDRAWN = new Set(['CONSENT_WITHDRAWN', 'REPLAYED']);

interface DueRow {
  registration_id: string;
  consent_id: string;
  recipient: string;
  agreement_id: string;
}

export interface FlushResult {
  registered: number;
  withdrawals: number;
  refused: number;
  /** Registrations and withdrawals still waiting (not yet due, or the federation did not answer). */
  pending: number;
}

/**
 * What the federation receives of a consent (issue 16): one `consent-registration` per recipient,
 * with an id of its own, only that recipient's subject tokens, validity on a whole-day grid and a
 * salted commitment to the receipt, so that nothing it holds joins a customer's registrations
 * under two agreements. Registrations (and withdrawals) wait a random delay within the configured
 * window, then leave in batches per agreement pair, in random order, so that they are not
 * adjacent in time or order either. The receipt naming every recipient stays here.
 */
@Injectable()
export class ConsentRegistrationsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = getLogger().child({ context: 'consent-registrations' });
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<FlushResult> | undefined;
  private next: Promise<FlushResult> | undefined;
  private nextAll = false;
  private stopped = false;
  private tablePresent = false;

  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly network: NetworkService,
    private readonly keys: KeysService,
    private readonly pacer: FederationPacer,
  ) {}

  private get windowSeconds(): number {
    return this.config.consentRegistrationWindowSeconds;
  }

  onApplicationBootstrap(): void {
    const window = this.windowSeconds;
    const every = window > 0 ? Math.min(30_000, Math.max(1000, window * 100)) : 30_000;
    this.timer = setInterval(() => this.schedule(), every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.flushing;
  }

  /** A random moment within the window from now. */
  private dueAt(): Date {
    const window = this.windowSeconds;
    return new Date(Date.now() + (window > 0 ? randomInt(0, window * 1000) : 0));
  }

  /** Plans one registration per recipient of a consent just stored (inside its transaction). */
  async plan(m: EntityManager, consent: Pick<Consent, 'id' | 'recipients' | 'agreementIds'>): Promise<void> {
    for (let i = 0; i < consent.recipients.length; i++) {
      await m.query(
        `INSERT INTO consent_registration (registration_id, consent_id, recipient, agreement_id, commitment_salt, due_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          randomUUID(),
          consent.id,
          consent.recipients[i],
          consent.agreementIds[i],
          randomBytes(32).toString('base64url'),
          this.dueAt(),
        ],
      );
    }
  }

  /** `plan` for many consents in one statement (a bulk capture). */
  async planMany(
    m: EntityManager,
    consents: readonly Pick<Consent, 'id' | 'recipients' | 'agreementIds'>[],
  ): Promise<void> {
    const rows = consents.flatMap((c) =>
      c.recipients.map((recipient, i) => ({
        consentId: c.id,
        recipient,
        agreementId: c.agreementIds[i]!,
      })),
    );
    for (let i = 0; i < rows.length; i += 10_000) {
      const chunk = rows.slice(i, i + 10_000);
      await m.query(
        `INSERT INTO consent_registration (registration_id, consent_id, recipient, agreement_id, commitment_salt, due_at)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])`,
        [
          chunk.map(() => randomUUID()),
          chunk.map((r) => r.consentId),
          chunk.map((r) => r.recipient),
          chunk.map((r) => r.agreementId),
          chunk.map(() => randomBytes(32).toString('base64url')),
          chunk.map(() => this.dueAt().toISOString()),
        ],
      );
    }
  }

  /** Plans the withdrawal of every registration of a consent (inside the withdrawal's transaction). */
  async planWithdrawal(m: EntityManager, consentId: string): Promise<void> {
    const rows: { registration_id: string }[] = await m.query(
      `SELECT registration_id FROM consent_registration WHERE consent_id = $1 ORDER BY registration_id`,
      [consentId],
    );
    for (const row of rows) {
      // A registration the federation refused has nothing to withdraw; one still pending leaves first.
      await m.query(
        `UPDATE consent_registration
            SET withdrawal_status = CASE WHEN status = 'refused' THEN 'not_needed' ELSE 'pending' END,
                withdrawal_due_at = $2
          WHERE registration_id = $1`,
        [row.registration_id, this.dueAt()],
      );
    }
  }

  /**
   * The registration id of each of these consents for `recipient`, for registrations the
   * federation holds: the id a share to that recipient names (never the receipt's id).
   */
  async wireIds(
    m: EntityManager,
    recipient: string,
    consentIds: readonly string[],
  ): Promise<Map<string, string>> {
    if (consentIds.length === 0) return new Map();
    const rows: { consent_id: string; registration_id: string }[] = await m.query(
      `SELECT consent_id, registration_id FROM consent_registration
        WHERE recipient = $1 AND consent_id = ANY ($2::uuid[]) AND status = 'registered'`,
      [recipient, consentIds],
    );
    return new Map(rows.map((r) => [r.consent_id, r.registration_id]));
  }

  /** Starts a flush of what is due in the background, unless one is running. */
  schedule(): void {
    if (this.stopped || this.flushing || !this.network.configured) return;
    void this.flush().catch((error: unknown) => {
      this.logger.warn({ err: String(error) }, 'consent registration flush failed');
    });
  }

  /**
   * Sends what is due (everything pending with `all`, e.g. a test or an operator draining the
   * queue): registrations first, then withdrawals of registered registrations; per agreement
   * pair, shuffled; stops at the first outage (the rest stays pending).
   */
  flush(options: { all?: boolean } = {}): Promise<FlushResult> {
    if (this.flushing) {
      // Callers arriving during a flush share the one flush that follows it.
      this.nextAll ||= options.all ?? false;
      this.next ??= this.flushing
        .catch(() => undefined)
        .then(() => {
          const all = this.nextAll;
          this.next = undefined;
          this.nextAll = false;
          return this.flush({ all });
        });
      return this.next;
    }
    this.flushing = this.flushOnce(options.all ?? false).finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async flushOnce(all: boolean): Promise<FlushResult> {
    const result: FlushResult = { registered: 0, withdrawals: 0, refused: 0, pending: 0 };
    if (!this.network.configured) return result;
    if (!this.tablePresent) {
      const [table] = (await this.dataSource.query(
        `SELECT to_regclass('consent_registration') IS NOT NULL AS present`,
      )) as { present: boolean }[];
      // Asked until the migrations made it (a flush may come before them); never again after.
      if (!table?.present) return result;
      this.tablePresent = true;
    }
    const due = all ? 'true' : 'due_at <= now()';
    const touched = new Set<string>();
    // Batch after batch until nothing due is left (or the federation stops answering).
    let sent = { registered: 0, refused: 0, outage: false };
    for (;;) {
      const registrations: DueRow[] = await this.dataSource.query(
        `SELECT registration_id, consent_id, recipient, agreement_id FROM consent_registration
          WHERE status = 'pending' AND ${due} LIMIT ${FLUSH_BATCH}`,
      );
      const round = await this.sendRegistrations(registrations, touched);
      sent = {
        registered: sent.registered + round.registered,
        refused: sent.refused + round.refused,
        outage: round.outage,
      };
      const progressed = round.registered + round.refused > 0;
      if (round.outage || this.stopped || registrations.length < FLUSH_BATCH || !progressed) break;
    }
    result.registered = sent.registered;
    result.refused = sent.refused;
    if (!sent.outage) {
      const withdrawals: DueRow[] = await this.dataSource.query(
        `SELECT registration_id, consent_id, recipient, agreement_id FROM consent_registration
          WHERE withdrawal_status = 'pending' AND status = 'registered'
            AND ${all ? 'true' : 'withdrawal_due_at <= now()'} LIMIT ${FLUSH_BATCH}`,
      );
      const withdrawn = await this.send(withdrawals, (row) => this.withdraw(row), touched);
      result.withdrawals = withdrawn.registered;
      result.refused += withdrawn.refused;
    }
    await this.summarise([...touched]);
    const [pending] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM consent_registration
        WHERE status = 'pending' OR (withdrawal_status = 'pending' AND status <> 'refused')`,
    )) as { n: number }[];
    result.pending = pending?.n ?? 0;
    return result;
  }

  /**
   * Registrations, per agreement pair (shuffled, paced like `send`), each pair's rows in batch
   * requests: signed together, sent a few requests at a time, their outcomes stored together.
   * A federation that does not take batches gets them one by one.
   */
  private async sendRegistrations(
    rows: readonly DueRow[],
    touched: Set<string>,
  ): Promise<{ registered: number; refused: number; outage: boolean }> {
    const counts = { registered: 0, refused: 0, outage: false };
    const sendPair = (group: DueRow[]): Promise<boolean> =>
      this.pacer.run(this.windowed, async () => {
        const jwss = await this.registrationJwsMany(group);
        const requests = requestsOf(group, jwss);
        for (let i = 0; i < requests.length; i += SEND_CONCURRENCY) {
          if (this.stopped) return true;
          const outcomes = await Promise.all(
            requests.slice(i, i + SEND_CONCURRENCY).map((r) => this.registerBatch(r)),
          );
          for (const outcome of outcomes) {
            counts.registered += outcome.registered.length;
            counts.refused += outcome.refused.length;
            for (const row of [...outcome.registered, ...outcome.refused.map((r) => r.row)])
              touched.add(row.consent_id);
          }
          if (outcomes.some((o) => o.outage)) return true;
        }
        return false;
      });
    const groups = byPairShuffled(rows);
    if (!this.windowed) {
      // Without a window nothing is paced (development, tests, the demo): the pairs go side by side.
      const outages = await Promise.all(groups.map(sendPair));
      return { ...counts, outage: outages.includes(true) };
    }
    for (const group of groups) {
      if (await sendPair(group)) return { ...counts, outage: true };
    }
    return counts;
  }

  /** One request of a pair's batch; its outcomes stored in two statements. */
  private async registerBatch(request: { rows: DueRow[]; jwss: string[] }): Promise<{
    registered: DueRow[];
    refused: { row: DueRow; code: string }[];
    outage: boolean;
  }> {
    let items: ConsentBatchItem[] = [];
    try {
      // A dropped connection or a busy federation is retried twice, briefly, before the batch waits
      // for a later flush: sending the same messages again is safe (REPLAYED, CONSENT_EXISTS).
      for (let attempt = 1; ; attempt++) {
        try {
          items = (await this.network.client().registerConsents(request.jwss)).results;
          break;
        } catch (error) {
          if (!isUnavailable(error) || attempt === 3 || this.stopped) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
        }
      }
    } catch (error) {
      if (isUnavailable(error)) return { registered: [], refused: [], outage: true };
      // A federation without the batch route (or refusing the batch as a whole): one at a time.
      this.logger.warn({ reason: refusalCode(error) }, 'batch registration refused; registering one by one');
      const one = {
        registered: [] as DueRow[],
        refused: [] as { row: DueRow; code: string }[],
        outage: false,
      };
      for (const row of request.rows) {
        const outcome = await this.register(row);
        if (outcome === 'unavailable') return { ...one, outage: true };
        if (outcome === 'registered') one.registered.push(row);
        else one.refused.push({ row, code: 'REFUSED' });
      }
      return one;
    }
    const registered: DueRow[] = [];
    const refused: { row: DueRow; code: string }[] = [];
    request.rows.forEach((row, i) => {
      const item = items[i];
      if (
        item?.status === 'registered' ||
        (item?.reason !== undefined && ALREADY_REGISTERED.has(item.reason))
      ) {
        registered.push(row);
      } else {
        refused.push({ row, code: (item?.reason ?? 'NO_ANSWER').slice(0, 64) });
      }
    });
    if (registered.length > 0) {
      await this.dataSource.query(
        `UPDATE consent_registration SET status = 'registered', registered_at = now(), error = NULL
          WHERE registration_id = ANY ($1::uuid[])`,
        [registered.map((r) => r.registration_id)],
      );
    }
    if (refused.length > 0) {
      await this.dataSource.query(
        `UPDATE consent_registration r SET status = 'refused', error = u.code,
                withdrawal_status = CASE WHEN r.withdrawal_status IS NULL THEN NULL ELSE 'not_needed' END
           FROM unnest($1::uuid[], $2::text[]) AS u(id, code) WHERE r.registration_id = u.id`,
        [refused.map((r) => r.row.registration_id), refused.map((r) => r.code)],
      );
      for (const { row, code } of refused) {
        this.logger.warn(
          { registrationId: row.registration_id, reason: code },
          'federation refused a consent registration',
        );
      }
    }
    return { registered, refused, outage: false };
  }

  /** `registrationJws` for a pair's rows: the stored ones read, the others signed and stored together. */
  private async registrationJwsMany(rows: readonly DueRow[]): Promise<string[]> {
    const data: {
      registration_id: string;
      registration_jws: string | null;
      receipt_jws: string;
      purposes: Consent['purposes'];
      categories: Consent['categories'];
      subject_tokens: Consent['subjectTokens'];
      valid_from: Date;
      valid_until: Date;
      commitment_salt: string;
    }[] = await this.dataSource.query(
      `SELECT r.registration_id, r.registration_jws, c.receipt_jws, c.purposes, c.categories, c.subject_tokens,
              c.valid_from, c.valid_until, r.commitment_salt
         FROM consent_registration r JOIN consent c ON c.id = r.consent_id
        WHERE r.registration_id = ANY ($1::uuid[])`,
      [rows.map((r) => r.registration_id)],
    );
    const byId = new Map(data.map((d) => [d.registration_id, d]));
    const missing = data.filter((d) => !d.registration_jws);
    const signed = new Map<string, string>();
    if (missing.length > 0) {
      const membership = await this.network.requireActiveMember();
      const sign = await this.keys.signer();
      const now = minuteNow();
      const rowOf = new Map(rows.map((r) => [r.registration_id, r]));
      for (const consent of missing) {
        const row = rowOf.get(consent.registration_id)!;
        const validity = dayGridValidity(
          Math.floor(consent.valid_from.getTime() / 1000),
          Math.floor(consent.valid_until.getTime() / 1000),
          nowSeconds(),
        );
        signed.set(
          row.registration_id,
          sign('consent-registration', {
            iss: this.config.partnerId,
            aud: membership.federationId,
            iat: now,
            exp: validity.validUntil,
            registrationId: row.registration_id,
            controller: this.config.partnerId,
            recipient: row.recipient,
            agreementId: row.agreement_id,
            subjectTokens: consent.subject_tokens
              .filter((t) => t.keyId === row.agreement_id)
              .map(({ kind, token, keyId }) => ({ kind, token, keyId })),
            purposes: toProtocolPurposes(consent.purposes),
            categories: toProtocolCategories(consent.categories),
            ...validity,
            receiptCommitment: receiptCommitment(consent.commitment_salt, consent.receipt_jws),
          }),
        );
      }
      // A concurrent flush may have signed some first: theirs is kept, and read back.
      const stored: { registration_id: string; registration_jws: string }[] = await this.dataSource.query(
        `WITH s AS (
           UPDATE consent_registration r SET registration_jws = u.jws
             FROM unnest($1::uuid[], $2::text[]) AS u(id, jws)
            WHERE r.registration_id = u.id AND r.registration_jws IS NULL
           RETURNING r.registration_id)
         SELECT r.registration_id, r.registration_jws FROM consent_registration r
          WHERE r.registration_id = ANY ($1::uuid[]) AND r.registration_id NOT IN (SELECT registration_id FROM s)`,
        [[...signed.keys()], [...signed.values()]],
      );
      for (const row of stored) signed.set(row.registration_id, row.registration_jws);
    }
    return rows.map(
      (row) => byId.get(row.registration_id)?.registration_jws ?? signed.get(row.registration_id)!,
    );
  }

  /**
   * Sends rows batch by batch (per agreement pair, shuffled); stops at the first outage. With a
   * window, each batch is one step of the FederationPacer: no two agreement pairs' batches (nor a
   * batch and a pushed envelope or a purge) share a second anywhere at the federation, which
   * ledgers events by the second. Without a window (development, tests) nothing waits.
   */
  private async send(
    rows: readonly DueRow[],
    one: (row: DueRow) => Promise<'registered' | 'refused' | 'unavailable'>,
    touched: Set<string>,
  ): Promise<{ registered: number; refused: number; outage: boolean }> {
    const counts = { registered: 0, refused: 0, outage: false };
    for (const group of byPairShuffled(rows)) {
      const outage = await this.pacer.run(this.windowSeconds > 0, async () => {
        // A few at a time: the batch is in random order anyway, and the federation verifies in parallel.
        for (let i = 0; i < group.length; i += SEND_CONCURRENCY) {
          if (this.stopped) return true;
          const chunk = group.slice(i, i + SEND_CONCURRENCY);
          const outcomes = await Promise.all(chunk.map((row) => one(row)));
          chunk.forEach((row, j) => {
            if (outcomes[j] !== 'unavailable') touched.add(row.consent_id);
          });
          for (const outcome of outcomes) if (outcome !== 'unavailable') counts[outcome] += 1;
          if (outcomes.includes('unavailable')) return true;
        }
        return false;
      });
      if (outage) return { ...counts, outage: true };
    }
    return counts;
  }

  /** Whether this node's consent traffic is windowed (and so paced): purges follow the same rule. */
  get windowed(): boolean {
    return this.windowSeconds > 0;
  }

  private async register(row: DueRow): Promise<'registered' | 'refused' | 'unavailable'> {
    const jws = await this.registrationJws(row);
    try {
      await this.network.client().registerConsent(jws);
    } catch (error) {
      if (isUnavailable(error)) return 'unavailable';
      if (!(error instanceof FederationError) || !ALREADY_REGISTERED.has(error.reason ?? error.code)) {
        await this.dataSource.query(
          `UPDATE consent_registration SET status = 'refused', error = $2,
                  withdrawal_status = CASE WHEN withdrawal_status IS NULL THEN NULL ELSE 'not_needed' END
            WHERE registration_id = $1`,
          [row.registration_id, refusalCode(error)],
        );
        this.logger.warn(
          { registrationId: row.registration_id, reason: refusalCode(error) },
          'federation refused a consent registration',
        );
        return 'refused';
      }
    }
    await this.dataSource.query(
      `UPDATE consent_registration SET status = 'registered', registered_at = now(), error = NULL
        WHERE registration_id = $1`,
      [row.registration_id],
    );
    return 'registered';
  }

  /** The registration's JWS, signed when it first leaves (so that its `iat` is that moment) and kept for retries. */
  private async registrationJws(row: DueRow): Promise<string> {
    const [jws] = await this.registrationJwsMany([row]);
    return jws!;
  }

  private async withdraw(row: DueRow): Promise<'registered' | 'refused' | 'unavailable'> {
    const jws = await this.withdrawalJws(row);
    try {
      await this.network.client().withdrawConsent(row.registration_id, jws);
    } catch (error) {
      if (isUnavailable(error)) return 'unavailable';
      if (!(error instanceof FederationError) || !ALREADY_WITHDRAWN.has(error.reason ?? error.code)) {
        await this.dataSource.query(
          `UPDATE consent_registration SET withdrawal_status = 'refused', error = $2 WHERE registration_id = $1`,
          [row.registration_id, refusalCode(error)],
        );
        this.logger.warn(
          { registrationId: row.registration_id, reason: refusalCode(error) },
          'federation refused a withdrawal',
        );
        return 'refused';
      }
    }
    await this.dataSource.query(
      `UPDATE consent_registration SET withdrawal_status = 'registered', withdrawal_registered_at = now()
        WHERE registration_id = $1`,
      [row.registration_id],
    );
    return 'registered';
  }

  private async withdrawalJws(row: DueRow): Promise<string> {
    const [stored]: { withdrawal_jws: string | null }[] = await this.dataSource.query(
      `SELECT withdrawal_jws FROM consent_registration WHERE registration_id = $1`,
      [row.registration_id],
    );
    if (stored?.withdrawal_jws) return stored.withdrawal_jws;
    const membership = await this.network.requireActiveMember();
    const now = minuteNow();
    // Signed when it leaves: `withdrawnAt` is when this registration's withdrawal left, not the
    // second the customer withdrew (which the receipt's withdrawal at the controller keeps).
    const jws = await this.keys.sign('consent-withdrawal', {
      iss: this.config.partnerId,
      aud: [membership.federationId, row.recipient],
      iat: now,
      exp: now + WITHDRAWAL_TTL_SECONDS,
      consentId: row.registration_id,
      withdrawnAt: now,
    });
    await this.dataSource.query(
      `UPDATE consent_registration SET withdrawal_jws = $2 WHERE registration_id = $1 AND withdrawal_jws IS NULL`,
      [row.registration_id, jws],
    );
    return jws;
  }

  /** The consent's own statuses, from its registrations' (what the GraphQL API and audits show). */
  private async summarise(consentIds: string[]): Promise<void> {
    if (consentIds.length === 0) return;
    await this.dataSource.query(
      `UPDATE consent c SET
          registration_status = s.registration_status,
          registered_at = CASE WHEN s.registration_status = 'registered' THEN coalesce(c.registered_at, now()) ELSE c.registered_at END,
          registration_error = s.error,
          withdrawal_registration_status = CASE WHEN c.withdrawn_at IS NULL THEN c.withdrawal_registration_status
                                                ELSE s.withdrawal_status END,
          withdrawal_registered_at = CASE WHEN c.withdrawn_at IS NOT NULL AND s.withdrawal_status = 'registered'
                                          THEN coalesce(c.withdrawal_registered_at, now()) ELSE c.withdrawal_registered_at END
         FROM (SELECT consent_id,
                      CASE WHEN bool_or(status = 'pending') THEN 'pending'
                           WHEN bool_and(status = 'refused') THEN 'refused' ELSE 'registered' END AS registration_status,
                      min(error) AS error,
                      CASE WHEN bool_or(withdrawal_status = 'pending') THEN 'pending'
                           WHEN bool_and(withdrawal_status = 'not_needed') THEN 'not_needed'
                           WHEN bool_or(withdrawal_status = 'refused') THEN 'refused' ELSE 'registered' END AS withdrawal_status
                 FROM consent_registration WHERE consent_id = ANY ($1::uuid[]) GROUP BY consent_id) s
        WHERE c.id = s.consent_id`,
      [consentIds],
    );
  }
}

/**
 * Now, on a whole-minute grid: the `iat` of registrations and their withdrawals, so that what
 * leaves in one batch carries one value, not the second each was signed in.
 */
function minuteNow(): number {
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
function requestsOf(rows: readonly DueRow[], jwss: readonly string[]): { rows: DueRow[]; jwss: string[] }[] {
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
function byPairShuffled(rows: readonly DueRow[]): DueRow[][] {
  const groups = new Map<string, DueRow[]>();
  for (const row of rows) {
    const key = `${row.recipient}|${row.agreement_id}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return shuffle([...groups.values()]).map((group) => shuffle(group));
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

function refusalCode(error: unknown): string {
  if (error instanceof FederationError) return (error.reason ?? error.code).slice(0, 64);
  return error instanceof Error ? error.name.slice(0, 64) : 'UNKNOWN';
}
