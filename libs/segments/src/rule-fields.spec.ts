import { describe, expect, it } from '@jest/globals';
import { FIELD_VALUE_KINDS } from './rule-fields.js';
import { FIELDS, parseRule } from './rule.js';

const SAMPLE: Record<string, unknown> = {
  none: undefined,
  number: 3,
  numberPair: [1, 5],
  text: 'vip',
  textList: ['vip', 'gold'],
  country: 'FR',
  countryList: ['FR', 'DE'],
  stage: 'customer',
  stageList: ['lead', 'customer'],
  sizeBandList: ['size_1_10'],
  scalar: true,
  scalarList: ['a', 2],
};

// The editor's table (plain data for the browser) and the validator list the same language.
describe('FIELD_VALUE_KINDS', () => {
  it('has every field, operator, window and key of FIELDS, and nothing else', () => {
    expect(Object.keys(FIELD_VALUE_KINDS).sort()).toEqual(Object.keys(FIELDS).sort());
    for (const [field, spec] of Object.entries(FIELDS)) {
      const kinds = FIELD_VALUE_KINDS[field]!;
      expect([field, Object.keys(kinds.ops).sort()]).toEqual([field, Object.keys(spec.ops).sort()]);
      expect([field, Boolean(kinds.windowed)]).toEqual([field, 'windowed' in spec && spec.windowed === true]);
      expect([field, Boolean(kinds.keyed)]).toEqual([field, 'keyed' in spec && spec.keyed === true]);
    }
  });

  it('names a value kind that the validator accepts for each operator', () => {
    for (const [field, spec] of Object.entries(FIELD_VALUE_KINDS)) {
      for (const [op, kind] of Object.entries(spec.ops)) {
        const condition: Record<string, unknown> = { field, op };
        if (SAMPLE[kind] !== undefined) condition.value = SAMPLE[kind];
        if (spec.keyed) condition.key = 'tier';
        if (spec.windowed) condition.windowDays = 30;
        expect(() => parseRule(condition)).not.toThrow();
      }
    }
  });
});
