import { describe, expect, it } from '@jest/globals';
import { LIMITS, parseRule, RuleError, type RuleNode } from './rule.js';
import { ruleToSql } from './sql.js';
import { addMonths, linearFit, monthKey, projectFit } from './trend.js';

const asOf = new Date('2025-06-30T00:00:00.000Z');

function refusal(input: unknown): { path: string; reason: string } {
  try {
    parseRule(input);
  } catch (error) {
    if (error instanceof RuleError) return { path: error.path, reason: error.reason };
    throw error;
  }
  throw new Error('accepted');
}

describe('parseRule: the whitelist and the limits', () => {
  it('accepts a nested rule and normalises it', () => {
    const rule = parseRule({
      all: [
        { field: 'lifecycle_stage', op: 'in', value: ['customer', 'customer', 'prospect'] },
        {
          any: [
            { field: 'order_count', op: 'gte', value: 3, windowDays: 365 },
            { field: 'tags', op: 'has', value: 'vip' },
          ],
        },
        { not: { field: 'company_industry', op: 'eq', value: 'Retail' } },
        { field: 'attribute', key: 'loyalty.tier', op: 'eq', value: 'gold' },
      ],
    });
    expect(rule).toEqual({
      all: [
        { field: 'lifecycle_stage', op: 'in', value: ['customer', 'prospect'] },
        {
          any: [
            { field: 'order_count', op: 'gte', value: 3, windowDays: 365 },
            { field: 'tags', op: 'has', value: 'vip' },
          ],
        },
        { not: { field: 'company_industry', op: 'eq', value: 'retail' } },
        { field: 'attribute', key: 'loyalty.tier', op: 'eq', value: 'gold' },
      ],
    });
  });

  it('refuses unknown fields, naming the path — SQL in a field name included', () => {
    expect(
      refusal({ all: [{ field: 'lifecycle_stage; DROP TABLE customer', op: 'eq', value: 'lead' }] }),
    ).toMatchObject({
      path: 'all[0].field',
      reason: expect.stringContaining('unknown field'),
    });
    expect(refusal({ field: 'password_hash', op: 'eq', value: 'x' }).path).toBe('field');
    expect(refusal({ field: '__proto__', op: 'eq', value: 'x' }).path).toBe('field');
    expect(refusal({ field: 'constructor', op: 'eq', value: 'x' }).path).toBe('field');
  });

  it('refuses wrong operators and wrong value types', () => {
    expect(refusal({ field: 'order_count', op: 'like', value: 1 })).toMatchObject({ path: 'op' });
    expect(refusal({ field: 'order_count', op: 'gte', value: '3' })).toMatchObject({ path: 'value' });
    expect(refusal({ field: 'order_count', op: 'between', value: [5, 1] })).toMatchObject({ path: 'value' });
    expect(refusal({ field: 'lifecycle_stage', op: 'eq', value: 'vip' })).toMatchObject({ path: 'value' });
    expect(refusal({ field: 'country', op: 'in', value: ['FR', 'france'] })).toMatchObject({
      path: 'value[1]',
    });
    expect(refusal({ field: 'tags', op: 'has_any', value: [] })).toMatchObject({ path: 'value' });
    expect(refusal({ field: 'attribute', op: 'eq', value: 1 })).toMatchObject({ path: 'key' });
    expect(refusal({ field: 'attribute', key: "a'; --", op: 'eq', value: 1 })).toMatchObject({ path: 'key' });
    expect(refusal({ field: 'attribute', key: 'score', op: 'gt', value: 'high' })).toMatchObject({
      path: 'value',
    });
    expect(refusal({ field: 'language', op: 'is_set', value: 'fr' })).toMatchObject({ path: 'value' });
    expect(refusal({ field: 'tags', op: 'has', value: 'vip', windowDays: 30 })).toMatchObject({
      path: 'windowDays',
    });
    expect(refusal({ field: 'revenue', op: 'gt', value: 1, windowDays: 0 })).toMatchObject({
      path: 'windowDays',
    });
    expect(refusal({ field: 'revenue', op: 'gt', value: 1, sql: 'x' })).toMatchObject({ path: 'sql' });
    expect(refusal({ field: 'revenue', op: 'gt', value: Number.NaN })).toMatchObject({ path: 'value' });
  });

  it('refuses malformed groups', () => {
    expect(refusal('lifecycle_stage = lead')).toMatchObject({ path: '' });
    expect(refusal({ all: [] })).toMatchObject({ path: 'all' });
    expect(refusal({ all: [{}], any: [] })).toMatchObject({ path: '' });
    expect(refusal({ any: [{ all: [{ foo: 1 }] }] })).toMatchObject({ path: 'any[0].all[0]' });
  });

  it('refuses rules that are too deep, too wide or too big', () => {
    let deep: RuleNode = { field: 'tags', op: 'has', value: 'x' };
    for (let i = 0; i < LIMITS.maxDepth + 1; i++) deep = { not: deep };
    expect(refusal(deep).reason).toMatch(/deeper/);
    const many = {
      any: Array.from({ length: 50 }, () => ({
        all: [
          { field: 'tags', op: 'has', value: 'x' },
          { field: 'tags', op: 'has', value: 'y' },
        ],
      })),
    };
    expect(refusal(many).reason).toMatch(/more than 50 conditions/);
    const wide = { any: Array.from({ length: 51 }, () => ({ field: 'tags', op: 'has', value: 'x' })) };
    expect(refusal(wide)).toMatchObject({ path: 'any' });
    const big = {
      field: 'tags',
      op: 'has_any',
      value: Array.from({ length: 150 }, (_, i) => `${'t'.repeat(150)}${i}`),
    };
    expect(refusal(big).reason).toMatch(/bytes/);
    expect(refusal({ field: 'tags', op: 'has', value: 'x'.repeat(201) })).toMatchObject({ path: 'value' });
  });
});

