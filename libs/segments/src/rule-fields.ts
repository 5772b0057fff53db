/**
 * What each field and operator of the rule language takes as its value, as plain data (no zod, so
 * a browser can import it to build a rule editor). rule.ts holds the validation; a spec proves the
 * two list the same fields and operators.
 */
export const LIFECYCLE_STAGES = ['lead', 'prospect', 'customer', 'churned'] as const;
export const COMPANY_SIZE_BANDS = [
  'size_1_10',
  'size_11_50',
  'size_51_200',
  'size_201_1000',
  'size_1001_plus',
] as const;

/**
 * none: no value; number / numberPair ([low, high]); text / textList; country / countryList (ISO
 * alpha-2); stage / stageList; sizeBandList; scalar / scalarList (text, number or true/false).
 */
export type ValueKind =
  | 'none'
  | 'number'
  | 'numberPair'
  | 'text'
  | 'textList'
  | 'country'
  | 'countryList'
  | 'stage'
  | 'stageList'
  | 'sizeBandList'
  | 'scalar'
  | 'scalarList';

const NUMBER_OPS = {
  eq: 'number',
  neq: 'number',
  gt: 'number',
  gte: 'number',
  lt: 'number',
  lte: 'number',
  between: 'numberPair',
} as const;

export interface FieldValueSpec {
  ops: Record<string, ValueKind>;
  /** Takes `windowDays` (the last D days). */
  windowed?: true;
  /** Takes `key` (an attribute name). */
  keyed?: true;
}

export const FIELD_VALUE_KINDS: Record<string, FieldValueSpec> = {
  lifecycle_stage: { ops: { eq: 'stage', neq: 'stage', in: 'stageList', not_in: 'stageList' } },
  language: {
    ops: { eq: 'text', neq: 'text', in: 'textList', not_in: 'textList', is_set: 'none', is_not_set: 'none' },
  },
  country: {
    ops: {
      eq: 'country',
      neq: 'country',
      in: 'countryList',
      not_in: 'countryList',
      is_set: 'none',
      is_not_set: 'none',
    },
  },
  tags: { ops: { has: 'text', has_any: 'textList', has_all: 'textList', has_none: 'textList' } },
  attribute: {
    keyed: true,
    ops: {
      eq: 'scalar',
      neq: 'scalar',
      in: 'scalarList',
      not_in: 'scalarList',
      gt: 'number',
      gte: 'number',
      lt: 'number',
      lte: 'number',
      between: 'numberPair',
      exists: 'none',
      not_exists: 'none',
    },
  },
  days_since_last_order: { ops: { ...NUMBER_OPS, is_set: 'none', is_not_set: 'none' } },
  order_count: { windowed: true, ops: NUMBER_OPS },
  revenue: { windowed: true, ops: NUMBER_OPS },
  product_category: {
    windowed: true,
    ops: { bought_any: 'textList', bought_all: 'textList', bought_none: 'textList' },
  },
  care_case_count: { windowed: true, ops: NUMBER_OPS },
  avg_satisfaction: { windowed: true, ops: { ...NUMBER_OPS, is_set: 'none', is_not_set: 'none' } },
  company_industry: { ops: { eq: 'text', in: 'textList', not_in: 'textList' } },
  company_size: { ops: { in: 'sizeBandList', not_in: 'sizeBandList' } },
};
