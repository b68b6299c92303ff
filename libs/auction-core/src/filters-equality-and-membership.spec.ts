import { compileFilters } from './filters.util';
import { lead } from './testing/auction.fixture';
import { FilterRule } from './types';

const matches = (rule: FilterRule, fields: Record<string, unknown>) => compileFilters([rule])(lead(fields));

describe('filters: EQ, NEQ, IN and NOT_IN', () => {
  it('EQ compares strings case-insensitively and everything else strictly', () => {
    expect(matches({ field: 'state', op: 'EQ', value: 'fl' }, { state: 'FL' })).toBe(true);
    expect(matches({ field: 'state', op: 'EQ', value: 'FL' }, { state: 'GA' })).toBe(false);
    expect(matches({ field: 'homeowner', op: 'EQ', value: true }, { homeowner: true })).toBe(true);
    expect(matches({ field: 'homeowner', op: 'EQ', value: true }, { homeowner: 'true' })).toBe(false);
    expect(matches({ field: 'age', op: 'EQ', value: 30 }, { age: '30' })).toBe(false);
    expect(matches({ field: 'age', op: 'EQ', value: 30 }, { age: 30 })).toBe(true);
    expect(matches({ field: 'state', op: 'EQ', value: 'FL' }, {})).toBe(false);
  });

  it('NEQ is the opposite of EQ and true on a missing field', () => {
    expect(matches({ field: 'state', op: 'NEQ', value: 'fl' }, { state: 'FL' })).toBe(false);
    expect(matches({ field: 'state', op: 'NEQ', value: 'FL' }, { state: 'GA' })).toBe(true);
    expect(matches({ field: 'state', op: 'NEQ', value: 'FL' }, {})).toBe(true);
    expect(matches({ field: 'state', op: 'NEQ', value: 'FL' }, { state: null })).toBe(true);
  });

  it('IN tests membership with the same equality', () => {
    const rule: FilterRule = { field: 'state', op: 'IN', value: ['FL', 'ga', 'Tx'] };
    expect(matches(rule, { state: 'fl' })).toBe(true);
    expect(matches(rule, { state: 'GA' })).toBe(true);
    expect(matches(rule, { state: 'TX' })).toBe(true);
    expect(matches(rule, { state: 'NY' })).toBe(false);
    expect(matches(rule, {})).toBe(false);
    expect(matches({ field: 'children', op: 'IN', value: [1, 2] }, { children: 2 })).toBe(true);
    expect(matches({ field: 'children', op: 'IN', value: [1, 2] }, { children: '2' })).toBe(false);
    expect(matches({ field: 'children', op: 'IN', value: [1, 2] }, { children: 3 })).toBe(false);
  });

  it('NOT_IN excludes members and passes a missing field', () => {
    const rule: FilterRule = { field: 'credit_rating', op: 'NOT_IN', value: ['POOR', 'unknown'] };
    expect(matches(rule, { credit_rating: 'poor' })).toBe(false);
    expect(matches(rule, { credit_rating: 'UNKNOWN' })).toBe(false);
    expect(matches(rule, { credit_rating: 'good' })).toBe(true);
    expect(matches(rule, {})).toBe(true);
  });

  it('requires every rule to hold, and an empty list matches everything', () => {
    const f = compileFilters([
      { field: 'state', op: 'IN', value: ['FL', 'GA'] },
      { field: 'homeowner', op: 'EQ', value: true },
      { field: 'age', op: 'GTE', value: 21 },
      { field: 'zip', op: 'STARTS_WITH', value: '33' },
    ]);
    expect(f(lead({ state: 'FL', homeowner: true, age: 40, zip: '33101' }))).toBe(true);
    expect(f(lead({ state: 'FL', homeowner: false, age: 40, zip: '33101' }))).toBe(false);
    expect(f(lead({ state: 'FL', homeowner: true, age: 20, zip: '33101' }))).toBe(false);
    expect(f(lead({ state: 'FL', homeowner: true, age: 40, zip: '30301' }))).toBe(false);
    expect(compileFilters([])(lead({}))).toBe(true);
  });
});
