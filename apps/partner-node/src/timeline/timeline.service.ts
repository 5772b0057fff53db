import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type ConnectionShape, type PageArgs, pageSize } from '#platform/graphql/connection';
import { CareCase } from '../care-cases/care-case.entity.js';
import { CareCasesService } from '../care-cases/care-cases.service.js';
import { CustomersService } from '../customers/customers.service.js';
import { Interaction } from '../interactions/interaction.entity.js';
import { InteractionsService } from '../interactions/interactions.service.js';
import { Order } from '../orders/order.entity.js';
import { OrdersService } from '../orders/orders.service.js';
import type { SharedHistoryReasonInput } from '../sharing/pull-reason.js';
import { SHARED_TIMELINE, type SharedTimelinePort } from '../sharing/shared-timeline.port.js';
import type { SharedRecord } from '../sharing/sharing.entities.js';
import {
  SHARED_BRANCH,
  decodeTimelineCursor,
  kindOfRank,
  timelineCursor,
  timelineStatement,
} from './timeline-query.js';
import { SignatureStatus, TimelineItem, TimelineKind, TimelineOrigin } from './timeline.types.js';

const shown = (value: string): string => value.toUpperCase();

/** Title and summary of a local record. */
function describeRecord(record: Interaction | CareCase | Order): { title: string; summary: string | null } {
  if (record instanceof Interaction) {
    return {
      title: record.subject ?? `${shown(record.channel)} ${shown(record.direction)}`,
      summary: record.summary,
    };
  }
  if (record instanceof CareCase) {
    return { title: record.subject, summary: `${shown(record.status)}, ${shown(record.priority)} priority` };
  }
  return {
    title: `Order ${record.number}`,
    summary: `${shown(record.status)}, ${record.total} ${record.currency}`,
  };
}

/** A page, and whether the partners' shared history behind it is complete (first page only). */
export type TimelinePage = ConnectionShape<TimelineItem> & {
  sharedHistoryNeedsReason: boolean;
  partial: boolean;
  unavailablePartners: string[];
};

@Injectable()
export class TimelineService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly customers: CustomersService,
    private readonly interactions: InteractionsService,
    private readonly cases: CareCasesService,
    private readonly orders: OrdersService,
    @Optional() @Inject(SHARED_TIMELINE) private readonly shared?: SharedTimelinePort,
  ) {}

  /** One page of the customer's timeline, newest first: one UNION ALL query, then one query per kind present. */
  async page(
    customerId: string,
    kinds: TimelineKind[] | undefined,
    args: PageArgs,
    options: {
      includeShared?: boolean;
      reason?: SharedHistoryReasonInput | null;
      userId?: string | null;
    } = {},
  ): Promise<TimelinePage> {
    const size = pageSize(args.first);
    const cursor = args.after ? decodeTimelineCursor(args.after) : undefined;
    await this.customers.get(customerId);
    // Shared items, pulled or already held, are shown only for a reason (checked on every page).
    const sharedHistoryNeedsReason = options.includeShared === true && !options.reason;
    const includeShared = options.includeShared === true && !!options.reason && this.shared !== undefined;
    const reason = includeShared ? await this.shared!.checkReason(customerId, options.reason) : undefined;
    // Opening the customer (first page) asks the partners for their shared history first.
    const completeness =
      includeShared && !cursor
        ? await this.shared!.refresh(customerId, reason!, options.userId ?? null)
        : { partial: false, unavailablePartners: [] };
    const { sql, params } = timelineStatement(customerId, size + 1, kinds, cursor, includeShared);
    const rows = await this.dataSource.query<{ kind_rank: number; id: string; occurred_at: Date }[]>(
      sql,
      params,
    );
    const sharedRows = includeShared
      ? rows.slice(0, size).filter((r) => Number(r.kind_rank) === SHARED_BRANCH.rank)
      : [];
    const sharedRecords = new Map<string, SharedRecord>(
      (await (sharedRows.length ? this.shared!.findByIds(sharedRows.map((r) => r.id)) : [])).map((r) => [
        r.id,
        r,
      ]),
    );
    const page = rows.slice(0, size).map((row) => {
      const isShared = Number(row.kind_rank) === SHARED_BRANCH.rank;
      const kind = isShared
        ? ((sharedRecords.get(row.id)?.kind ?? TimelineKind.INTERACTION) as unknown as TimelineKind)
        : kindOfRank(Number(row.kind_rank));
      return { ...row, kind, isShared };
    });

    const idsOf = (kind: TimelineKind) =>
      page.filter((row) => !row.isShared && row.kind === kind).map((row) => row.id);
    const [interactions, cases, orders] = await Promise.all([
      this.interactions.findByIds(idsOf(TimelineKind.INTERACTION)),
      this.cases.findByIds(idsOf(TimelineKind.CARE_CASE)),
      this.orders.findByIds(idsOf(TimelineKind.ORDER)),
    ]);
    const records = new Map<string, Interaction | CareCase | Order>();
    for (const r of interactions) records.set(`${TimelineKind.INTERACTION}:${r.id}`, r);
    for (const r of cases) records.set(`${TimelineKind.CARE_CASE}:${r.id}`, r);
    for (const r of orders) records.set(`${TimelineKind.ORDER}:${r.id}`, r);

    const edges = page.flatMap((row) => {
      if (row.isShared) {
        const shared = sharedRecords.get(row.id);
        if (!shared) return []; // purged between the two queries
        const node: TimelineItem = {
          kind: row.kind,
          recordId: shared.originRecordId,
          occurredAt: row.occurred_at,
          title: shared.title,
          summary: shared.summary,
          record: shared,
          origin: TimelineOrigin.PARTNER,
          originPartnerId: shared.originPartnerId,
          consentId: shared.consentId,
          signatureStatus: shared.signatureStatus as SignatureStatus,
          retentionEndsAt: shared.retentionEndsAt,
        };
        return [{ node, cursor: timelineCursor(row.occurred_at, row.kind, row.id, true) }];
      }
      const record = records.get(`${row.kind}:${row.id}`);
      if (!record) return []; // deleted between the two queries
      const node: TimelineItem = {
        kind: row.kind,
        recordId: row.id,
        occurredAt: row.occurred_at,
        ...describeRecord(record),
        record,
        origin: TimelineOrigin.LOCAL,
        originPartnerId: null,
        consentId: null,
        signatureStatus: null,
        retentionEndsAt: null,
      };
      return [{ node, cursor: timelineCursor(row.occurred_at, row.kind, row.id) }];
    });
    if (includeShared && sharedRecords.size > 0) {
      await this.shared!.recordAccess(
        options.userId ?? null,
        customerId,
        [...sharedRecords.values()],
        reason!,
      );
    }
    const last = page[page.length - 1];
    return {
      sharedHistoryNeedsReason,
      ...completeness,
      edges,
      nodes: edges.map((e) => e.node),
      pageInfo: {
        hasNextPage: rows.length > size,
        endCursor: last ? timelineCursor(last.occurred_at, last.kind, last.id, last.isShared) : null,
      },
    };
  }
}
