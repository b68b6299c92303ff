import Decimal from 'decimal.js';

/**
 * Private constructor for exact intermediate arithmetic: the default precision (20 significant
 * digits) could round a numeric(14,2) price × a 4-place percent before our own half-even rounding.
 * A clone keeps this config away from every other user of decimal.js.
 */
const Exact = Decimal.clone({ precision: 64, rounding: Decimal.ROUND_HALF_EVEN });

/** Shared zero; Decimal is immutable, so one instance is safe to hand out. */
export const ZERO = new Decimal(0);

/** numeric(14,2): at most 12 integer digits, at most 2 places. */
const MAX_INTEGER_DIGITS = 12;
const MONEY_LIMIT = new Decimal(10).pow(MAX_INTEGER_DIGITS);
/** No sign, no exponent, no whitespace, no leading zeros: money on the wire has one spelling. */
const MONEY_RE = /^(?:0|[1-9]\d{0,11})(?:\.\d{1,2})?$/;

/** A value that is not a valid amount of money; the message names the value and the reason. */
export class MoneyFormatError extends Error {
  constructor(
    readonly value: unknown,
    reason: string,
  ) {
    super(`invalid money value ${describe(value)}: ${reason}`);
    this.name = 'MoneyFormatError';
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Decimal.isDecimal(value)) return `Decimal(${(value as Decimal).toString()})`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return value === null ? 'null' : typeof value;
}

/** The reason the input is not money, or null when it is. Shared by parse and the no-throw check. */
function moneyProblem(input: unknown): string | null {
  if (typeof input === 'string') {
    if (MONEY_RE.test(input)) return null;
    const unsigned = input.startsWith('-') ? input.slice(1) : input;
    if (/^\d+(?:\.\d+)?$/.test(unsigned)) {
      if (unsigned !== input) return 'must not be negative';
      const [int, frac = ''] = unsigned.split('.');
      if (frac.length > 2) return 'at most 2 decimal places';
      if (int.length > MAX_INTEGER_DIGITS) return `at most ${MAX_INTEGER_DIGITS} integer digits`;
      return 'no leading zeros';
    }
    return 'expected a plain decimal like "12.50"';
  }
  if (typeof input === 'number') {
    // A fractional JS number has already lost exactness; only whole numbers are trusted.
    if (!Number.isFinite(input)) return 'must be finite';
    if (!Number.isInteger(input)) return 'fractional JS numbers are not money; pass a string like "12.50"';
    if (input < 0) return 'must not be negative';
    if (input >= 10 ** MAX_INTEGER_DIGITS) return `at most ${MAX_INTEGER_DIGITS} integer digits`;
    return null;
  }
  if (Decimal.isDecimal(input)) {
    const d = input as Decimal;
    if (!d.isFinite()) return 'must be finite';
    if (d.isNeg() && !d.isZero()) return 'must not be negative';
    if (d.decimalPlaces() > 2) return 'at most 2 decimal places';
    if (d.gte(MONEY_LIMIT)) return `at most ${MAX_INTEGER_DIGITS} integer digits`;
    return null;
  }
  return 'expected a string like "12.50" or a Decimal';
}

/**
 * Exact three-way comparison of two Decimals (-1, 0, 1; NaN if either is NaN), same result as
 * a.cmp(b) but without the Decimal that cmp allocates for its argument: the auction compares
 * prices thousands of times per lead. Reads only Decimal's public readonly d/e/s fields.
 */
export function compareMoney(a: Decimal, b: Decimal): number {
  const ad = a.d;
  const bd = b.d;
  const as = a.s;
  const bs = b.s;
  const negative = as < 0;
  // NaN or ±Infinity: digits are null.
  if (!ad || !bd) {
    if (!as || !bs) return NaN;
    if (as !== bs) return as;
    return ad === bd ? 0 : !ad !== negative ? 1 : -1;
  }
  if (!ad[0] || !bd[0]) return ad[0] ? as : bd[0] ? -bs : 0;
  if (as !== bs) return as;
  if (a.e !== b.e) return a.e > b.e !== negative ? 1 : -1;
  const n = ad.length < bd.length ? ad.length : bd.length;
  for (let i = 0; i < n; i++) {
    if (ad[i] !== bd[i]) return ad[i] > bd[i] !== negative ? 1 : -1;
  }
  return ad.length === bd.length ? 0 : ad.length > bd.length !== negative ? 1 : -1;
}

/** Parses money as stored (numeric(14,2)); throws MoneyFormatError on anything else. */
export function parseMoney(input: unknown): Decimal {
  const problem = moneyProblem(input);
  if (problem !== null) throw new MoneyFormatError(input, problem);
  if (Decimal.isDecimal(input)) {
    const d = input as Decimal;
    // Normalise -0 and instances of other Decimal clones to a plain Decimal.
    return d.isZero() ? ZERO : new Decimal(d);
  }
  return new Decimal(input as string | number);
}

/** Same rule as parseMoney, as a boolean. */
export function isMoneyString(s: unknown): boolean {
  return typeof s === 'string' && moneyProblem(s) === null;
}

/** Rounds to cents with banker's rounding (half to even), without touching global Decimal config. */
export function roundHalfEven(d: Decimal.Value): Decimal {
  const rounded = new Exact(d).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
  return rounded.isZero() ? ZERO : new Decimal(rounded);
}

/** Exactly two places, e.g. "12.50"; never "-0.00". */
export function formatMoney(d: Decimal.Value): string {
  return roundHalfEven(d).toFixed(2);
}

export interface PayoutTerms {
  /** Share of the sale price paid to the supplier, 0–100. */
  payoutPercent: Decimal.Value;
  /** Flat payout per lead; when set it replaces the percent. */
  fixedPayout?: Decimal.Value | null;
}

export interface PayoutSplit {
  payout: Decimal;
  margin: Decimal;
}

/**
 * Splits a sale price into the supplier payout and the exchange margin.
 * The margin is derived by exact subtraction so payout + margin always equals price to the cent.
 * A fixed payout above the price yields a negative margin: that is a pricing decision, not ours.
 */
export function computePayout(price: Decimal, terms: PayoutTerms): PayoutSplit {
  const exactPrice = new Exact(price);
  if (!exactPrice.isFinite()) throw new MoneyFormatError(price, 'price must be finite');
  let payout: Decimal;
  if (terms.fixedPayout !== null && terms.fixedPayout !== undefined) {
    payout = parseMoney(terms.fixedPayout);
  } else {
    const percent = new Exact(terms.payoutPercent);
    if (!percent.isFinite() || percent.isNeg()) {
      throw new RangeError(`payoutPercent must be a finite number >= 0, got ${String(terms.payoutPercent)}`);
    }
    payout = roundHalfEven(exactPrice.times(percent).dividedBy(100));
  }
  const margin = new Decimal(exactPrice.minus(payout));
  return { payout, margin: margin.isZero() ? ZERO : margin };
}
