import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Unique, valid auto-insurance leads for the load bench: every call gives a new NANP phone and a
 * new email, so no lead is a duplicate of another (within a run; the bench database is recreated
 * per run). The non-PII fields vary so the campaigns' filters see a realistic spread.
 */

export const STATES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY',
  'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND',
  'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
] as const;
export const CREDIT_RATINGS = ['excellent', 'good', 'fair', 'poor'] as const;

/** Real area codes; each exchange 200–999 under them is a valid number for libphonenumber's full metadata. */
const AREA_CODES = [205, 212, 214, 305, 312, 404, 415, 503, 602, 617, 702, 713, 720, 786, 813, 917, 952, 971];

const FIRST = ['Ana', 'Ben', 'Carla', 'Dev', 'Erin', 'Femi', 'Gus', 'Hana', 'Ivan', 'June'];
const LAST = ['Diaz', 'Okafor', 'Nguyen', 'Smith', 'Kowalski', 'Haddad', 'Tanaka', 'Silva', 'Brown', 'Rossi'];
const INSURERS = ['Geico', 'Progressive', 'State Farm', 'Allstate', 'USAA'];

/** mulberry32: a tiny seedable PRNG, so two runs send the same field mix. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LeadGeneratorOptions {
  /** Makes emails unique across runs too (the phone space restarts each run). */
  runId: string;
  seed?: number;
  /** Also send an external_id, which adds the idempotency claim to each request. */
  externalId?: boolean;
}

export class LeadGenerator {
  private n = 0;
  private readonly rnd: () => number;
  /** "AAAEEE" prefixes (area code + exchange) checked valid once, so each lead needs no phone parsing. */
  private readonly prefixes: string[];

  constructor(private readonly opts: LeadGeneratorOptions) {
    this.rnd = prng(opts.seed ?? 20260701);
    const prefixes: string[] = [];
    for (const area of AREA_CODES) {
      for (let exchange = 200; exchange <= 999; exchange++) {
        if (exchange % 100 === 11 || exchange === 555) continue; // N11 service codes, 555 fiction
        const phone = parsePhoneNumberFromString(`+1${area}${exchange}4567`, 'US');
        if (phone?.isValid()) prefixes.push(`${area}${exchange}`);
      }
    }
    if (!prefixes.length) throw new Error('no valid phone prefixes (libphonenumber metadata changed?)');
    this.prefixes = prefixes;
  }

  /** How many leads were generated so far. */
  get count(): number {
    return this.n;
  }

  /** The n-th unique phone: the prefix changes fastest, so consecutive leads differ in area code. */
  private phone(n: number): string {
    const prefix = this.prefixes[n % this.prefixes.length];
    const line = Math.floor(n / this.prefixes.length) % 10_000;
    return `+1${prefix}${String(line).padStart(4, '0')}`;
  }

  next(): Record<string, unknown> {
    const n = this.n++;
    if (n >= this.prefixes.length * 10_000) throw new Error('phone space exhausted');
    const r = this.rnd;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
    const first = pick(FIRST);
    const fields: Record<string, unknown> = {
      first_name: first,
      last_name: pick(LAST),
      email: `${first.toLowerCase()}.${this.opts.runId}.${n}@example.com`,
      phone: this.phone(n),
      zip: String(Math.floor(r() * 100_000)).padStart(5, '0'),
      state: pick(STATES),
      age: 18 + Math.floor(r() * 68),
      credit_rating: pick(CREDIT_RATINGS),
      homeowner: r() < 0.55,
      currently_insured: r() < 0.8,
      vehicle_count: 1 + Math.floor(r() * 3),
    };
    if (r() < 0.5) fields.current_insurer = pick(INSURERS);
    const lead: Record<string, unknown> = {
      vertical: 'auto-insurance',
      source: { sub_id: `sub-${1 + Math.floor(r() * 20)}`, ip: '203.0.113.9', user_agent: 'leadex-bench' },
      consent: { tcpa: true, text: 'By clicking Get Quotes I agree to be contacted by insurance partners.' },
      fields,
    };
    if (this.opts.externalId) lead.external_id = `bench-${this.opts.runId}-${n}`;
    return lead;
  }
}
