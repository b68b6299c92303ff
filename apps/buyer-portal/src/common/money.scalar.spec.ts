import Decimal from 'decimal.js';
import { Kind } from 'graphql';
import { MoneyScalar, SignedMoneyScalar } from './money.scalar';

describe('Money scalar', () => {
  it('serializes Decimal, numeric strings and whole numbers to two places', () => {
    expect(MoneyScalar.serialize(new Decimal('12.5'))).toBe('12.50');
    expect(MoneyScalar.serialize('7')).toBe('7.00');
    expect(MoneyScalar.serialize('-3.1')).toBe('-3.10');
    expect(MoneyScalar.serialize(new Decimal('0'))).toBe('0.00');
    expect(MoneyScalar.serialize(4)).toBe('4.00');
  });

  it('refuses to serialize a fractional JS number', () => {
    expect(() => MoneyScalar.serialize(0.1)).toThrow('Money cannot represent 0.1');
  });

  it('parses strings with at most two decimals into the canonical string', () => {
    expect(MoneyScalar.parseValue('12.5')).toBe('12.50');
    expect(MoneyScalar.parseValue('0')).toBe('0.00');
    expect(MoneyScalar.parseLiteral({ kind: Kind.STRING, value: '1234567.89' }, {})).toBe('1234567.89');
  });

  it('names the bad value when parsing fails', () => {
    expect(() => MoneyScalar.parseValue('12.345')).toThrow('invalid money value "12.345": at most 2 decimal places');
    expect(() => MoneyScalar.parseValue('-1.00')).toThrow('"-1.00"');
    expect(() => MoneyScalar.parseValue('1e3')).toThrow('"1e3"');
    expect(() => MoneyScalar.parseValue(12.5)).toThrow('Money must be a string like "12.50", got 12.5');
    expect(() => MoneyScalar.parseLiteral({ kind: Kind.FLOAT, value: '12.5' }, {})).toThrow('got 12.5');
  });
});

describe('SignedMoney scalar', () => {
  it('parses either sign into the canonical string, zero without a sign', () => {
    expect(SignedMoneyScalar.parseValue('12.5')).toBe('12.50');
    expect(SignedMoneyScalar.parseValue('-12.5')).toBe('-12.50');
    expect(SignedMoneyScalar.parseValue('-0.00')).toBe('0.00');
    expect(SignedMoneyScalar.parseLiteral({ kind: Kind.STRING, value: '-1234567.89' }, {})).toBe('-1234567.89');
    expect(SignedMoneyScalar.serialize(new Decimal('-3.1'))).toBe('-3.10');
  });

  it('keeps the Money spelling rules, naming the value as sent', () => {
    expect(() => SignedMoneyScalar.parseValue('-12.345')).toThrow('invalid money value "-12.345": at most 2 decimal places');
    expect(() => SignedMoneyScalar.parseValue('--1.00')).toThrow('invalid money value "--1.00"');
    expect(() => SignedMoneyScalar.parseValue('-')).toThrow('invalid money value "-"');
    expect(() => SignedMoneyScalar.parseValue(-12)).toThrow('Money must be a string');
    expect(() => SignedMoneyScalar.parseLiteral({ kind: Kind.INT, value: '-12' }, {})).toThrow('got -12');
  });
});
