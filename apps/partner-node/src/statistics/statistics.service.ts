import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed, runPrepared } from '#platform/database/named-queries';
import { ValidationError } from '#platform/errors/app-errors';
import { addMonths, COUNTED_ORDER_STATUSES, linearFit, monthKey, projectFit } from '#segments';
import { CareSatisfactionRepository } from '../care-cases/care-satisfaction.repository.js';
import { OrderRfmRepository } from '../orders/order-rfm.repository.js';
import { OrderSalesService } from '../orders/order-sales.service.js';
import { SegmentsService } from '../segments/segments.service.js';
import { computeRfm, type RfmResult } from './rfm-compute.js';
import { RfmRefreshJob, snapshotOf, type RfmSnapshot } from './rfm-refresh.job.js';
import { RFM_SNAPSHOT_QUERIES, type RfmSnapshotQuery } from './rfm-snapshots.queries.js';
import type {
  CareSatisfaction,
  CareSatisfactionByMonthInput,
  CareSatisfactionMonth,
  CategorySales,
  PeriodInput,
  RfmDistribution,
  RfmInput,
  RfmRefreshInput,
  SalesByCategoryInput,
  SalesByMonthInput,
  SalesReport,
  SegmentSizeSeries,
  SegmentSizesInput,
} from './statistics.dto.js';

const COUNTED = [...COUNTED_ORDER_STATUSES];
/** A read of a key is recorded (for the schedule) at most this often. */
const KEY_READ_RECORDED_EVERY_MS = 3_600_000;

interface RfmLatestRow {
  last_read_at: Date;
  as_of: Date | null;
  result: RfmResult | null;
  computed_at: Date | null;
  duration_ms: number | null;
}

function checkPeriod(period: PeriodInput): void {
  if (period.from && period.to && period.to.getTime() <= period.from.getTime()) {
    throw new ValidationError('to', 'must be after from');
  }
}

