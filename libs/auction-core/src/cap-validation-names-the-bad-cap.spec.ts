import Decimal from 'decimal.js';
import { validateCaps } from './caps.util';

describe('cap validation names the bad cap', () => {
  it('accepts caps with a known period and a limit', () => {
    expect(
      validateCaps([
        { period: 'DAY', maxLeads: 100 },
        { period: 'MONTH', maxSpend: '5000.00' },
        { period: 'TOTAL', maxLeads: 0, maxSpend: new Decimal('12.5') },
      ]),
    ).toEqual([]);
  });

  it('rejects duplicates, unknown periods and caps without a limit', () => {
    expect(
      validateCaps([
        { period: 'DAY', maxLeads: 10 },
        { period: 'DAY', maxLeads: 20 },
        { period: 'YEAR', maxLeads: 1 },
        { period: 'WEEK' },
      ]),
    ).toEqual([
      'caps[1].period: duplicate period DAY',
      'caps[2].period: unknown period "YEAR" (use HOUR, DAY, WEEK, MONTH, TOTAL)',
      'caps[3]: needs maxLeads or maxSpend',
    ]);
  });

  it('rejects bad limits', () => {
    expect(
      validateCaps([
        { period: 'HOUR', maxLeads: 1.5 },
        { period: 'DAY', maxLeads: -1 },
        { period: 'WEEK', maxSpend: '12.345' },
        { period: 'MONTH', maxSpend: 12.5 },
      ]),
    ).toEqual([
      'caps[0].maxLeads: 1.5 is not a whole number >= 0',
      'caps[1].maxLeads: -1 is not a whole number >= 0',
      'caps[2].maxSpend: "12.345" is not a valid money amount like "500.00"',
      'caps[3].maxSpend: 12.5 is not a valid money amount like "500.00"',
    ]);
    expect(validateCaps(['DAY:10'])).toEqual(['caps[0]: must be an object with period and maxLeads and/or maxSpend']);
    expect(validateCaps('DAY' as unknown as unknown[])).toEqual(['caps: must be an array']);
  });
});
