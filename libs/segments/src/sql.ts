import { COUNTED_ORDER_STATUSES, type Condition, type RuleNode } from './rule.js';

/**
 * Translates a validated rule (see rule.ts) into one PostgreSQL query that selects the matching,
 * not deleted customers: `SELECT c.id AS customer_id FROM customer c … WHERE …`.
 *
 * Safety: every value of the rule travels as a bind parameter ($n, with an explicit cast); the SQL
 * text is made only of constant fragments chosen by the (whitelisted) field and operator, so no
 * part of a rule is ever spliced into SQL. Attribute keys are parameters too (`attributes -> $n`).
 *
 * Shape: per-customer order facts (last order, and count/revenue per distinct window) are
 * aggregated once in a CTE `o` over customer_order and LEFT JOINed, care-case facts likewise in
 * `k`; categories bought and companies are uncorrelated `c.id IN (subquery)` tests, which
 * PostgreSQL runs as (hashed) semi-joins. Each condition is wrapped in `COALESCE(…, false)` so that
 * missing facts make it false, never NULL, and `NOT` stays the exact complement.
 */
export interface TranslatedRule {
  sql: string;
  params: unknown[];
}

export interface TranslateOptions {
  /** The time the rule is evaluated at: windows end there, later orders and cases are ignored. */
  asOf: Date;
}

class Builder {
  readonly params: unknown[] = [];
  /** Aggregate columns of the `o` CTE (orders) and `k` CTE (care cases), by kind and window. */
  readonly orderColumns = new Map<string, { name: string; sql: string }>();
  readonly caseColumns = new Map<string, { name: string; sql: string }>();
  usesLastOrder = false;

  private asOfPlaceholder?: string;

  constructor(private readonly asOfValue: Date) {}

  /** The evaluation time, as a parameter allocated on first use (PostgreSQL refuses untyped unused ones). */
  asOf(): string {
    this.asOfPlaceholder ??= this.param(this.asOfValue.toISOString(), 'timestamptz');
    return this.asOfPlaceholder;
  }

  /** A bind parameter with its cast. */
  param(value: unknown, cast: string): string {
    this.params.push(value);
    return `$${this.params.length}::${cast}`;
  }

  windowFilter(column: string, days: number | undefined): string {
    return days === undefined
      ? ''
      : ` AND ${column} > ${this.asOf()} - make_interval(days => ${this.param(days, 'int')})`;
  }

  orderAggregate(kind: 'count' | 'revenue', days: number | undefined): string {
    const id = `${kind}:${days ?? 'all'}`;
    let column = this.orderColumns.get(id)?.name;
    if (!column) {
      const window =
        days === undefined ? '' : ` FILTER (WHERE ${this.windowFilter('co.ordered_at', days).slice(5)})`;
      column = `${kind === 'count' ? 'n' : 'm'}${this.orderColumns.size}`;
      this.orderColumns.set(id, {
        name: column,
        sql: kind === 'count' ? `count(*)${window}` : `sum(co.total)${window}`,
      });
    }
    return `COALESCE(o.${column}, 0)`;
  }

  caseAggregate(kind: 'count' | 'avg', days: number | undefined): string {
    const id = `${kind}:${days ?? 'all'}`;
    let column = this.caseColumns.get(id)?.name;
    if (!column) {
      const window = days === undefined ? '' : this.windowFilter('cc.opened_at', days).slice(5);
      const sql =
        kind === 'count'
          ? `count(*)${window ? ` FILTER (WHERE ${window})` : ''}`
          : `avg(cc.satisfaction) FILTER (WHERE cc.satisfaction IS NOT NULL${window ? ` AND ${window}` : ''})`;
      column = `${kind === 'count' ? 'k' : 's'}${this.caseColumns.size}`;
      this.caseColumns.set(id, { name: column, sql });
    }
    return kind === 'count' ? `COALESCE(k.${column}, 0)` : `k.${column}`;
  }
}

const COUNTED = COUNTED_ORDER_STATUSES.map((s) => `'${s}'`).join(',');

