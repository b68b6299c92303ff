import Decimal from 'decimal.js';
import { roundHalfEven } from './money.util';

describe("money rounds half to even (banker's rounding) to the cent", () => {
  it.each([
    ['10.125', '10.12'],
    ['10.135', '10.14'],
    ['8.755', '8.76'],
    ['8.765', '8.76'],
    ['0.005', '0'],
    ['0.015', '0.02'],
    ['10.1251', '10.13'],
    ['10.1249', '10.12'],
    ['2.5', '2.5'],
    ['-1.005', '-1'],
  ])('%s → %s', (input, expected) => {
    expect(roundHalfEven(input).toString()).toBe(expected);
  });

  it('takes Decimals and numbers as decimal.js reads them', () => {
    expect(roundHalfEven(new Decimal('3.445')).toFixed(2)).toBe('3.44');
    expect(roundHalfEven(3.455).toFixed(2)).toBe('3.46');
  });

  it('leaves the global Decimal configuration alone', () => {
    expect(Decimal.rounding).toBe(Decimal.ROUND_HALF_UP);
    expect(Decimal.precision).toBe(20);
    expect(new Decimal('10.125').toDecimalPlaces(2).toString()).toBe('10.13');
  });

  it('rounds long values on all their digits, not on a 20-digit approximation', () => {
    // 21 significant digits: a precision-20 half-up pass would first make this ...345 and then ...34.
    expect(roundHalfEven('123456789012.345000001').toString()).toBe('123456789012.35');
    expect(roundHalfEven('123456789012.345').toString()).toBe('123456789012.34');
  });
});
