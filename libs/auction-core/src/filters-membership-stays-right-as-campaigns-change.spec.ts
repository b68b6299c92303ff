import fc from 'fast-check';
import { compileFilters } from './filters.util';
import { lead } from './testing/auction.fixture';

/**
 * IN/NOT_IN on strings share per-field memo and id tables across all compiled filters; these
 * stories make sure sharing never changes an answer.
 */
describe('membership filters stay right as campaigns are added and leads change', () => {
  it('sees a value that a campaign compiled after the last lead started listing', () => {
    const florida = compileFilters([{ field: 'm_state', op: 'IN', value: ['FL'] }]);
    const georgiaLead = lead({ m_state: 'GA' });
    expect(florida(georgiaLead)).toBe(false);
    // "ga" becomes known only now, after the memo saw "GA" as unknown.
    const georgia = compileFilters([{ field: 'fields.m_state', op: 'IN', value: ['Ga', 'AL'] }]);
    expect(georgia(georgiaLead)).toBe(true);
    expect(georgia(lead({ m_state: 'al' }))).toBe(true);
    expect(florida(georgiaLead)).toBe(false);
    expect(compileFilters([{ field: 'm_state', op: 'NOT_IN', value: ['ga'] }])(georgiaLead)).toBe(false);
  });

  it('keeps short lists right among thousands of known values (sparse case)', () => {
    const all = Array.from({ length: 3000 }, (_, i) => String(10000 + i));
    const wide = compileFilters([{ field: 'm_zip', op: 'IN', value: all }]);
    const narrow = compileFilters([{ field: 'm_zip', op: 'IN', value: ['10005', '12999', '99999'] }]);
    expect(wide(lead({ m_zip: '12999' }))).toBe(true);
    expect(wide(lead({ m_zip: '13000' }))).toBe(false);
    expect(narrow(lead({ m_zip: '10005' }))).toBe(true);
    expect(narrow(lead({ m_zip: '12999' }))).toBe(true);
    expect(narrow(lead({ m_zip: '99999' }))).toBe(true);
    expect(narrow(lead({ m_zip: '10006' }))).toBe(false);
    expect(narrow(lead({ m_zip: 10005 }))).toBe(false);
  });

  it('agrees with a plain case-insensitive list scan for any lists and leads', () => {
    const word = fc.constantFrom('a', 'B', 'c', 'D', 'e', 'fl', 'FL', 'Ga', 'tx', 'NY', 'x1', 'Y2', '');
    fc.assert(
      fc.property(fc.array(fc.array(word, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }), fc.array(word, { maxLength: 12 }), (lists, values) => {
        const filters = lists.map((l) => compileFilters([{ field: 'm_prop', op: 'IN', value: l }]));
        for (const v of values) {
          for (let i = 0; i < lists.length; i++) {
            expect(filters[i](lead({ m_prop: v }))).toBe(lists[i].some((x) => x.toLowerCase() === v.toLowerCase()));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