/** Read-only aggregates for the dashboards; each is one SQL query over the CRM tables. */
@Injectable()
export class StatisticsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly segments: SegmentsService,
    private readonly sales: OrderSalesService,
    private readonly rfm: RfmRefreshJob,
    private readonly orders: OrderRfmRepository,
    private readonly careSatisfaction: CareSatisfactionRepository,
  ) {}

  /**
   * Counted orders (paid, shipped, delivered) per calendar month (UTC) of the `months` complete
   * months before `until`, months without sales included as 0, and the least-squares trend over
   * them (libs/segments/src/trend.ts) projected over `projectMonths`.
   */
  async salesByMonth(input: SalesByMonthInput): Promise<SalesReport> {
    const months = input.months ?? 12;
    const end = addMonths(input.until ?? new Date(), 0);
    const start = addMonths(end, -months);
    const category = input.category?.trim() || null;
    const rows = await this.sales.byMonth(
      { statuses: COUNTED, currency: input.currency },
      start,
      end,
      category,
    );
    const byMonth = new Map(rows.map((r) => [r.month, r]));
    const series = Array.from({ length: months }, (_, i) => {
      const month = monthKey(addMonths(start, i));
      const row = byMonth.get(month);
      return { month, orders: row?.orders ?? 0, revenue: row?.revenue ?? '0.00', projected: false };
    });
    const fit = linearFit(series.map((m) => Number(m.revenue)));
    const projection = projectFit(fit, input.projectMonths ?? 3).map((value, i) => ({
      month: monthKey(addMonths(end, i)),
      orders: 0,
      revenue: value.toFixed(2),
      projected: true,
    }));
    return { currency: input.currency, category, months: series, trend: fit, projection };
  }

  /** Counted order lines per product category in the period, by revenue. */
  async salesByCategory(input: SalesByCategoryInput): Promise<CategorySales[]> {
    checkPeriod(input);
    return this.sales.byCategory(
      { statuses: COUNTED, currency: input.currency },
      input.from ?? null,
      input.to ?? null,
    );
  }

  async segmentSizes(input: SegmentSizesInput): Promise<SegmentSizeSeries[]> {
    checkPeriod(input);
    const ids = [...new Set(input.segmentIds)];
    const found = new Map((await this.segments.findByIds(ids)).map((s) => [s.id, s]));
    const missing = input.segmentIds.findIndex((id) => !found.has(id));
    if (missing >= 0) throw new ValidationError(`segmentIds[${missing}]`, 'no such segment');
    const points = await this.segments.sizeHistory(ids, input.from, input.to);
    return ids.map((id) => ({
      segmentId: id,
      segment: found.get(id),
      points: points.filter((p) => p.segmentId === id).map(({ size, at }) => ({ size, at })),
    }));
  }

  /**
   * RFM quintile scores of the live customers with counted orders in the window. Without `asOf`,
   * the latest stored snapshot of its key (window, currency), as of its refresh: a stale one
   * (older than the interval) is served while a refresh is enqueued; the first read of a key
   * computes and stores it. With `asOf` (history), computed live.
   */
  async rfmDistribution(input: RfmInput): Promise<RfmDistribution> {
    const windowDays = input.windowDays ?? 365;
    const currency = input.currency ?? null;
    if (input.asOf) {
      const asOf = input.asOf;
      const result = await this.dataSource.transaction((manager) =>
        computeRfm(this.orders, manager, asOf, windowDays, currency),
      );
      return {
        asOf,
        windowDays,
        ...result,
        refreshedAt: null,
        stale: false,
        refreshEverySeconds: null,
        durationMs: null,
      };
    }
    const key = { windowDays, currency };
    const [row] = await runPrepared<RfmLatestRow, RfmSnapshotQuery>(
      this.dataSource,
      RFM_SNAPSHOT_QUERIES,
      'latest',
      [windowDays, currency],
    );
    if (!row?.as_of) {
      // Never computed: once, now (a concurrent first read waits for it and takes it).
      return this.published(
        await this.rfm.refresh({ ...key, requestedAt: new Date(0).toISOString() }),
        false,
      );
    }
    const snapshot = snapshotOf(key, {
      as_of: row.as_of,
      result: row.result!,
      computed_at: row.computed_at!,
      duration_ms: row.duration_ms!,
    });
    const stale = Date.now() - snapshot.asOf.getTime() > this.rfm.intervalSeconds * 1000;
    if (stale) await this.rfm.enqueue(key);
    // The schedule refreshes the keys read recently; recording each read would write on every load.
    if (Date.now() - new Date(row.last_read_at).getTime() > KEY_READ_RECORDED_EVERY_MS) {
      await runNamed(this.dataSource, RFM_SNAPSHOT_QUERIES, 'touchKey', [windowDays, currency]);
    }
    return this.published(snapshot, stale);
  }

  /** Computes and stores the key's RFM distribution now (waits for a refresh already running) and returns it. */
  async refreshRfmDistribution(input: RfmRefreshInput): Promise<RfmDistribution> {
    const snapshot = await this.rfm.refresh({
      windowDays: input.windowDays ?? 365,
      currency: input.currency ?? null,
      requestedAt: new Date().toISOString(),
    });
    return this.published(snapshot, false);
  }

  private published(snapshot: RfmSnapshot, stale: boolean): RfmDistribution {
    return {
      asOf: snapshot.asOf,
      windowDays: snapshot.windowDays,
      ...snapshot.result,
      refreshedAt: snapshot.computedAt,
      stale,
      refreshEverySeconds: this.rfm.intervalSeconds,
      durationMs: snapshot.durationMs,
    };
  }

  /** Care cases opened in the period, per category: count, rated, average and distribution of satisfaction. */
  async careSatisfactionByCategory(input: PeriodInput): Promise<CareSatisfaction[]> {
    checkPeriod(input);
    const rows = await this.careSatisfaction.byCategory(input.from ?? null, input.to ?? null);
    return rows.map((r) => ({
      category: r.category,
      cases: r.cases,
      rated: r.rated,
      average: r.average === null ? null : Number(r.average),
      distribution: [r.d1, r.d2, r.d3, r.d4, r.d5],
    }));
  }

  /** Care cases opened per calendar month (UTC) of the `months` complete months before `until`, empty months as 0. */
  async careSatisfactionByMonth(input: CareSatisfactionByMonthInput): Promise<CareSatisfactionMonth[]> {
    const months = input.months ?? 12;
    const end = addMonths(input.until ?? new Date(), 0);
    const start = addMonths(end, -months);
    const rows = await this.careSatisfaction.byMonth(start, end);
    const byMonth = new Map(rows.map((r) => [r.month, r]));
    return Array.from({ length: months }, (_, i) => {
      const month = monthKey(addMonths(start, i));
      const row = byMonth.get(month);
      return {
        month,
        cases: row?.cases ?? 0,
        rated: row?.rated ?? 0,
        average: row?.average == null ? null : Number(row.average),
      };
    });
  }
}