describe('ruleToSql: parameterised translation', () => {
  it('puts every value in a bind parameter, never in the SQL text', () => {
    const evil = "x'); DROP TABLE customer; --";
    const { sql, params } = ruleToSql(
      parseRule({
        any: [
          { field: 'tags', op: 'has', value: evil },
          { field: 'attribute', key: 'note', op: 'eq', value: evil },
          { field: 'language', op: 'in', value: [evil] },
          { field: 'product_category', op: 'bought_any', value: [evil] },
          { field: 'company_industry', op: 'eq', value: evil },
        ],
      }),
      { asOf },
    );
    expect(sql).not.toContain('DROP');
    expect(sql).not.toContain("x'");
    expect(params).toContain(evil);
    expect(params).toContainEqual([evil]);
    expect(params).toContain(JSON.stringify(evil));
    // Every $n in the text has a parameter, and every parameter is used.
    const used = new Set([...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    expect([...used].sort((a, b) => a - b)).toEqual(params.map((_, i) => i + 1));
  });

  it('aggregates order facts once per window in a CTE and wraps conditions to be two-valued', () => {
    const { sql, params } = ruleToSql(
      parseRule({
        all: [
          { field: 'days_since_last_order', op: 'lte', value: 90 },
          { field: 'order_count', op: 'gte', value: 2, windowDays: 365 },
          { field: 'revenue', op: 'gt', value: 100, windowDays: 365 },
          { field: 'order_count', op: 'lt', value: 50, windowDays: 365 },
        ],
      }),
      { asOf },
    );
    expect(sql).toMatch(
      /^WITH o AS \(SELECT co.customer_id, max\(co.ordered_at\) AS last_order_at, count\(\*\) FILTER/,
    );
    expect(sql.match(/count\(\*\)/g)).toHaveLength(1);
    expect(sql).toContain("co.status IN ('paid','shipped','delivered')");
    expect(sql).toContain('LEFT JOIN o ON o.customer_id = c.id');
    expect(sql).not.toContain('care_case');
    expect(sql).toContain('WHERE c.deleted_at IS NULL AND (COALESCE(');
    expect(params).toEqual([asOf.toISOString(), 90, 365, 2, 365, 100, 50]);
  });

  it('only joins what the rule uses', () => {
    const { sql } = ruleToSql(parseRule({ field: 'lifecycle_stage', op: 'eq', value: 'customer' }), { asOf });
    expect(sql).toBe(
      'SELECT c.id AS customer_id FROM customer c WHERE c.deleted_at IS NULL AND COALESCE((c.lifecycle_stage = $1::text), false)',
    );
    const care = ruleToSql(parseRule({ field: 'avg_satisfaction', op: 'lt', value: 3 }), { asOf }).sql;
    expect(care).toContain(
      'k AS (SELECT cc.customer_id, avg(cc.satisfaction) FILTER (WHERE cc.satisfaction IS NOT NULL)',
    );
    expect(care).not.toContain('customer_order');
  });

  it('translates not, neq and set tests with complement semantics', () => {
    const { sql } = ruleToSql(
      parseRule({
        not: {
          any: [
            { field: 'language', op: 'neq', value: 'fr' },
            { field: 'country', op: 'is_not_set' },
          ],
        },
      }),
      { asOf },
    );
    expect(sql).toContain(
      '(NOT (COALESCE((c.language IS DISTINCT FROM $1::text), false) OR COALESCE((c.address_country IS NULL), false)))',
    );
  });
});

describe('trend', () => {
  it('fits a least-squares line and projects it', () => {
    const fit = linearFit([10, 20, 30, 40]);
    expect(fit.slope).toBeCloseTo(10);
    expect(fit.intercept).toBeCloseTo(10);
    expect(projectFit(fit, 2)).toEqual([50, 60].map((v) => expect.closeTo(v)));
    const noisy = linearFit([1, 3, 2, 4]);
    // Σx=6 Σy=10 Σxy=23 Σx²=14 → slope=(4·23−6·10)/(4·14−36)=32/20=0.8, intercept=(10−4.8)/4=1.3
    expect(noisy.slope).toBeCloseTo(0.8);
    expect(noisy.intercept).toBeCloseTo(1.3);
    expect(projectFit(linearFit([30, 20, 10]), 3)).toEqual([0, 0, 0]);
    expect(linearFit([])).toEqual({ slope: 0, intercept: 0, points: 0 });
    expect(projectFit(linearFit([7]), 2)).toEqual([7, 7]);
  });

  it('counts months in UTC', () => {
    expect(monthKey(addMonths(new Date('2025-01-31T23:00:00Z'), 1))).toBe('2025-02');
    expect(addMonths(new Date('2025-11-15T00:00:00Z'), 3).toISOString()).toBe('2026-02-01T00:00:00.000Z');
  });
});
