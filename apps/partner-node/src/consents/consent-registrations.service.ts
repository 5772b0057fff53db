import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { getLogger } from '#platform/logging/logger';
import { arrayLiteral } from '#platform/database/array-literal';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { FederationPacer } from '../network/federation-pacer.js';
import { NetworkService } from '../network/network.service.js';
import type { Consent } from './consent.entity.js';
import {
  FLUSH_BATCH,
  SEND_CONCURRENCY,
  byPairShuffled,
  requestsOf,
  type DueRow,
  type FlushResult,
  type RegistrationSource,
} from './consent-registration-batches.js';
import {
  ConsentRegistrationSender,
  type RegistrationOutcomes,
  type SigningContext,
} from './consent-registration-sender.js';

/**
 * Registrations and withdrawals still to send: the same count as "status = 'pending' OR
 * (withdrawal_status = 'pending' AND status <> 'refused')", in two parts that each read one
 * partial index instead of the whole table (every flush, so every interactive consent, asks it).
 */
const PENDING_COUNT = `((SELECT count(*) FROM consent_registration WHERE status = 'pending')::int
  + (SELECT count(*) FROM consent_registration WHERE withdrawal_status = 'pending' AND status = 'registered')::int)`;

/**
 * Up to this many accepted registrations (an interactive consent's, a small round) are stored with
 * their consents' summaries in one statement; a bulk round keeps its transaction of two.
 */
const FOLDED_ANSWERS_MAX = 64;

/** Answers of the federation not stored yet. */
type Answers = Pick<RegistrationOutcomes, 'registered' | 'refused'>;

export { dayGridValidity, receiptCommitment, type FlushResult } from './consent-registration-batches.js';

/** What a registration is planned and signed from: the consent being stored. */
export type RegistrationConsent = Pick<
  Consent,
  | 'id'
  | 'recipients'
  | 'agreementIds'
  | 'receiptJws'
  | 'purposes'
  | 'categories'
  | 'subjectTokens'
  | 'validFrom'
  | 'validUntil'
>;

/** Registrations planned for consents about to be stored, column by column (one statement's arrays). */
export interface PlannedRegistrations {
  ids: string[];
  consentIds: string[];
  recipients: string[];
  agreementIds: string[];
  salts: string[];
  dueAts: string[];
  /** Signed already (no window), or null: signed when they leave. */
  jwss: (string | null)[];
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
    private readonly sender: ConsentRegistrationSender,
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

