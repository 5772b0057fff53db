import { z } from 'zod';
import { COMPANY_SIZE_BANDS, LIFECYCLE_STAGES } from './rule-fields.js';

/**
 * The segment rule language: rules are data (JSON), a small tree of groups and typed conditions.
 *
 *     { "all": [ …nodes ] }      every node holds          (AND)
 *     { "any": [ …nodes ] }      at least one node holds   (OR)
 *     { "not": node }            the node does not hold
 *     { "field": F, "op": O, "value": V, "key"?: K, "windowDays"?: D }   a condition
 *
 * Fields and their operators come from the whitelist below (FIELDS); nothing else is accepted. Each
 * condition is two-valued: a customer for whom a value is missing (no order, no language, no
 * rating…) simply does not match a comparison, so `not` is always the exact complement. `neq`,
 * `not_in`, `has_none` and `bought_none` therefore also match customers where the value is unset.
 *
 * Order facts count orders whose status is paid, shipped or delivered (COUNTED_ORDER_STATUSES),
 * ordered at or before the refresh time; `windowDays` restricts them (or care cases, by opening
 * time) to the last D days before it.
 */
export const COUNTED_ORDER_STATUSES = ['paid', 'shipped', 'delivered'] as const;

export const LIMITS = {
  /** Nesting of groups (all/any/not), the root group being depth 1. */
  maxDepth: 6,
  /** Conditions in a whole rule. */
  maxConditions: 50,
  /** Children of one group. */
  maxChildren: 50,
  /** Values in one list (in, has_any, bought_any…). */
  maxListValues: 200,
  maxStringLength: 200,
  /** The rule as JSON. */
  maxBytes: 16_384,
  maxWindowDays: 3650,
} as const;

export type GroupNode = { all: RuleNode[] } | { any: RuleNode[] } | { not: RuleNode };
export type RuleNode = GroupNode | Condition;

export interface Condition {
  field: FieldName;
  op: string;
  value?: unknown;
  /** Attribute key (field `attribute` only). */
  key?: string;
  /** Only the last D days (windowed fields only). */
  windowDays?: number;
}

