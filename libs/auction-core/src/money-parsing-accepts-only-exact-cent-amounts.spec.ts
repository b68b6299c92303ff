import Decimal from 'decimal.js';
import { formatMoney, isMoneyString, MoneyFormatError, parseMoney, ZERO } from './money.util';

describe('money parsing accepts only exact cent amounts that fit numeric(14,2)', () => {
  it.each([
    ['12.50', '12.5'],
    ['12.5', '12.5'],
    ['12', '12'],
    ['0', '0'],
    ['0.01', '0.01'],
    ['999999999999.99', '999999999999.99'],
  ])('parses %p', (input, expected) => {
    expect(parseMoney(input).toString()).toBe(expected);
    expect(isMoneyString(input)).toBe(true);
  });

  it('takes Decimals and whole JS numbers', () => {
    expect(parseMoney(new Decimal('7.25')).toFixed(2)).toBe('7.25');
    expect(parseMoney(42).toFixed(2)).toBe('42.00');
    expect(parseMoney(new Decimal('-0')).isNeg()).toBe(false);
  });

  it.each([
    ['12.345', 'at most 2 decimal places'],
    ['-1.00', 'must not be negative'],
    ['1234567890123', 'at most 12 integer digits'],
    ['1e3', 'plain decimal'],
    [' 12.50', 'plain decimal'],
    ['12.', 'plain decimal'],
    ['.5', 'plain decimal'],
    ['012.50', 'leading zeros'],
    ['NaN', 'plain decimal'],
    ['', 'plain decimal'],
  ])('rejects the string %p (%s)', (input, reason) => {
    expect(isMoneyString(input)).toBe(false);
    expect(() => parseMoney(input)).toThrow(MoneyFormatError);
    expect(() => parseMoney(input)).toThrow(`invalid money value ${JSON.stringify(input)}`);
    expect(() => parseMoney(input)).toThrow(reason);
  });

  it('never takes a fractional JS number: money is never a float', () => {
    expect(() => parseMoney(12.5)).toThrow('invalid money value 12.5: fractional JS numbers are not money');
    expect(() => parseMoney(-3)).toThrow('must not be negative');
    expect(() => parseMoney(Infinity)).toThrow('must be finite');
    expect(isMoneyString(12)).toBe(false);
  });

  it('rejects bad Decimals and non-money types', () => {
    expect(() => parseMoney(new Decimal('1.005'))).toThrow('invalid money value Decimal(1.005): at most 2 decimal places');
    expect(() => parseMoney(new Decimal(Infinity))).toThrow('must be finite');
    expect(() => parseMoney(new Decimal('-0.01'))).toThrow('must not be negative');
    expect(() => parseMoney(new Decimal('1e12'))).toThrow('at most 12 integer digits');
    expect(() => parseMoney(null)).toThrow('invalid money value null');
    expect(() => parseMoney({ amount: 1 })).toThrow('invalid money value object');
  });

  it('formats with exactly two places', () => {
    expect(formatMoney('12.5')).toBe('12.50');
    expect(formatMoney(ZERO)).toBe('0.00');
    expect(formatMoney(new Decimal('-0.001'))).toBe('0.00');
    expect(formatMoney('999999999999.99')).toBe('999999999999.99');
    expect(formatMoney('1.005')).toBe('1.00');
  });
});
