import Decimal from 'decimal.js';
import { GraphQLError, GraphQLScalarType, Kind, ValueNode } from 'graphql';
import { formatMoney, MoneyFormatError, parseMoney } from '@leadex/auction-core';

/** What a Money argument becomes once parsed: the canonical two-place string, e.g. "12.50". */
export type MoneyString = string;

function parseWireMoney(value: unknown, node?: ValueNode): MoneyString {
  if (typeof value !== 'string') {
    throw new GraphQLError(`Money must be a string like "12.50", got ${JSON.stringify(value) ?? typeof value}`, { nodes: node });
  }
  try {
    return formatMoney(parseMoney(value));
  } catch (e) {
    if (e instanceof MoneyFormatError) throw new GraphQLError(e.message, { nodes: node });
    throw e;
  }
}

/**
 * Exact money: a decimal string with exactly two places on the wire ("12.50"), never a JSON number.
 * Input accepts only non-negative strings with at most 2 decimals; it is handed to resolvers as the
 * canonical string (class-transformer cannot carry Decimal instances through the ValidationPipe),
 * and services turn it into a Decimal with parseMoney.
 */
export const MoneyScalar = new GraphQLScalarType({
  name: 'Money',
  description: 'An exact amount of money: a decimal string with two places, e.g. "12.50". Never a JSON number.',
  serialize(value: unknown): string {
    if (Decimal.isDecimal(value)) return formatMoney(value as Decimal);
    if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return formatMoney(value);
    if (typeof value === 'number' && Number.isSafeInteger(value)) return formatMoney(value);
    throw new GraphQLError(`Money cannot represent ${JSON.stringify(value) ?? typeof value}`);
  },
  parseValue: (value) => parseWireMoney(value),
  parseLiteral(ast: ValueNode): MoneyString {
    if (ast.kind !== Kind.STRING) {
      const shown = 'value' in ast ? String((ast as { value: unknown }).value) : ast.kind;
      throw new GraphQLError(`Money must be a string like "12.50", got ${shown}`, { nodes: ast });
    }
    return parseWireMoney(ast.value, ast);
  },
});

/** What a SignedMoney argument becomes once parsed: the canonical two-place string, e.g. "-12.50". */
export type SignedMoneyString = string;

function parseWireSignedMoney(value: unknown, node?: ValueNode): SignedMoneyString {
  if (typeof value !== 'string' || !value.startsWith('-')) return parseWireMoney(value, node);
  try {
    const magnitude = formatMoney(parseMoney(value.slice(1)));
    return magnitude === '0.00' ? magnitude : `-${magnitude}`;
  } catch (e) {
    if (e instanceof MoneyFormatError) {
      // the reason, named against the value as sent (the sign included)
      const reason = e.message.slice(`invalid money value ${JSON.stringify(value.slice(1))}: `.length);
      throw new GraphQLError(`invalid money value ${JSON.stringify(value)}: ${reason}`, { nodes: node });
    }
    throw e;
  }
}

/**
 * Money that may be negative ("-12.50"), for the rare argument whose sign carries meaning (an
 * adjustment: credit or debit). Same spelling rules as Money otherwise; a separate scalar so that
 * every Money input keeps refusing negatives at the edge.
 */
export const SignedMoneyScalar = new GraphQLScalarType({
  name: 'SignedMoney',
  description: 'An exact, signed amount of money: a decimal string with two places, e.g. "12.50" or "-12.50". Never a JSON number.',
  serialize: (value: unknown) => MoneyScalar.serialize(value),
  parseValue: (value) => parseWireSignedMoney(value),
  parseLiteral(ast: ValueNode): SignedMoneyString {
    if (ast.kind !== Kind.STRING) return MoneyScalar.parseLiteral(ast);
    return parseWireSignedMoney(ast.value, ast);
  },
});