  /**
   * Plans one registration per recipient of each consent about to be stored (one given, or a bulk
   * file), in two steps: the registrations made here (ids, salts, due times) and, without a
   * window, signed already — they leave as soon as the consents are stored, so that is when they
   * leave, and each is written once in the form it is sent in (not inserted, read back with its
   * consent, then updated with its JWS); then `insertConsentsWithRegistrations` (consent-rows.ts)
   * inside the consents' transaction. Call this one outside it (it reads through the data source).
   * A caller that has read the membership and the active keys for its call passes them (`read`).
   */
  async prepareMany(
    consents: readonly RegistrationConsent[],
    read?: SigningContext,
  ): Promise<PlannedRegistrations> {
    const planned: PlannedRegistrations = {
      ids: [],
      consentIds: [],
      recipients: [],
      agreementIds: [],
      salts: [],
      dueAts: [],
      jwss: [],
    };
    const toSign: { row: DueRow; source: RegistrationSource }[] = [];
    // Every salt drawn in one call (a call per salt cost more than the salt: 3 µs each in a file).
    let recipients = 0;
    for (const c of consents) recipients += c.recipients.length;
    const random = randomBytes(32 * recipients);
    let drawn = 0;
    for (const c of consents) {
      c.recipients.forEach((recipient, i) => {
        const row: DueRow = {
          registration_id: randomUUID(),
          consent_id: c.id,
          recipient,
          agreement_id: c.agreementIds[i]!,
        };
        const salt = random.toString('base64url', drawn, drawn + 32);
        drawn += 32;
        planned.ids.push(row.registration_id);
        planned.consentIds.push(c.id);
        planned.recipients.push(recipient);
        planned.agreementIds.push(row.agreement_id);
        planned.salts.push(salt);
        planned.dueAts.push(this.dueAt().toISOString());
        if (!this.windowed) {
          toSign.push({
            row,
            source: {
              receipt_jws: c.receiptJws,
              purposes: c.purposes,
              categories: c.categories,
              subject_tokens: c.subjectTokens,
              valid_from: c.validFrom,
              valid_until: c.validUntil,
              commitment_salt: salt,
            },
          });
        }
      });
    }
    // With a window each registration is signed when its paced step comes (its `iat` that minute).
    planned.jwss = this.windowed
      ? planned.ids.map(() => null)
      : await this.sender.signRegistrations(toSign, read);
    return planned;
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

  /**
   * `flush` for registrations this process has just stored, due now and signed (a bulk file
   * without a window): they leave as they are, not read back (40,000 rows and their JWSs a file,
   * issue 17); whatever else is due follows as in any flush. When a flush is running it may
   * have read them already, so then this is a plain `flush`.
   */
  flushStored(stored: readonly DueRow[]): Promise<FlushResult> {
    if (this.flushing) return this.flush();
    this.flushing = this.flushOnce(false, [...stored]).finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async flushOnce(all: boolean, stored: DueRow[] = []): Promise<FlushResult> {
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
    // Batch after batch until nothing due is left (or the federation stops answering). Without a
    // window, a round's answers are stored while the next round is read and sent (before, the
    // federation waited for each store): the next read leaves out the rows still being stored.
    let sent = { registered: 0, refused: 0, outage: false };
    let storing: Promise<void> = Promise.resolve();
    let storingIds: string[] = [];
    for (;;) {
      const registrations: DueRow[] =
        stored.length > 0
          ? stored.splice(0, FLUSH_BATCH)
          : await this.dataSource.query(
              `SELECT registration_id, consent_id, recipient, agreement_id, registration_jws FROM consent_registration
          WHERE status = 'pending' AND ${due}
            AND registration_id NOT IN (SELECT unnest($1::uuid[])) LIMIT ${FLUSH_BATCH}`,
              [storingIds],
            );
      const round = await this.sendRegistrations(registrations);
      // One round's answers stored at a time, in order.
      await storing;
      storing = round.stored;
      // Awaited at the next round or after the loop; not left unhandled meanwhile.
      storing.catch(() => undefined);
      storingIds = registrations.map((r) => r.registration_id);
      sent = {
        registered: sent.registered + round.registered,
        refused: sent.refused + round.refused,
        outage: round.outage,
      };
      const progressed = round.registered + round.refused > 0;
      if (round.outage || this.stopped || registrations.length < FLUSH_BATCH || !progressed) break;
    }
    await storing;
    result.registered = sent.registered;
    result.refused = sent.refused;
    // What is still pending: counted with the due withdrawals' read (one statement) when none is
    // due, as nothing is sent between them then; counted again after withdrawals were sent.
    let pending: number | undefined;
    if (!sent.outage) {
      const withdrawals: (DueRow & { pending: number })[] = await this.dataSource.query(
        `SELECT w.registration_id, w.consent_id, w.recipient, w.agreement_id, p.n AS pending
           FROM (SELECT ${PENDING_COUNT} AS n) p
           LEFT JOIN LATERAL (
             SELECT registration_id, consent_id, recipient, agreement_id FROM consent_registration
              WHERE withdrawal_status = 'pending' AND status = 'registered'
                AND ${all ? 'true' : 'withdrawal_due_at <= now()'} LIMIT ${FLUSH_BATCH}) w ON true`,
      );
      const dueWithdrawals = withdrawals.filter((w) => w.registration_id !== null);
      if (dueWithdrawals.length === 0) pending = withdrawals[0]?.pending ?? 0;
      const withdrawn = await this.send(dueWithdrawals, (row) => this.sender.withdraw(row), touched);
      result.withdrawals = withdrawn.registered;
      result.refused += withdrawn.refused;
    }
    await this.summarise(this.dataSource, [...touched]);
    if (pending === undefined) {
      const [count] = (await this.dataSource.query(`SELECT ${PENDING_COUNT} AS n`)) as { n: number }[];
      pending = count?.n ?? 0;
    }
    result.pending = pending;
    return result;
  }

  /**
   * Registrations, per agreement pair (shuffled, paced like `send`), each pair's rows in batch
   * requests: signed together, sent a few requests at a time. Their answers are stored with the
   * consents' summaries in one transaction: the round's (pairs side by side, without a window),
   * or each paced pair's. A federation that does not take batches gets them one by one.
   */
  private async sendRegistrations(
    rows: readonly DueRow[],
  ): Promise<{ registered: number; refused: number; outage: boolean; stored: Promise<void> }> {
    const counts = { registered: 0, refused: 0, outage: false, stored: Promise.resolve() };
    if (rows.length === 0) return counts;
    // Without a window every pair leaves now: signed in one pass (one read, one write of the
    // signatures for the round); with one, each pair is signed when its paced step comes.
    const signedNow = this.windowed
      ? undefined
      : await this.sender.registrationJwsMany(rows).then((jwss) => {
          const byId = new Map<string, string>();
          rows.forEach((row, i) => byId.set(row.registration_id, jwss[i]!));
          return byId;
        });
    const answered: Answers = { registered: [], refused: [] };
    const sendPair = (group: DueRow[]): Promise<boolean> =>
      this.pacer.run(this.windowed, async () => {
        const jwss = signedNow
          ? group.map((row) => signedNow.get(row.registration_id)!)
          : await this.sender.registrationJwsMany(group);
        const requests = requestsOf(group, jwss);
        const pair: Answers = { registered: [], refused: [] };
        let outage = false;
        let next = 0;
        // SEND_CONCURRENCY requests in flight while any is left: a slot sends the next one as soon
        // as its own is answered (sent a slice at a time, each slice waited for its slowest, and
        // the federation had half as many to work on half the time). None leaves after an outage.
        const slot = async (): Promise<void> => {
          while (next < requests.length && !outage && !this.stopped) {
            const outcome = await this.sender.registerBatch(requests[next++]!, () => this.stopped);
            pair.registered.push(...outcome.registered);
            pair.refused.push(...outcome.refused);
            if (outcome.outage) outage = true;
          }
        };
        await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, requests.length) }, slot));
        counts.registered += pair.registered.length;
        counts.refused += pair.refused.length;
        // A paced pair is a step of its own: its answers are stored before the next pair leaves.
        if (this.windowed) await this.storeAnswers(pair);
        else {
          answered.registered.push(...pair.registered);
          answered.refused.push(...pair.refused);
        }
        return outage || this.stopped;
      });
    const groups = byPairShuffled(rows);
    if (!this.windowed) {
      // Without a window nothing is paced (development, tests, the demo): the pairs go side by side.
      const outages = await Promise.all(groups.map(sendPair));
      // Stored while the caller goes on (the next round): it awaits `stored` before the one after.
      return { ...counts, outage: outages.includes(true), stored: this.storeAnswers(answered) };
    }
    for (const group of groups) {
      if (await sendPair(group)) return { ...counts, outage: true };
    }
    return counts;
  }

  /** The federation's answers stored with the summaries of their consents, in one transaction (one commit). */
  private async storeAnswers(answers: Answers): Promise<void> {
    const consentIds = new Set<string>();
    for (const row of answers.registered) consentIds.add(row.consent_id);
    for (const { row } of answers.refused) consentIds.add(row.consent_id);
    if (consentIds.size === 0) return;
    if (answers.refused.length === 0 && answers.registered.length <= FOLDED_ANSWERS_MAX) {
      // A small round all accepted (an interactive consent's): stored with the summaries in one statement.
      await this.summarise(
        this.dataSource,
        [...consentIds],
        answers.registered.map((r) => r.registration_id),
      );
      return;
    }
    await this.dataSource.transaction(async (m) => {
      await this.sender.storeOutcomes(m, answers);
      await this.summarise(m, [...consentIds]);
    });
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

  /**
   * The consent's own statuses, from its registrations' (what the GraphQL API and audits show).
   * With `registeredNow`, those registrations are first marked registered (as `storeOutcomes`
   * stores an accepted answer) in the same statement, and the summaries count them so: the
   * statement's sub-statements all see the rows as they were before it, hence the override.
   */
  private async summarise(
    m: EntityManager | DataSource,
    consentIds: string[],
    registeredNow?: readonly string[],
  ): Promise<void> {
    if (consentIds.length === 0) return;
    const registrations = registeredNow
      ? `(SELECT g.consent_id, g.withdrawal_status,
                 CASE WHEN n.id IS NULL THEN g.status ELSE 'registered' END AS status,
                 CASE WHEN n.id IS NULL THEN g.error END AS error
            FROM consent_registration g LEFT JOIN unnest($2::uuid[]) AS n(id) ON n.id = g.registration_id
           WHERE g.consent_id = ANY ($1::uuid[])) r`
      : 'consent_registration r';
    await m.query(
      `${
        registeredNow
          ? `WITH stored AS (
               UPDATE consent_registration SET status = 'registered', registered_at = now(), error = NULL
                WHERE registration_id = ANY ($2::uuid[]) RETURNING registration_id)
             `
          : ''
      }UPDATE consent c SET
          registration_status = s.registration_status,
          registered_at = CASE WHEN s.registration_status = 'registered' THEN coalesce(c.registered_at, now()) ELSE c.registered_at END,
          registration_error = s.error,
          withdrawal_registration_status = CASE WHEN c.withdrawn_at IS NULL THEN c.withdrawal_registration_status
                                                ELSE s.withdrawal_status END,
          withdrawal_registered_at = CASE WHEN c.withdrawn_at IS NOT NULL AND s.withdrawal_status = 'registered'
                                          THEN coalesce(c.withdrawal_registered_at, now()) ELSE c.withdrawal_registered_at END
         FROM (SELECT r.consent_id,
                      CASE WHEN bool_or(r.status = 'pending') THEN 'pending'
                           WHEN bool_and(r.status = 'refused') THEN 'refused' ELSE 'registered' END AS registration_status,
                      min(r.error) AS error,
                      CASE WHEN bool_or(r.withdrawal_status = 'pending') THEN 'pending'
                           WHEN bool_and(r.withdrawal_status = 'not_needed') THEN 'not_needed'
                           WHEN bool_or(r.withdrawal_status = 'refused') THEN 'refused' ELSE 'registered' END AS withdrawal_status
                 FROM ${registrations} WHERE r.consent_id = ANY ($1::uuid[]) GROUP BY r.consent_id) s
        WHERE c.id = s.consent_id`,
      registeredNow ? [arrayLiteral(consentIds), arrayLiteral(registeredNow)] : [arrayLiteral(consentIds)],
    );
  }
}