export function ruleToSql(rule: RuleNode, options: TranslateOptions): TranslatedRule {
  const b = new Builder(options.asOf);
  const where = node(b, rule);
  const ctes: string[] = [];
  const joins: string[] = [];
  if (b.orderColumns.size > 0 || b.usesLastOrder) {
    const columns = [
      'max(co.ordered_at) AS last_order_at',
      ...[...b.orderColumns.values()].map(({ sql, name }) => `${sql} AS ${name}`),
    ];
    ctes.push(
      `o AS (SELECT co.customer_id, ${columns.join(', ')} FROM customer_order co` +
        ` WHERE co.status IN (${COUNTED}) AND co.ordered_at <= ${b.asOf()} GROUP BY co.customer_id)`,
    );
    joins.push('LEFT JOIN o ON o.customer_id = c.id');
  }
  if (b.caseColumns.size > 0) {
    const columns = [...b.caseColumns.values()].map(({ sql, name }) => `${sql} AS ${name}`);
    ctes.push(
      `k AS (SELECT cc.customer_id, ${columns.join(', ')} FROM care_case cc` +
        ` WHERE cc.opened_at <= ${b.asOf()} GROUP BY cc.customer_id)`,
    );
    joins.push('LEFT JOIN k ON k.customer_id = c.id');
  }
  const sql =
    `${ctes.length ? `WITH ${ctes.join(', ')} ` : ''}SELECT c.id AS customer_id FROM customer c` +
    `${joins.length ? ` ${joins.join(' ')}` : ''} WHERE c.deleted_at IS NULL AND ${where}`;
  return { sql, params: b.params };
}

function node(b: Builder, rule: RuleNode): string {
  if ('all' in rule) return `(${rule.all.map((n) => node(b, n)).join(' AND ')})`;
  if ('any' in rule) return `(${rule.any.map((n) => node(b, n)).join(' OR ')})`;
  if ('not' in rule) return `(NOT ${node(b, rule.not)})`;
  return `COALESCE(${condition(b, rule)}, false)`;
}

const COMPARATORS: Record<string, string> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };

/** A comparison of a numeric SQL expression (eq … lte, between; neq is true when unset). */
function compareNumber(b: Builder, expr: string, op: string, value: unknown): string {
  if (op === 'between') {
    const [low, high] = value as [number, number];
    return `(${expr} BETWEEN ${b.param(low, 'numeric')} AND ${b.param(high, 'numeric')})`;
  }
  if (op === 'neq') return `(${expr} IS DISTINCT FROM ${b.param(value, 'numeric')})`;
  return `(${expr} ${COMPARATORS[op]} ${b.param(value, 'numeric')})`;
}

/** eq / neq / in / not_in / is_set / is_not_set on a text column. */
function compareText(b: Builder, column: string, op: string, value: unknown): string {
  switch (op) {
    case 'eq':
      return `(${column} = ${b.param(value, 'text')})`;
    case 'neq':
      return `(${column} IS DISTINCT FROM ${b.param(value, 'text')})`;
    case 'in':
      return `(${column} = ANY(${b.param(value, 'text[]')}))`;
    case 'not_in':
      return `(NOT COALESCE(${column} = ANY(${b.param(value, 'text[]')}), false))`;
    case 'is_set':
      return `(${column} IS NOT NULL)`;
    case 'is_not_set':
      return `(${column} IS NULL)`;
  }
  throw new Error(`unexpected operator ${op}`);
}

