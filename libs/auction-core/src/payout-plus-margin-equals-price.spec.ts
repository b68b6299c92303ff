import Decimal from 'decimal.js';
import fc from 'fast-check';
import { computePayout, formatMoney, isMoneyString } from './money.util';

const cents = (n: number) => `${Math.floor(n / 100)}.${String(n % 100).padStart(2, '0')}`;
const percent = (n: number) => new Decimal(n).dividedBy(10_000).toString();

describe('payout plus margin always equals the sale price', () => {
  it('holds for any price 0.00..99999.99 and percent 0..100 with up to 4 places', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999 }), fc.integer({ min: 0, max: 1_000_000 }), (c, p) => {
        const price = new Decimal(cents(c));
        const { payout, margin } = computePayout(price, { payoutPercent: percent(p) });
        expect(payout.plus(margin).eq(price)).toBe(true);
        expect(payout.decimalPlaces()).toBeLessThanOrEqual(2);
        expect(isMoneyString(formatMoney(payout))).toBe(true);
        expect(payout.lte(price) && margin.gte(0)).toBe(true);
        // The payout is the exact share rounded half-even, so never more than half a cent off.
        expect(payout.minus(price.times(percent(p)).dividedBy(100)).abs().lte('0.005')).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('splits concrete prices', () => {
    const r = computePayout(new Decimal('25.00'), { payoutPercent: '70' });
    expect([formatMoney(r.payout), formatMoney(r.margin)]).toEqual(['17.50', '7.50']);
    const odd = computePayout(new Decimal('10.25'), { payoutPercent: '50' }); // 5.125 → 5.12
    expect([odd.payout.toString(), odd.margin.toString()]).toEqual(['5.12', '5.13']);
    const fine = computePayout(new Decimal('33.33'), { payoutPercent: '33.3333' }); // 11.1099...
    expect([fine.payout.toString(), fine.margin.toString()]).toEqual(['11.11', '22.22']);
  });

  it('uses the fixed payout when set, even when it leaves a negative margin', () => {
    const r = computePayout(new Decimal('20.00'), { payoutPercent: '70', fixedPayout: '8.00' });
    expect([r.payout.toString(), r.margin.toString()]).toEqual(['8', '12']);
    const loss = computePayout(new Decimal('5.00'), { payoutPercent: '0', fixedPayout: new Decimal('6.50') });
    expect(loss.margin.toString()).toBe('-1.5');
    expect(loss.payout.plus(loss.margin).toString()).toBe('5');
  });

  it('ignores a null fixed payout and refuses nonsense', () => {
    expect(computePayout(new Decimal('10'), { payoutPercent: 40, fixedPayout: null }).payout.toString()).toBe('4');
    expect(() => computePayout(new Decimal('10'), { payoutPercent: '-1' })).toThrow('payoutPercent');
    expect(() => computePayout(new Decimal('10'), { payoutPercent: '10', fixedPayout: '1.234' })).toThrow('at most 2 decimal places');
  });
});