/** A rule that refers to an unknown field, a wrong operator or value, or breaks a limit. */
export class RuleError extends Error {
  constructor(
    /** Where in the rule, e.g. `all[1].value` (empty for the root). */
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path || '(rule)'}: ${reason}`);
    this.name = 'RuleError';
  }
}

const text = z.string().trim().min(1).max(LIMITS.maxStringLength);
const list = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(LIMITS.maxListValues);
const number = z.number().finite();
const numberPair = z
  .tuple([number, number])
  .refine(([low, high]) => low <= high, 'must be [low, high] with low ≤ high');
const scalar = z.union([z.string().max(LIMITS.maxStringLength), number, z.boolean()]);
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as FR');
const stage = z.enum(LIFECYCLE_STAGES);
const sizeBand = z.enum(COMPANY_SIZE_BANDS);
const none = z.undefined({ error: 'takes no value' });

const NUMBER_OPS = {
  eq: number,
  neq: number,
  gt: number,
  gte: number,
  lt: number,
  lte: number,
  between: numberPair,
};

interface FieldSpec {
  description: string;
  ops: Record<string, z.ZodType>;
  windowed?: boolean;
  keyed?: boolean;
}

/** The whitelist: every field a rule may use, with its operators and the type of their values. */
export const FIELDS = {
  lifecycle_stage: {
    description: 'lead, prospect, customer or churned',
    ops: { eq: stage, neq: stage, in: list(stage), not_in: list(stage) },
  },
  language: {
    description: 'BCP 47 language tag of the customer, e.g. fr or en-GB (exact match)',
    ops: { eq: text, neq: text, in: list(text), not_in: list(text), is_set: none, is_not_set: none },
  },
  country: {
    description: 'country of the postal address, ISO 3166-1 alpha-2',
    ops: {
      eq: country,
      neq: country,
      in: list(country),
      not_in: list(country),
      is_set: none,
      is_not_set: none,
    },
  },
  tags: {
    description: 'tags of the customer (exact match)',
    ops: { has: text, has_any: list(text), has_all: list(text), has_none: list(text) },
  },
  attribute: {
    description: 'a custom attribute, named by `key`; gt/gte/lt/lte/between compare numbers only',
    keyed: true,
    ops: {
      eq: scalar,
      neq: scalar,
      in: list(scalar),
      not_in: list(scalar),
      gt: number,
      gte: number,
      lt: number,
      lte: number,
      between: numberPair,
      exists: none,
      not_exists: none,
    },
  },
  days_since_last_order: {
    description: 'whole days since the last counted order (unset when the customer never ordered)',
    ops: { ...NUMBER_OPS, is_set: none, is_not_set: none },
  },
  order_count: {
    description: 'number of counted orders (in the window)',
    windowed: true,
    ops: NUMBER_OPS,
  },
  revenue: {
    description: 'sum of the totals of counted orders (in the window), all currencies',
    windowed: true,
    ops: NUMBER_OPS,
  },
  product_category: {
    description: 'categories of the products bought in counted orders (in the window)',
    windowed: true,
    ops: { bought_any: list(text), bought_all: list(text), bought_none: list(text) },
  },
  care_case_count: {
    description: 'number of care cases opened (in the window)',
    windowed: true,
    ops: NUMBER_OPS,
  },
  avg_satisfaction: {
    description: 'average satisfaction (1–5) of the rated care cases opened (in the window); unset when none',
    windowed: true,
    ops: { ...NUMBER_OPS, is_set: none, is_not_set: none },
  },
  company_industry: {
    description: 'industry of one of the companies of the customer (case-insensitive)',
    ops: { eq: text, in: list(text), not_in: list(text) },
  },
  company_size: {
    description: 'head-count band of one of the companies of the customer',
    ops: { in: list(sizeBand), not_in: list(sizeBand) },
  },
} satisfies Record<string, FieldSpec>;

export type FieldName = keyof typeof FIELDS;
export const FIELD_NAMES = Object.keys(FIELDS) as FieldName[];

const ATTRIBUTE_KEY = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const CONDITION_KEYS = new Set(['field', 'op', 'value', 'key', 'windowDays']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * Validates a rule received from a client and returns it typed and normalised (trimmed strings,
 * de-duplicated lists, lower-cased industries). Throws a RuleError naming the offending path.
 */
export function parseRule(input: unknown): RuleNode {
  let json: string | undefined;
  try {
    json = JSON.stringify(input);
  } catch {
    throw new RuleError('', 'must be JSON');
  }
  if (json === undefined) throw new RuleError('', 'is required');
  if (Buffer.byteLength(json, 'utf8') > LIMITS.maxBytes) {
    throw new RuleError('', `must be at most ${LIMITS.maxBytes} bytes as JSON`);
  }
  const counter = { conditions: 0 };
  return parseNode(input, '', 1, counter);
}

function parseNode(input: unknown, path: string, depth: number, counter: { conditions: number }): RuleNode {
  if (!isObject(input)) throw new RuleError(path, 'must be an object: {all}, {any}, {not} or a condition');
  const keys = Object.keys(input);
  const group = keys.filter((k) => k === 'all' || k === 'any' || k === 'not');
  if (group.length > 0) {
    if (keys.length !== 1) throw new RuleError(path, 'a group has exactly one key: all, any or not');
    if (depth > LIMITS.maxDepth) throw new RuleError(path, `nests deeper than ${LIMITS.maxDepth} groups`);
    const kind = group[0] as 'all' | 'any' | 'not';
    const inner = join(path, kind);
    if (kind === 'not') return { not: parseNode(input.not, inner, depth + 1, counter) };
    const children = input[kind];
    if (!Array.isArray(children) || children.length === 0) {
      throw new RuleError(inner, 'must be a non-empty list of rules');
    }
    if (children.length > LIMITS.maxChildren) {
      throw new RuleError(inner, `must have at most ${LIMITS.maxChildren} rules`);
    }
    const parsed = children.map((child, i) => parseNode(child, join(inner, i), depth + 1, counter));
    return kind === 'all' ? { all: parsed } : { any: parsed };
  }
  if (!('field' in input))
    throw new RuleError(path, 'must be a group (all, any, not) or a condition (field, op)');
  counter.conditions++;
  if (counter.conditions > LIMITS.maxConditions) {
    throw new RuleError(path, `the rule has more than ${LIMITS.maxConditions} conditions`);
  }
  return parseCondition(input, path);
}

function parseCondition(input: Record<string, unknown>, path: string): Condition {
  for (const key of Object.keys(input)) {
    if (!CONDITION_KEYS.has(key)) throw new RuleError(join(path, key), 'is not a property of a condition');
  }
  const field = input.field;
  if (typeof field !== 'string' || !Object.hasOwn(FIELDS, field)) {
    throw new RuleError(
      join(path, 'field'),
      `unknown field ${show(field)}; allowed: ${FIELD_NAMES.join(', ')}`,
    );
  }
  const spec: FieldSpec = FIELDS[field as FieldName];
  const op = input.op;
  if (typeof op !== 'string' || !Object.hasOwn(spec.ops, op)) {
    throw new RuleError(
      join(path, 'op'),
      `unknown operator ${show(op)} for ${field}; allowed: ${Object.keys(spec.ops).join(', ')}`,
    );
  }
  const checked = spec.ops[op].safeParse(input.value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue.path.reduce<string>(
      (p, k) => join(p, typeof k === 'number' ? k : String(k)),
      join(path, 'value'),
    );
    throw new RuleError(where, issue.message);
  }
  const condition: Condition = { field: field as FieldName, op };
  if (checked.data !== undefined) condition.value = normalise(field as FieldName, op, checked.data);

  if (spec.keyed) {
    if (typeof input.key !== 'string' || !ATTRIBUTE_KEY.test(input.key)) {
      throw new RuleError(
        join(path, 'key'),
        'must be an attribute name: a letter or _, then letters, digits, _ . or - (≤ 64)',
      );
    }
    condition.key = input.key;
  } else if (input.key !== undefined) {
    throw new RuleError(join(path, 'key'), `is only for the field attribute`);
  }

  if (input.windowDays !== undefined) {
    if (!spec.windowed) throw new RuleError(join(path, 'windowDays'), `is not available for ${field}`);
    const days = input.windowDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > LIMITS.maxWindowDays) {
      throw new RuleError(
        join(path, 'windowDays'),
        `must be a whole number of days from 1 to ${LIMITS.maxWindowDays}`,
      );
    }
    condition.windowDays = days;
  }
  return condition;
}

function normalise(field: FieldName, op: string, value: unknown): unknown {
  const lower = (v: unknown) => (field === 'company_industry' && typeof v === 'string' ? v.toLowerCase() : v);
  if (!Array.isArray(value)) return lower(value);
  // [low, high] keeps its order; value lists are sets.
  if (op === 'between') return value;
  return [...new Map(value.map((v) => [JSON.stringify(lower(v)), lower(v)])).values()];
}

/** Human-readable list of the fields and operators (for errors and documentation). */
export function describeFields(): {
  field: FieldName;
  description: string;
  ops: string[];
  windowed: boolean;
}[] {
  return FIELD_NAMES.map((field) => {
    const spec: FieldSpec = FIELDS[field];
    return {
      field,
      description: spec.description,
      ops: Object.keys(spec.ops),
      windowed: Boolean(spec.windowed),
    };
  });
}
