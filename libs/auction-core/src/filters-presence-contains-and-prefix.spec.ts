import { compileFilters } from './filters.util';
import { lead } from './testing/auction.fixture';
import { FilterRule } from './types';

const matches = (rule: FilterRule, fields: Record<string, unknown>) => compileFilters([rule])(lead(fields));

describe('filters: EXISTS, NOT_EXISTS, CONTAINS and STARTS_WITH', () => {
  it('EXISTS wants a present, non-null, non-empty value; NOT_EXISTS the opposite', () => {
    const exists: FilterRule = { field: 'email', op: 'EXISTS' };
    const absent: FilterRule = { field: 'email', op: 'NOT_EXISTS' };
    const cases: [Record<string, unknown>, boolean][] = [
      [{ email: 'a@b.co' }, true],
      [{ email: 0 }, true],
      [{ email: false }, true],
      [{ email: '' }, false],
      [{ email: null }, false],
      [{}, false],
    ];
    for (const [fields, present] of cases) {
      expect(matches(exists, fields)).toBe(present);
      expect(matches(absent, fields)).toBe(!present);
    }
  });

  it('CONTAINS finds a substring case-insensitively, or a member of an array field', () => {
    const rule: FilterRule = { field: 'vehicle', op: 'CONTAINS', value: 'honda' };
    expect(matches(rule, { vehicle: '2019 HONDA Civic' })).toBe(true);
    expect(matches(rule, { vehicle: '2019 Toyota Camry' })).toBe(false);
    expect(matches(rule, { vehicle: ['Toyota', 'Honda'] })).toBe(true);
    expect(matches(rule, { vehicle: ['Toyota', 'Hondas'] })).toBe(false);
    expect(matches(rule, { vehicle: 7 })).toBe(false);
    expect(matches(rule, {})).toBe(false);
  });

  it('STARTS_WITH matches a prefix case-insensitively, or any of a list of prefixes', () => {
    expect(matches({ field: 'zip', op: 'STARTS_WITH', value: '331' }, { zip: '33101' })).toBe(true);
    expect(matches({ field: 'zip', op: 'STARTS_WITH', value: '331' }, { zip: '33201' })).toBe(false);
    expect(matches({ field: 'city', op: 'STARTS_WITH', value: 'mia' }, { city: 'Miami' })).toBe(true);
    expect(matches({ field: 'zip', op: 'STARTS_WITH', value: ['100', '331'] }, { zip: '33101' })).toBe(true);
    expect(matches({ field: 'zip', op: 'STARTS_WITH', value: ['100', '331'] }, { zip: '10001' })).toBe(true);
    expect(matches({ field: 'zip', op: 'STARTS_WITH', value: ['100', '331'] }, { zip: '90210' })).toBe(false);
    expect(matches({ field: 'zip', op: 'STARTS_WITH', value: '331' }, { zip: 33101 })).toBe(true);
    expect(matches({ field: 'zip', op: 'STARTS_WITH', value: '331' }, {})).toBe(false);
  });

  it('STARTS_WITH over a long prefix list of mixed lengths agrees with a plain scan', () => {
    const prefixes = ['9', '100', '101', '1020', '33', '331', '3320', '60', '606', '70', '750', 'AB'];
    const f = compileFilters([{ field: 'zip', op: 'STARTS_WITH', value: prefixes }]);
    const zips = ['90210', '10001', '10199', '10205', '10210', '33999', '33205', '33210', '60601', '70001', '75001', '76001', 'ab123', 'Ac1', '1', ''];
    const got = zips.map((zip) => f(lead({ zip })));
    const want = zips.map((zip) => prefixes.some((p) => zip.toLowerCase().startsWith(p.toLowerCase())));
    expect(got).toEqual(want);
    expect(got.filter(Boolean)).toHaveLength(11);
  });
});
