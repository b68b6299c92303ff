import { compileFilters } from './filters.util';
import { lead } from './testing/auction.fixture';
import { FilterRule } from './types';

const matches = (rule: FilterRule, fields: Record<string, unknown>) => compileFilters([rule])(lead(fields));

describe('filters: GT, GTE, LT, LTE and BETWEEN', () => {
  it('compare numbers numerically, at the edges too', () => {
    expect(matches({ field: 'age', op: 'GT', value: 30 }, { age: 31 })).toBe(true);
    expect(matches({ field: 'age', op: 'GT', value: 30 }, { age: 30 })).toBe(false);
    expect(matches({ field: 'age', op: 'GTE', value: 30 }, { age: 30 })).toBe(true);
    expect(matches({ field: 'age', op: 'GTE', value: 30 }, { age: 29.99 })).toBe(false);
    expect(matches({ field: 'age', op: 'LT', value: 30 }, { age: 29 })).toBe(true);
    expect(matches({ field: 'age', op: 'LT', value: 30 }, { age: 30 })).toBe(false);
    expect(matches({ field: 'age', op: 'LTE', value: 30 }, { age: 30 })).toBe(true);
    expect(matches({ field: 'age', op: 'LTE', value: 30 }, { age: 31 })).toBe(false);
  });

  it('read numeric strings on either side as numbers', () => {
    expect(matches({ field: 'zip', op: 'GTE', value: '33000' }, { zip: '33101' })).toBe(true);
    // As strings "9" > "10"; as numbers it is not.
    expect(matches({ field: 'income', op: 'GT', value: '10' }, { income: '9' })).toBe(false);
    expect(matches({ field: 'income', op: 'GT', value: 10 }, { income: '9.5' })).toBe(false);
    expect(matches({ field: 'income', op: 'LT', value: '100' }, { income: 99 })).toBe(true);
  });

  it('fall back to a case-insensitive string comparison when the lead value is not numeric', () => {
    expect(matches({ field: 'zip', op: 'GTE', value: '33000' }, { zip: '33101-1234' })).toBe(true);
    expect(matches({ field: 'zip', op: 'LT', value: '33000' }, { zip: '32999-0000' })).toBe(true);
    // "k1a" sorts after "33000": letters come after digits.
    expect(matches({ field: 'zip', op: 'LT', value: 33000 }, { zip: 'K1A 0B1' })).toBe(false);
    expect(matches({ field: 'zip', op: 'GT', value: 33000 }, { zip: 'K1A 0B1' })).toBe(true);
  });

  it('are false on a missing, null or unorderable field', () => {
    for (const op of ['GT', 'GTE', 'LT', 'LTE'] as const) {
      expect(matches({ field: 'age', op, value: 30 }, {})).toBe(false);
      expect(matches({ field: 'age', op, value: 30 }, { age: null })).toBe(false);
      expect(matches({ field: 'age', op, value: 30 }, { age: true })).toBe(false);
      expect(matches({ field: 'age', op, value: 30 }, { age: NaN })).toBe(false);
    }
  });

  it('BETWEEN is inclusive at both ends and false when missing', () => {
    const rule: FilterRule = { field: 'age', op: 'BETWEEN', value: [25, 65] };
    expect(matches(rule, { age: 25 })).toBe(true);
    expect(matches(rule, { age: 65 })).toBe(true);
    expect(matches(rule, { age: '40' })).toBe(true);
    expect(matches(rule, { age: 24 })).toBe(false);
    expect(matches(rule, { age: 65.01 })).toBe(false);
    expect(matches(rule, {})).toBe(false);
    expect(matches({ field: 'zip', op: 'BETWEEN', value: ['33000', '33999'] }, { zip: '33101' })).toBe(true);
    expect(matches({ field: 'zip', op: 'BETWEEN', value: ['33000', '33999'] }, { zip: '34000' })).toBe(false);
  });
});
