import { randomInt, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { ShareRecord } from '#protocol';
import { LedgerService } from '#ledger';
import { getLogger } from '#platform/logging/logger';
import { JOB_QUEUE, defineQueue, type JobQueue } from '#platform/queue/job-queue';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { ConsentsRepository } from '../consents/consents.repository.js';
import { AgreementsRepository } from '../agreements/agreements.repository.js';
import { FederationPacer } from '../network/federation-pacer.js';
import { RELAY_PATHS, type NodeEnvelopeAnswer } from '#federation-client';
import { HolderService } from './holder.service.js';
import { WithdrawalsJob } from './withdrawals.job.js';
import { CATEGORY_OF_KIND, recordsByIds, shareRecordOf } from './records.js';
import { RelayCallError, RelayClient } from './relay-client.js';
import type { DeliveryRecordRef } from './sharing.entities.js';
import { SharedRecordKind } from './sharing.entities.js';
import { SHARING_OPTIONS, type SharingOptions } from './sharing.options.js';

/** Sends one delivery of the outbox (`share_delivery`). */
export const DELIVER_QUEUE = defineQueue<{ deliveryId: string }>('sharing.deliver');
/** Turns outbox rows into deliveries (again at once when a batch was full). */
export const DRAIN_QUEUE = defineQueue('sharing.drain');
/** Relays one withdrawal until every recipient confirmed its purge. */
export const WITHDRAWAL_QUEUE = defineQueue<{ consentId: string }>('sharing.withdrawal');
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
 * that spent their attempts are dead letters, retried on request.
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
  private readonly logger = getLogger().child({ context: 'sharing-outbox' });

  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @Inject(SHARING_OPTIONS) private readonly options: SharingOptions,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly holder: HolderService,
    private readonly relay: RelayClient,
    private readonly ledger: LedgerService,
    private readonly consentRows: ConsentsRepository,
    private readonly withdrawals: WithdrawalsJob,
    private readonly agreementRows: AgreementsRepository,
    private readonly pacer: FederationPacer,
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
        for (const group of groups.values()) {
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
    for (const { id, dueAt } of deliveries) await this.enqueueDelivery(id, dueAt);
    for (const consentId of withdrawals) await this.enqueueWithdrawal(consentId);
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

  enqueueDelivery(id: string, dueAt?: Date): Promise<string> {
    const delay = dueAt ? Math.max(0, dueAt.getTime() - Date.now()) : 0;
    return this.queue.enqueue(
      DELIVER_QUEUE,
      { deliveryId: id },
      {
        jobId: `share-${id}`,
        ...(delay > 0 ? { delay } : {}),
        attempts: this.options.deliveryAttempts,
        backoff: { type: 'exponential', delay: this.options.backoffMs },
      },
    );
  }

  enqueueWithdrawal(consentId: string): Promise<string> {
    return this.queue.enqueue(
      WITHDRAWAL_QUEUE,
      { consentId },
      {
        jobId: `withdrawal-${consentId}`,
        attempts: this.options.deliveryAttempts,
        backoff: { type: 'exponential', delay: this.options.backoffMs },
      },
    );
  }

  /**
   * Sends one delivery once it is due (`now`: whatever its due time); throws (to be retried)
   * while the recipient or the federation is unavailable.
   */
  async deliver(deliveryId: string, now = false): Promise<'delivered' | 'refused' | 'skipped'> {
    try {
      return await this.attemptDelivery(deliveryId, now);
    } catch (error) {
      await this.dataSource.query(`UPDATE share_delivery SET last_error = $2 WHERE id = $1`, [
        deliveryId,
        String(error instanceof Error ? error.message : error).slice(0, 500),
      ]);
      throw error;
    }
  }

  private async attemptDelivery(
    deliveryId: string,
    now: boolean,
  ): Promise<'delivered' | 'refused' | 'skipped'> {
    const rows: { recipient: string; agreement_id: string; records: DeliveryRecordRef[]; status: string }[] =
      await this.dataSource.query(
        `WITH claimed AS (UPDATE share_delivery SET attempts = attempts + 1, sealed_at = now()
                           WHERE id = $1 AND status = 'pending' AND (due_at <= now() + interval '1 second' OR $2)
           RETURNING recipient, agreement_id, records, status)
         SELECT * FROM claimed`,
        [deliveryId, now],
      );
    const delivery = rows[0];
    if (!delivery) return 'skipped';
    // Records as they are now, under consents still live now (a withdrawal may have come since).
    const liveIds = await this.consentRows.liveAmong([...new Set(delivery.records.map((r) => r.consentId))]);
    const current = await recordsByIds(this.dataSource.manager, delivery.records);
    const records: ShareRecord[] = delivery.records.flatMap((ref) => {
      const record = current.get(`${ref.kind}:${ref.id}`);
      return record && liveIds.has(ref.consentId)
        ? [shareRecordOf(record, ref.consentId, ref.subjectToken)]
        : [];
    });
    if (records.length === 0) {
      await this.finish(deliveryId, 'cancelled', 'nothing left to share');
      return 'skipped';
    }
    // In random order: nothing in the batch says in which order its customers' records were made.
    shuffle(records);
    const refused = await this.pacer.run(this.windowSeconds > 0, async () => {
      // Sealed in its step, so that its `iat` is the second it leaves.
      const sealed = await this.holder.seal(delivery.recipient, delivery.agreement_id, records, deliveryId);
      try {
        await this.relay.post<NodeEnvelopeAnswer>(RELAY_PATHS.envelopes, sealed, 60_000);
      } catch (error) {
        if (error instanceof RelayCallError && error.reason === 'REPLAYED') {
          // The recipient stored this envelope before (a retry after a lost answer): delivered.
        } else if (error instanceof RelayCallError && error.isRefusal) {
          return `${error.reason ?? error.code}: ${error.message}`;
        } else {
          throw error;
        }
      }
      return null;
    });
    if (refused !== null) {
      await this.finish(deliveryId, 'refused', refused);
      return 'refused';
    }
    await this.dataSource.transaction(async (m) => {
      // The row keeps what was really sent (records under consents withdrawn meanwhile were left out).
      const sentIds = new Set(records.map((r) => r.recordId));
      const sent = delivery.records.filter((ref) => sentIds.has(`${ref.kind}:${ref.id}`));
      await m.query(
        `UPDATE share_delivery SET status = 'delivered', delivered_at = now(), last_error = NULL, records = $2,
                record_count = $3 WHERE id = $1`,
        [deliveryId, JSON.stringify(sent), sent.length],
      );
      await this.ledger.enqueue(m, 'share.sent', {
        envelopeId: deliveryId,
        recipient: delivery.recipient,
        agreementId: delivery.agreement_id,
        consentIds: [...new Set(records.map((r) => r.consentId))],
        records: records.length,
      });
    });
    return 'delivered';
  }

  async markDead(deliveryId: string, error: Error): Promise<void> {
    await this.dataSource.query(
      `UPDATE share_delivery SET status = 'dead', dead_at = now(), last_error = $2 WHERE id = $1 AND status = 'pending'`,
      [deliveryId, error.message.slice(0, 500)],
    );
    this.logger.error({ deliveryId }, 'share delivery moved to the dead letter');
  }

  private async finish(deliveryId: string, status: 'refused' | 'cancelled', reason: string): Promise<void> {
    await this.dataSource.query(`UPDATE share_delivery SET status = $2, last_error = $3 WHERE id = $1`, [
      deliveryId,
      status,
      reason.slice(0, 500),
    ]);
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
  async retryDead(): Promise<number> {
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH revived AS (UPDATE share_delivery SET status = 'pending', dead_at = NULL WHERE status = 'dead' RETURNING id)
       SELECT id FROM revived`,
    );
    for (const row of rows) await this.enqueueDelivery(row.id);
    return rows.length;
  }

  /**
   * Sends the deliveries that are due now (`all`: every pending one, whatever its due time: a test,
   * or an operator draining the window before a shutdown) from this process, pair by pair in
   * random order, each a paced step; the delayed jobs of those sent then find nothing to do.
   */
  async sendPending(options: { all?: boolean } = {}): Promise<{ delivered: number; refused: number }> {
    await this.drain();
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM share_delivery WHERE status = 'pending' AND channel = 'push' AND (due_at <= now() OR $1)
        ORDER BY created_at LIMIT 10000`,
      [options.all ?? false],
    );
    const counts = { delivered: 0, refused: 0 };
    for (const row of shuffle(rows)) {
      const outcome = await this.deliver(row.id, true);
      if (outcome !== 'skipped') counts[outcome] += 1;
    }
    return counts;
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
    for (const row of pending) await this.enqueueDelivery(row.id, row.due_at);
    const purges: { consent_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT consent_id FROM share_purge WHERE status = 'requested'`,
    );
    for (const row of purges) await this.enqueueWithdrawal(row.consent_id);
  }
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
