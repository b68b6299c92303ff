import Decimal from 'decimal.js';
import fc from 'fast-check';
import { compareMoney } from './money.util';

describe('compareMoney orders exactly like Decimal.cmp, without allocating', () => {
  const decimal = fc.oneof(
    fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }).chain((n) =>
      fc.integer({ min: 0, max: 20 }).map((places) => new Decimal(`${n}e-${places}`)),
    ),
    fc.constantFrom(new Decimal(0), new Decimal('-0'), new Decimal('0.00'), new Decimal('1e-30'), new Decimal('1e30')),
    fc.constantFrom(new Decimal(Infinity), new Decimal(-Infinity)),
  );

  it('matches cmp for any pair', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        expect(compareMoney(a, b)).toBe(a.cmp(b));
      }),
      { numRuns: 5000 },
    );
  });

  it('compares concrete amounts', () => {
    expect(compareMoney(new Decimal('10.00'), new Decimal('10'))).toBe(0);
    expect(compareMoney(new Decimal('10.01'), new Decimal('10.1'))).toBe(-1);
    expect(compareMoney(new Decimal('999999999999.99'), new Decimal('999999999999.98'))).toBe(1);
    expect(compareMoney(new Decimal('-0.01'), new Decimal('0'))).toBe(-1);
    expect(compareMoney(new Decimal(NaN), new Decimal(1))).toBeNaN();
  });
});
