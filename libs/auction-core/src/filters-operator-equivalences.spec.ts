import fc from 'fast-check';
import { compileFilters } from './filters.util';
import { lead } from './testing/auction.fixture';
import { FilterRule } from './types';

const holds = (rules: FilterRule[], value: unknown) => compileFilters(rules)(lead({ x: value }));

/** Numbers, their string spellings, and case-varied words: what lead fields really hold. */
const scalar = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ min: -1000, max: 1000, noNaN: true }),
  fc.integer({ min: 0, max: 99999 }).map(String),
  fc.constantFrom('fl', 'FL', 'Fl', 'ga', 'GA', 'good', 'GOOD', 'poor'),
);

describe('filter operators agree with each other', () => {
  it('BETWEEN [a, b] ⇔ GTE a AND LTE b', () => {
    fc.assert(
      fc.property(fc.integer({ min: -500, max: 500 }), fc.integer({ min: -500, max: 500 }), scalar, (p, q, v) => {
        const [a, b] = p <= q ? [p, q] : [q, p];
        expect(holds([{ field: 'x', op: 'BETWEEN', value: [a, b] }], v)).toBe(
          holds([{ field: 'x', op: 'GTE', value: a }, { field: 'x', op: 'LTE', value: b }], v),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('IN [x] ⇔ EQ x and NOT_IN [x] ⇔ NEQ x', () => {
    fc.assert(
      fc.property(scalar, scalar, (x, v) => {
        expect(holds([{ field: 'x', op: 'IN', value: [x] }], v)).toBe(holds([{ field: 'x', op: 'EQ', value: x }], v));
        expect(holds([{ field: 'x', op: 'NOT_IN', value: [x] }], v)).toBe(holds([{ field: 'x', op: 'NEQ', value: x }], v));
      }),
      { numRuns: 1000 },
    );
  });

  it('for numbers, exactly one of LT, EQ, GT holds, and GTE ⇔ NOT LT', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (t, v) => {
        const lt = holds([{ field: 'x', op: 'LT', value: t }], v);
        const gt = holds([{ field: 'x', op: 'GT', value: t }], v);
        const eq = holds([{ field: 'x', op: 'GTE', value: t }, { field: 'x', op: 'LTE', value: t }], v);
        expect([lt, eq, gt].filter(Boolean)).toHaveLength(1);
        expect(holds([{ field: 'x', op: 'GTE', value: t }], v)).toBe(!lt);
        expect(lt).toBe(v < t);
      }),
      { numRuns: 1000 },
    );
  });

  it('EXISTS ⇔ NOT NOT_EXISTS for any value', () => {
    fc.assert(
      fc.property(fc.oneof(scalar, fc.constantFrom(null, undefined, '', [], {})), (v) => {
        expect(holds([{ field: 'x', op: 'EXISTS' }], v)).toBe(!holds([{ field: 'x', op: 'NOT_EXISTS' }], v));
      }),
    );
  });
});
