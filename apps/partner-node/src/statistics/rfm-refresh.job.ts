import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed } from '#platform/database/named-queries';
import { getLogger } from '#platform/logging/logger';
import { JOB_QUEUE, defineQueue, type JobQueue } from '#platform/queue/job-queue';
import type { PartnerNodeConfig } from '../config.js';
import { PARTNER_NODE_CONFIG } from '../config.token.js';
import { OrderRfmRepository } from '../orders/order-rfm.repository.js';
import { computeRfm, type RfmResult } from './rfm-compute.js';
import { RFM_SNAPSHOT_QUERIES as Q, type RfmSnapshotQuery } from './rfm-snapshots.queries.js';

/** A stored RFM distribution: one key's computation as of a time. */
export interface RfmSnapshot {
  windowDays: number;
  currency: string | null;
  asOf: Date;
  result: RfmResult;
  /** When the computation ended and was stored. */
  computedAt: Date;
  durationMs: number;
}

/** The key of a stored distribution. */
export interface RfmKey {
  windowDays: number;
  /** ISO 4217, or null: all currencies. */
  currency: string | null;
}

/** A refresh of one key; `requestedAt` (ISO): a snapshot computed since then is fresh enough. */
export interface RfmRefreshJobData extends RfmKey {
  requestedAt: string;
}

/** Refreshes of stored RFM distributions, one job per key at a time (RfmRefreshJob). */
export const RFM_REFRESH_QUEUE = defineQueue<RfmRefreshJobData>('statistics.rfm-refresh');
/** Scheduled: enqueues the refresh of every key read recently whose snapshot is older than the interval. */
export const RFM_REFRESH_DUE_QUEUE = defineQueue('statistics.rfm-refresh-due');

/** Snapshots kept per key (the latest and a short history). */
export const RFM_SNAPSHOTS_KEPT = 5;
/** Keys not read for this long are no longer refreshed on schedule (a read starts them again). */
export const RFM_KEY_IDLE_DAYS = 7;

/** The job id of a key's refresh: one pending refresh per key, however often it is asked for. */
export const rfmRefreshJobId = (key: RfmKey): string =>
  `rfm-refresh.${key.windowDays}.${key.currency ?? 'all'}`;

interface SnapshotRow {
  as_of: Date;
  result: RfmResult;
  computed_at: Date;
  duration_ms: number;
}

export const snapshotOf = (key: RfmKey, row: SnapshotRow): RfmSnapshot => ({
  windowDays: key.windowDays,
  currency: key.currency,
  asOf: new Date(row.as_of),
  result: row.result,
  computedAt: new Date(row.computed_at),
  durationMs: row.duration_ms,
});

/**
 * The job of RFM_REFRESH_QUEUE: computes one key's RFM distribution with the statistics SQL
 * (computeRfm) as of now and stores it as the key's latest snapshot, keeping a short history.
 * One refresh per key runs at a time across the node's processes (an advisory lock); a refresh
 * that finds a snapshot computed since it was asked for stores nothing and returns that one.
 */
@Injectable()
export class RfmRefreshJob {
  constructor(
    @Inject(PARTNER_NODE_CONFIG) private readonly config: PartnerNodeConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly orders: OrderRfmRepository,
  ) {}

  /** Seconds between refreshes of a key (STATISTICS_RFM_REFRESH_SECONDS). */
  get intervalSeconds(): number {
    return this.config.statistics.rfmRefreshSeconds;
  }

  async refresh(data: RfmRefreshJobData): Promise<RfmSnapshot> {
    const key = { windowDays: data.windowDays, currency: data.currency };
    const params = [key.windowDays, key.currency];
    return this.dataSource.transaction(async (manager) => {
      await runNamed(manager, Q, 'touchKey', params);
      await runNamed(manager, Q, 'lockKey', params);
      const [latest] = await runNamed<{ id: string; computed_at: Date }, RfmSnapshotQuery>(
        manager,
        Q,
        'latestComputedAt',
        params,
      );
      if (latest && new Date(latest.computed_at).getTime() >= new Date(data.requestedAt).getTime()) {
        const [row] = await runNamed<SnapshotRow, RfmSnapshotQuery>(manager, Q, 'byId', [latest.id]);
        return snapshotOf(key, row!);
      }
      const asOf = new Date();
      const started = performance.now();
      const result = await computeRfm(this.orders, manager, asOf, key.windowDays, key.currency);
      const durationMs = Math.round(performance.now() - started);
      const [row] = await runNamed<SnapshotRow, RfmSnapshotQuery>(manager, Q, 'insert', [
        ...params,
        asOf,
        JSON.stringify(result),
        durationMs,
      ]);
      await runNamed(manager, Q, 'prune', [...params, RFM_SNAPSHOTS_KEPT]);
      getLogger().info(
        { windowDays: key.windowDays, currency: key.currency, customers: result.customers, durationMs },
        'RFM distribution refreshed',
      );
      return snapshotOf(key, row!);
    });
  }

  /** Asks the queue for a refresh of the key (a no-op while one is pending). */
  async enqueue(key: RfmKey): Promise<void> {
    await this.queue.enqueue(
      RFM_REFRESH_QUEUE,
      { ...key, requestedAt: new Date().toISOString() },
      { jobId: rfmRefreshJobId(key) },
    );
  }

  /** The scheduled check: a refresh of every key read recently whose snapshot is older than the interval. */
  async enqueueDue(): Promise<number> {
    const due = await runNamed<{ window_days: number; currency: string | null }, RfmSnapshotQuery>(
      this.dataSource,
      Q,
      'dueKeys',
      [RFM_KEY_IDLE_DAYS, this.intervalSeconds],
    );
    for (const key of due) await this.enqueue({ windowDays: key.window_days, currency: key.currency });
    return due.length;
  }
}
