import { randomInt, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { JOB_QUEUE, defineQueue, type JobQueue } from '#platform/queue/job-queue';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { ConsentsRepository } from '../consents/consents.repository.js';
import { AgreementsRepository } from '../agreements/agreements.repository.js';
import { DeliveryJob } from './delivery.job.js';
import { WithdrawalsJob } from './withdrawals.job.js';
import { CATEGORY_OF_KIND } from './records.js';
import type { DeliveryRecordRef } from './sharing.entities.js';
import { SharedRecordKind } from './sharing.entities.js';
import { SHARING_OPTIONS, type SharingOptions } from './sharing.options.js';

/** Turns outbox rows into deliveries (again at once when a batch was full). */
export const DRAIN_QUEUE = defineQueue('sharing.drain');
/** Catches up from PostgreSQL what a lost job would have done (scheduled). */
export const SWEEP_QUEUE = defineQueue('sharing.sweep');
/** Purges shared records past their retention (scheduled). */
export const RETENTION_QUEUE = defineQueue('sharing.retention');

const OUTBOX_BATCH = 5000;

/**
 * Push (invariant 7): the outbox rows written by triggers in the record's own transaction become
 * deliveries (one envelope per recipient and agreement, its id = the envelope's jti), relayed by
 * queue jobs with exponential back-off; a delivery is marked delivered only when the recipient
 * stored it (or already had it: REPLAYED), so a crash or a Redis restart delays, never loses or
 * duplicates. A sweep re-enqueues whatever is pending (job ids make that idempotent); deliveries
 * that spent their attempts are dead letters, retried on request. Each delivery is sent by the
 * job of DeliveryJob, each withdrawal relayed by the job of WithdrawalsJob.
 *
 * Issue 16, with a push window (SHARING_PUSH_WINDOW_SECONDS): a delivery is a batch per recipient
 * and agreement that leaves at a random moment within the window after its first record (its
 * `due_at`, a delayed job); records for the same pair join it until it is claimed; its records
 * are shuffled when sealed, and each send is a FederationPacer step. So one customer's records
 * pushed to two recipients leave at independent moments, in separate seconds, among other
 * customers' records, instead of together.
 */
@Injectable()
export class OutboxService {
  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @Inject(SHARING_OPTIONS) private readonly options: SharingOptions,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly consentRows: ConsentsRepository,
    private readonly agreementRows: AgreementsRepository,
    private readonly deliveries: DeliveryJob,
    private readonly withdrawals: WithdrawalsJob,
  ) {}

  private get windowSeconds(): number {
    return this.config.sharingPushWindowSeconds;
  }

  /** Turns pending outbox rows into deliveries and purge requests; returns the rows handled. */
  async drain(): Promise<number> {
    const me = this.config.partnerId;
    const { handled, deliveries, withdrawals } = await this.dataSource.transaction(async (m) => {
      const rows: {
        seq: string;
        kind: 'record' | 'withdrawal';
        record_kind: SharedRecordKind | null;
        record_id: string | null;
        customer_id: string | null;
        consent_id: string | null;
      }[] = await m.query(
        `SELECT seq, kind, record_kind, record_id, customer_id, consent_id FROM share_outbox
          WHERE processed_at IS NULL AND kind <> 'erasure' ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [OUTBOX_BATCH],
      );
      if (rows.length === 0)
        return { handled: 0, deliveries: [] as { id: string; dueAt: Date }[], withdrawals: [] as string[] };
      const recordRows = rows.filter((r) => r.kind === 'record');
      const customerIds = [...new Set(recordRows.map((r) => r.customer_id!))];
      const created: { id: string; dueAt: Date }[] = [];
      if (customerIds.length > 0) {
        // Live customer-care consents of these customers, one row per recipient, with the subject
        // token under the agreement it names; then which of those agreements are in force: one
        // query each, to their owners.
        const consents = await this.consentRows.liveCareForCustomers(customerIds, m);
        const pairs = new Map(
          consents.map((c) => [
            `${c.agreement_id}|${c.recipient}`,
            { agreementId: c.agreement_id, partnerId: c.recipient },
          ]),
        );
        const agreed = new Map(
          (await this.agreementRows.liveOutbound([...pairs.values()], me, m)).map((a) => [
            `${a.agreement_id}|${a.partner_id}`,
            a.categories,
          ]),
        );
        const groups = new Map<
          string,
          { recipient: string; agreementId: string; refs: Map<string, DeliveryRecordRef> }
        >();
        for (const consent of consents) {
          const key = `${consent.agreement_id}|${consent.recipient}`;
          const categories = agreed.get(key);
          const token = consent.token;
          if (!categories || !token) continue;
          for (const row of recordRows.filter((r) => r.customer_id === consent.customer_id)) {
            const category = CATEGORY_OF_KIND[row.record_kind!];
            if (!consent.categories.includes(category) || !categories.includes(category)) continue;
            let group = groups.get(key);
            if (!group) {
              group = { recipient: consent.recipient, agreementId: consent.agreement_id, refs: new Map() };
              groups.set(key, group);
            }
            group.refs.set(`${row.record_kind}:${row.record_id}`, {
              kind: row.record_kind!,
              id: row.record_id!,
              consentId: consent.id,
              subjectToken: token,
              category,
            });
          }
        }
        for (const [, group] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
          let refs = [...group.refs.values()];
          if (this.windowSeconds > 0) refs = await this.joinOpenDelivery(m, group, refs);
          for (let i = 0; i < refs.length; i += this.options.batchSize) {
            const chunk = refs.slice(i, i + this.options.batchSize);
            const id = randomUUID();
            const dueAt = this.dueAt();
            await m.query(
              `INSERT INTO share_delivery (id, recipient, agreement_id, records, record_count, due_at)
               VALUES ($1, $2, $3, $4, $5, $6)`,
              [id, group.recipient, group.agreementId, JSON.stringify(chunk), chunk.length, dueAt],
            );
            created.push({ id, dueAt });
          }
        }
      }
      const consentIds: string[] = [];
      for (const row of rows.filter((r) => r.kind === 'withdrawal')) {
        const recipients = await this.consentRows.recipients(row.consent_id!, m);
        await m.query(
          `INSERT INTO share_purge (consent_id, recipient) SELECT $1, r FROM unnest($2::text[]) AS r
           ON CONFLICT (consent_id, recipient) DO NOTHING`,
          [row.consent_id, recipients.map((r) => r.recipient)],
        );
        await m.query(
          `UPDATE share_delivery SET status = 'cancelled' WHERE status IN ('pending','dead')
                         AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(records) e WHERE e->>'consentId' <> $1)
                         AND EXISTS (SELECT 1 FROM jsonb_array_elements(records) e WHERE e->>'consentId' = $1)`,
          [row.consent_id],
        );
        consentIds.push(row.consent_id!);
      }
      await m.query(`UPDATE share_outbox SET processed_at = now() WHERE seq = ANY ($1::bigint[])`, [
        rows.map((r) => r.seq),
      ]);
      return { handled: rows.length, deliveries: created, withdrawals: consentIds };
    });
    await this.withdrawals.eraseCustomers();
    for (const { id, dueAt } of deliveries) await this.deliveries.enqueue(id, dueAt);
    for (const consentId of withdrawals) await this.withdrawals.enqueue(consentId);
    if (handled === OUTBOX_BATCH) await this.queue.enqueue(DRAIN_QUEUE, {}, { jobId: 'sharing-drain-more' });
    return handled;
  }

  /** A random moment within the push window from now (now without a window). */
  private dueAt(): Date {
    const window = this.windowSeconds;
    return new Date(Date.now() + (window > 0 ? randomInt(0, window * 1000) : 0));
  }

  /**
   * Adds refs to the pair's open delivery (pending, not yet claimed by a sender, not yet due) while
   * it has room; returns the refs left over. The row lock orders this against the sender's claim:
   * a claimed delivery (attempts > 0) takes nothing more.
   */
  private async joinOpenDelivery(
    m: EntityManager,
    group: { recipient: string; agreementId: string },
    refs: DeliveryRecordRef[],
  ): Promise<DeliveryRecordRef[]> {
    // Two drains at once (the listener's and a sweep's, or two replicas') take different outbox rows;
    // without this lock both could find no open batch for the pair and open one each. Held to the
    // end of the transaction, so the second finds the batch the first opened; groups are taken in
    // key order (see drain), so two drains never wait on each other's locks in a cycle.
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `share-window|${group.recipient}|${group.agreementId}`,
    ]);
    const [open]: { id: string; records: DeliveryRecordRef[] }[] = await m.query(
      `SELECT id, records FROM share_delivery
        WHERE recipient = $1 AND agreement_id = $2 AND status = 'pending' AND attempts = 0 AND channel = 'push'
          AND due_at > now() AND record_count < $3
        ORDER BY due_at LIMIT 1 FOR UPDATE`,
      [group.recipient, group.agreementId, this.options.batchSize],
    );
    if (!open) return refs;
    // A record changed twice within the window is sent once, as it is when the batch leaves.
    const merged = new Map(open.records.map((ref) => [`${ref.kind}:${ref.id}`, ref]));
    const rest: DeliveryRecordRef[] = [];
    for (const ref of refs) {
      const key = `${ref.kind}:${ref.id}`;
      if (merged.has(key) || merged.size < this.options.batchSize) merged.set(key, ref);
      else rest.push(ref);
    }
    await m.query(`UPDATE share_delivery SET records = $2, record_count = $3 WHERE id = $1`, [
      open.id,
      JSON.stringify([...merged.values()]),
      merged.size,
    ]);
    return rest;
  }

  /** Per recipient: deliveries waiting and dead letters, the oldest waiting one, the latest error. */
  async backlog(): Promise<
    {
      recipient: string;
      pending: number;
      dead: number;
      oldestPendingAt: Date | null;
      lastError: string | null;
    }[]
  > {
    const rows: {
      recipient: string;
      pending: number;
      dead: number;
      oldest_pending_at: Date | null;
      last_error: string | null;
    }[] = await this.dataSource.query(
      `SELECT recipient,
              (count(*) FILTER (WHERE status = 'pending'))::int AS pending,
              (count(*) FILTER (WHERE status = 'dead'))::int AS dead,
              min(created_at) FILTER (WHERE status = 'pending') AS oldest_pending_at,
              (array_agg(last_error ORDER BY dead_at DESC NULLS LAST) FILTER (WHERE status = 'dead'))[1] AS last_error
         FROM share_delivery WHERE status IN ('pending', 'dead')
        GROUP BY recipient ORDER BY recipient`,
    );
    return rows.map((row) => ({
      recipient: row.recipient,
      pending: row.pending,
      dead: row.dead,
      oldestPendingAt: row.oldest_pending_at,
      lastError: row.last_error,
    }));
  }

  /** The depths of this process's job queues (the operations screen). */
  queueDepths(): ReturnType<JobQueue['depths']> {
    return this.queue.depths();
  }

  /** Dead letters back to pending, and enqueued again. */
  retryDead(): Promise<number> {
    return this.deliveries.retryDead();
  }

  /**
   * Sends the deliveries that are due now (`all`: every pending one, whatever its due time: a test,
   * or an operator draining the window before a shutdown) from this process, pair by pair in
   * random order, each a paced step; the delayed jobs of those sent then find nothing to do.
   */
  async sendPending(options: { all?: boolean } = {}): Promise<{ delivered: number; refused: number }> {
    await this.drain();
    return this.deliveries.sendPending(options.all ?? false);
  }

  /** Re-enqueues everything pending: after a crash, a Redis restart, or a missed enqueue. */
  async sweep(): Promise<void> {
    const outbox: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM share_outbox WHERE processed_at IS NULL LIMIT 1`,
    );
    if (outbox.length > 0) await this.drain();
    const pending: { id: string; due_at: Date }[] = await this.dataSource.query(
      `SELECT id, due_at FROM share_delivery WHERE status = 'pending' ORDER BY created_at LIMIT 10000`,
    );
    for (const row of pending) await this.deliveries.enqueue(row.id, row.due_at);
    const purges: { consent_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT consent_id FROM share_purge WHERE status = 'requested'`,
    );
    for (const row of purges) await this.withdrawals.enqueue(row.consent_id);
  }
}
