import type { EntityManager } from 'typeorm';
import type { JsonValue, ShareRecord } from '#protocol';
import { SharedRecordKind } from './sharing.entities.js';

/**
 * What a partner may see of a customer's care history: minimised records (no free text beyond a
 * subject line, no agent, no internal ids other than the record's own). Pure mapping + SQL.
 */
export const CATEGORY_OF_KIND: Readonly<Record<SharedRecordKind, 'care-history' | 'orders'>> = {
  [SharedRecordKind.INTERACTION]: 'care-history',
  [SharedRecordKind.CARE_CASE]: 'care-history',
  [SharedRecordKind.ORDER]: 'orders',
};

/** Records per kind sent in answer to one history request (the most recent ones). */
export const PULL_LIMIT_PER_KIND = 200;

export interface LocalRecord {
  kind: SharedRecordKind;
  id: string;
  customerId: string;
  data: Record<string, JsonValue>;
}

const iso = (value: Date | null | undefined): string | undefined => (value ? value.toISOString() : undefined);

function compact(data: Record<string, JsonValue | undefined>): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined && v !== null)) as Record<
    string,
    JsonValue
  >;
}

const QUERIES: Record<SharedRecordKind, { table: string; time: string; columns: string }> = {
  [SharedRecordKind.INTERACTION]: {
    table: 'interaction',
    time: 'occurred_at',
    columns: 'id, customer_id, occurred_at AS at, channel, direction, subject',
  },
  [SharedRecordKind.CARE_CASE]: {
    table: 'care_case',
    time: 'opened_at',
    columns:
      'id, customer_id, opened_at AS at, subject, status, priority, satisfaction, resolved_at, closed_at',
  },
  [SharedRecordKind.ORDER]: {
    table: 'customer_order',
    time: 'ordered_at',
    columns: 'id, customer_id, ordered_at AS at, number, status, channel, currency, total::text AS total',
  },
};

type Row = Record<string, unknown> & { id: string; customer_id: string; at: Date };

function toLocal(kind: SharedRecordKind, row: Row): LocalRecord {
  const base = { kind, occurredAt: row.at.toISOString() };
  let data: Record<string, JsonValue>;
  switch (kind) {
    case SharedRecordKind.INTERACTION:
      data = compact({
        ...base,
        channel: row.channel as string,
        direction: row.direction as string,
        subject: row.subject as string,
      });
      break;
    case SharedRecordKind.CARE_CASE:
      data = compact({
        ...base,
        subject: row.subject as string,
        status: row.status as string,
        priority: row.priority as string,
        satisfaction: row.satisfaction as number | null,
        resolvedAt: iso(row.resolved_at as Date | null),
        closedAt: iso(row.closed_at as Date | null),
      });
      break;
    default:
      data = compact({
        ...base,
        number: row.number as string,
        status: row.status as string,
        channel: row.channel as string,
        currency: row.currency as string,
        total: row.total as string,
      });
  }
  return { kind, id: row.id, customerId: row.customer_id, data };
}

/** The most recent records of these customers, of the kinds whose category is allowed. */
export async function recordsOfCustomers(
  manager: EntityManager,
  customerIds: readonly string[],
  categories: readonly string[],
  limitPerKind = PULL_LIMIT_PER_KIND,
): Promise<LocalRecord[]> {
  const kinds = (Object.keys(QUERIES) as SharedRecordKind[]).filter((k) =>
    categories.includes(CATEGORY_OF_KIND[k]),
  );
  const result: LocalRecord[] = [];
  for (const kind of kinds) {
    const q = QUERIES[kind];
    const rows: Row[] = await manager.query(
      `SELECT * FROM (
         SELECT ${q.columns}, row_number() OVER (PARTITION BY customer_id ORDER BY ${q.time} DESC, id DESC) AS n
           FROM ${q.table} WHERE customer_id = ANY ($1::uuid[])) t
        WHERE n <= $2`,
      [customerIds, limitPerKind],
    );
    for (const row of rows) result.push(toLocal(kind, row));
  }
  return result;
}

/** The current state of records given by (kind, id); deleted ones are absent. */
export async function recordsByIds(
  manager: EntityManager,
  refs: readonly { kind: SharedRecordKind; id: string }[],
): Promise<Map<string, LocalRecord>> {
  const found = new Map<string, LocalRecord>();
  for (const kind of Object.keys(QUERIES) as SharedRecordKind[]) {
    const ids = refs.filter((r) => r.kind === kind).map((r) => r.id);
    if (ids.length === 0) continue;
    const q = QUERIES[kind];
    const rows: Row[] = await manager.query(
      `SELECT ${q.columns} FROM ${q.table} WHERE id = ANY ($1::uuid[])`,
      [ids],
    );
    for (const row of rows) found.set(`${kind}:${row.id}`, toLocal(kind, row));
  }
  return found;
}

export function shareRecordOf(record: LocalRecord, consentId: string, subjectToken: string): ShareRecord {
  return {
    recordId: `${record.kind}:${record.id}`,
    consentId,
    subjectToken,
    category: CATEGORY_OF_KIND[record.kind],
    data: record.data,
  };
}

const shown = (value: unknown): string => String(value ?? '').toUpperCase();

/** Title and summary of a shared record, as the timeline shows it. */
export function describeShared(
  kind: SharedRecordKind,
  data: Record<string, unknown>,
): { title: string; summary: string | null } {
  switch (kind) {
    case SharedRecordKind.INTERACTION:
      return {
        title:
          typeof data.subject === 'string' ? data.subject : `${shown(data.channel)} ${shown(data.direction)}`,
        summary: null,
      };
    case SharedRecordKind.CARE_CASE:
      return {
        title: typeof data.subject === 'string' ? data.subject : 'Care case',
        summary: `${shown(data.status)}, ${shown(data.priority)} priority`,
      };
    default:
      return {
        title: `Order ${String(data.number ?? '')}`.trim(),
        summary: `${shown(data.status)}, ${String(data.total ?? '')} ${String(data.currency ?? '')}`,
      };
  }
}

/** Parses the `kind:uuid` record id of a shared record; undefined when it is not one. */
export function parseRecordId(recordId: string): { kind: SharedRecordKind; id: string } | undefined {
  const match = /^(interaction|care_case|order):([0-9a-f-]{36})$/u.exec(recordId);
  return match ? { kind: match[1] as SharedRecordKind, id: match[2]! } : undefined;
}
