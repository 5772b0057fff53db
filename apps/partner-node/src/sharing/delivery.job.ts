import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ShareRecord } from '#protocol';
import { LedgerService } from '#ledger';
import { getLogger } from '#platform/logging/logger';
import { JOB_QUEUE, defineQueue, type JobQueue } from '#platform/queue/job-queue';
import { RELAY_PATHS, type NodeEnvelopeAnswer } from '#federation-client';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { ConsentsRepository } from '../consents/consents.repository.js';
import { FederationPacer } from '../network/federation-pacer.js';
import { HolderService } from './holder.service.js';
import { recordsByIds, shareRecordOf } from './records.js';
import { RelayCallError, RelayClient } from './relay-client.js';
import type { DeliveryRecordRef } from './sharing.entities.js';
import { SHARING_OPTIONS, type SharingOptions } from './sharing.options.js';

/** What the job of DELIVER_QUEUE is given: the delivery (`share_delivery`) to send. */
export interface DeliveryJobData {
  deliveryId: string;
}

/** Sends one delivery of the outbox (`share_delivery`). */
export const DELIVER_QUEUE = defineQueue<DeliveryJobData>('sharing.deliver');

/**
 * The job of DELIVER_QUEUE: one delivery (a batch of records for one recipient under one agreement,
 * its id the envelope's jti) sealed and relayed once it is due, with the records as they are then
 * and under the consents still live then. Marked delivered only when the recipient stored it (or
 * already had it: REPLAYED); throws while the recipient or the federation is unavailable, so that
 * the queue retries with exponential back-off; a delivery that spent its attempts is a dead letter
 * (markDead), put back by retryDead. With a push window, each send is a FederationPacer step and
 * the batch's records are shuffled.
 */
@Injectable()
export class DeliveryJob {
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
    private readonly pacer: FederationPacer,
  ) {}

  /** Enqueues the delivery's job, delayed until `dueAt` (at once without). */
  enqueue(id: string, dueAt?: Date): Promise<string> {
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
    const refused = await this.pacer.run(this.config.sharingPushWindowSeconds > 0, async () => {
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

  /** Dead letters back to pending, and enqueued again. */
  async retryDead(): Promise<number> {
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH revived AS (UPDATE share_delivery SET status = 'pending', dead_at = NULL WHERE status = 'dead' RETURNING id)
       SELECT id FROM revived`,
    );
    for (const row of rows) await this.enqueue(row.id);
    return rows.length;
  }

  /**
   * Sends the pending push deliveries that are due now (`all`: whatever their due time) from this
   * process, in random order, each a paced step; their delayed jobs then find nothing to do.
   */
  async sendPending(all: boolean): Promise<{ delivered: number; refused: number }> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM share_delivery WHERE status = 'pending' AND channel = 'push' AND (due_at <= now() OR $1)
        ORDER BY created_at LIMIT 10000`,
      [all],
    );
    const counts = { delivered: 0, refused: 0 };
    for (const row of shuffle(rows)) {
      const outcome = await this.deliver(row.id, true);
      if (outcome !== 'skipped') counts[outcome] += 1;
    }
    return counts;
  }
}

/** Shuffles in place (Fisher–Yates on a cryptographic random source); returns the array. */
export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