function condition(b: Builder, c: Condition): string {
  switch (c.field) {
    case 'lifecycle_stage':
      return compareText(b, 'c.lifecycle_stage', c.op, c.value);
    case 'language':
      return compareText(b, 'c.language', c.op, c.value);
    case 'country':
      return compareText(b, 'c.address_country', c.op, c.value);
    case 'tags':
      switch (c.op) {
        case 'has':
          return `(${b.param(c.value, 'text')} = ANY(c.tags))`;
        case 'has_any':
          return `(c.tags && ${b.param(c.value, 'text[]')})`;
        case 'has_all':
          return `(c.tags @> ${b.param(c.value, 'text[]')})`;
        case 'has_none':
          return `(NOT (c.tags && ${b.param(c.value, 'text[]')}))`;
      }
      break;
    case 'attribute': {
      const attr = `(c.attributes -> ${b.param(c.key, 'text')})`;
      const json = (v: unknown) => JSON.stringify(v);
      switch (c.op) {
        case 'eq':
          return `(${attr} = ${b.param(json(c.value), 'jsonb')})`;
        case 'neq':
          return `(${attr} IS DISTINCT FROM ${b.param(json(c.value), 'jsonb')})`;
        case 'in':
          return `(${attr} = ANY(${b.param((c.value as unknown[]).map(json), 'jsonb[]')}))`;
        case 'not_in':
          return `(NOT COALESCE(${attr} = ANY(${b.param((c.value as unknown[]).map(json), 'jsonb[]')}), false))`;
        case 'exists':
          return `(${attr} IS NOT NULL)`;
        case 'not_exists':
          return `(${attr} IS NULL)`;
        default:
          // Numeric comparisons only see numbers: other JSON types are "unset" for them.
          return compareNumber(
            b,
            `(CASE WHEN jsonb_typeof(${attr}) = 'number' THEN (${attr} #>> '{}')::numeric END)`,
            c.op,
            c.value,
          );
      }
    }
    case 'days_since_last_order': {
      b.usesLastOrder = true;
      if (c.op === 'is_set') return '(o.last_order_at IS NOT NULL)';
      if (c.op === 'is_not_set') return '(o.last_order_at IS NULL)';
      return compareNumber(
        b,
        `floor(extract(epoch FROM (${b.asOf()} - o.last_order_at)) / 86400)`,
        c.op,
        c.value,
      );
    }
    case 'order_count':
      return compareNumber(b, b.orderAggregate('count', c.windowDays), c.op, c.value);
    case 'revenue':
      return compareNumber(b, b.orderAggregate('revenue', c.windowDays), c.op, c.value);
    case 'care_case_count':
      return compareNumber(b, b.caseAggregate('count', c.windowDays), c.op, c.value);
    case 'avg_satisfaction': {
      const avg = b.caseAggregate('avg', c.windowDays);
      if (c.op === 'is_set') return `(${avg} IS NOT NULL)`;
      if (c.op === 'is_not_set') return `(${avg} IS NULL)`;
      return compareNumber(b, avg, c.op, c.value);
    }
    case 'product_category': {
      const values = c.value as string[];
      const bought =
        `SELECT co.customer_id FROM customer_order co JOIN order_line ol ON ol.order_id = co.id` +
        ` WHERE co.status IN (${COUNTED}) AND co.ordered_at <= ${b.asOf()}` +
        `${b.windowFilter('co.ordered_at', c.windowDays)} AND ol.product_category = ANY(${b.param(values, 'text[]')})`;
      if (c.op === 'bought_any') return `(c.id IN (${bought}))`;
      if (c.op === 'bought_none') return `(NOT (c.id IN (${bought})))`;
      return `(c.id IN (${bought} GROUP BY co.customer_id HAVING count(DISTINCT ol.product_category) = ${b.param(values.length, 'int')}))`;
    }
    case 'company_industry': {
      const values = c.op === 'eq' ? [c.value] : (c.value as string[]);
      const sub =
        `SELECT m.customer_id FROM customer_company m JOIN company cp ON cp.id = m.company_id` +
        ` WHERE lower(cp.industry) = ANY(${b.param(values, 'text[]')})`;
      return c.op === 'not_in' ? `(NOT (c.id IN (${sub})))` : `(c.id IN (${sub}))`;
    }
    case 'company_size': {
      const sub =
        `SELECT m.customer_id FROM customer_company m JOIN company cp ON cp.id = m.company_id` +
        ` WHERE cp.size_band = ANY(${b.param(c.value, 'text[]')})`;
      return c.op === 'not_in' ? `(NOT (c.id IN (${sub})))` : `(c.id IN (${sub}))`;
    }
  }
  throw new Error(`unexpected condition ${c.field} ${c.op}`);
}
