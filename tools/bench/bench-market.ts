import { Client } from 'pg';
import { Cap, FilterRule, Schedule, validateCaps, validateFilterRules, validateSchedule } from '@leadex/auction-core';
import { generateSupplierApiKey } from '@leadex/contracts';
import { ensureDatabase, migrate } from '@leadex/persistence';
import { CREDIT_RATINGS, prng, STATES } from './lead-generator';

/**
 * The bench's own database and market: one supplier, 20 buyers without credit limits (so the bench
 * measures the sale path, not buyers running dry) and 100 active fixed-price auto-insurance
 * campaigns in ten bid tiers. High tiers target narrowly, low tiers broadly, and the lowest tier
 * takes everything, so nearly every lead sells and the winners spread over ten campaigns of ten
 * different buyers (equal bids rotate to the least recent winner).
 */

export const BENCH_VERTICAL = 'auto-insurance';
/** Highest first; ten campaigns per tier. */
export const BID_TIERS = ['40.00', '36.50', '32.00', '28.00', '24.50', '20.00', '16.00', '12.50', '8.00', '5.00'];
const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'Europe/London', 'Asia/Tokyo'];
const ALWAYS_OPEN = (timezone: string): Schedule => ({
  timezone,
  windows: [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], start: '00:00', end: '24:00' }],
});

export interface BenchMarket {
  supplierId: string;
  apiKey: string;
  buyerIds: string[];
  campaigns: { id: string; bid: string; rules: number; caps: number; schedule: boolean }[];
}

/** Drops (FORCE) and recreates the database, then applies the real migrations. */
export async function resetDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (!/^leadex_bench[a-z0-9_]*$/.test(name)) throw new Error(`refusing to drop "${name}": the bench only drops leadex_bench*`);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
}

function campaignRules(tier: number, rnd: () => number): FilterRule[] {
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
  const sample = <T>(xs: readonly T[], n: number): T[] => {
    const copy = [...xs];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, n);
  };
  // How many rules, and how wide: tier 0 (highest bid) is the pickiest, tier 9 takes every lead.
  const ruleCount = tier <= 2 ? int(2, 3) : tier <= 5 ? int(1, 2) : tier <= 8 ? int(0, 1) : 0;
  const kinds = sample(['state', 'age', 'credit', 'homeowner', 'zip'] as const, ruleCount);
  const width = 0.35 + tier * 0.06; // share of the value space a rule accepts
  return kinds.map((kind): FilterRule => {
    switch (kind) {
      case 'state':
        return { field: 'state', op: 'IN', value: sample(STATES, Math.max(5, Math.round(STATES.length * width))) };
      case 'age': {
        const span = Math.round(68 * width);
        const low = int(18, 85 - span);
        return { field: 'age', op: 'BETWEEN', value: [low, low + span] };
      }
      case 'credit':
        return { field: 'credit_rating', op: 'IN', value: sample(CREDIT_RATINGS, Math.max(2, Math.round(4 * width))) };
      case 'homeowner':
        return { field: 'homeowner', op: 'EQ', value: rnd() < 0.6 };
      case 'zip':
        return { field: 'zip', op: 'STARTS_WITH', value: sample('0123456789'.split(''), Math.max(3, Math.round(10 * width))) };
    }
  });
}

/** Seeds the market through SQL, the way the portal would store it (filters, caps and schedules validated first). */
export async function seedMarket(databaseUrl: string, opts: { buyers?: number; campaigns?: number; seed?: number } = {}): Promise<BenchMarket> {
  const buyerCount = opts.buyers ?? 20;
  const campaignCount = opts.campaigns ?? 100;
  const rnd = prng(opts.seed ?? 7);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('BEGIN');
    const key = generateSupplierApiKey();
    const supplier = await db.query(
      `INSERT INTO suppliers (name, api_key_hash, api_key_prefix, payout_percent) VALUES ('Bench supplier', $1, $2, 70) RETURNING id`,
      [key.hash, key.prefix],
    );
    const buyerIds: string[] = [];
    for (let b = 0; b < buyerCount; b++) {
      const { rows } = await db.query(`INSERT INTO buyers (name, credit_limit, balance) VALUES ($1, NULL, 0) RETURNING id`, [
        `Bench buyer ${String(b + 1).padStart(2, '0')}`,
      ]);
      buyerIds.push(rows[0].id);
    }
    const campaigns: BenchMarket['campaigns'] = [];
    for (let i = 0; i < campaignCount; i++) {
      const tier = Math.min(BID_TIERS.length - 1, Math.floor((i * BID_TIERS.length) / campaignCount));
      const rules = campaignRules(tier, rnd);
      const caps: Cap[] = [];
      if (i % 5 === 0 || i % 5 === 2) caps.push({ period: 'DAY', maxLeads: 10_000_000 });
      if (i % 10 === 7) caps.push({ period: 'WEEK', maxLeads: 10_000_000 });
      const schedule = i % 3 === 0 ? ALWAYS_OPEN(ZONES[(i / 3) % ZONES.length]) : null;
      const problems = [...validateFilterRules(rules), ...validateCaps(caps), ...(schedule ? validateSchedule(schedule) : [])];
      if (problems.length) throw new Error(`bench campaign ${i} is invalid: ${problems.join('; ')}`);
      const { rows } = await db.query(
        `INSERT INTO campaigns (buyer_id, name, vertical_key, bid, filters, caps, schedule, status, priority)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'ACTIVE', $8) RETURNING id`,
        [
          buyerIds[i % buyerCount], `Bench campaign ${String(i + 1).padStart(3, '0')} (tier ${tier})`, BENCH_VERTICAL, BID_TIERS[tier],
          JSON.stringify(rules), JSON.stringify(caps), schedule ? JSON.stringify(schedule) : null, i % 4,
        ],
      );
      campaigns.push({ id: rows[0].id, bid: BID_TIERS[tier], rules: rules.length, caps: caps.length, schedule: !!schedule });
    }
    await db.query('COMMIT');
    return { supplierId: supplier.rows[0].id, apiKey: key.apiKey, buyerIds, campaigns };
  } catch (e) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    await db.end();
  }
}
