import { Client } from 'pg';
import { FilterRule, Schedule, validateCaps, validateFilterRules, validateSchedule } from '@leadex/auction-core';
import { generateSupplierApiKey } from '@leadex/contracts';
import { ensureDatabase, migrate } from '@leadex/persistence';
import { hashPassword } from '../../apps/buyer-portal/src/auth/password.util';
import { DemoLiveBuyer } from './demo-buyers';

/**
 * The demo's database and market, seeded through SQL the way the portal would store it (filters,
 * caps and schedules validated by libs/auction-core first): an admin, two suppliers, six buyers
 * with a portal user each — four bidding live through the mock buyers' endpoints, two with
 * fixed-price campaigns that show filters, caps and schedules.
 */

export const DEMO_VERTICAL = 'auto-insurance';
export const ADMIN_EMAIL = 'admin@leadex.demo';
export const ADMIN_PASSWORD = 'demo-admin-password';
export const BUYER_PASSWORD = 'demo-buyer-password';

export interface DemoSupplier {
  id: string;
  name: string;
  apiKey: string;
  payoutPercent: string;
}

export interface DemoBuyer {
  id: string;
  name: string;
  email: string;
  /** A, B, C, D for the live buyers. */
  letter: string | null;
}

export interface DemoCampaign {
  id: string;
  buyer: string;
  name: string;
  /** "live (A)" or "fixed 15.00". */
  pricing: string;
  notes: string;
}

export interface DemoMarket {
  suppliers: DemoSupplier[];
  buyers: DemoBuyer[];
  campaigns: DemoCampaign[];
}

const ALL_DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

/** Only databases named leadex_demo* are ever dropped. */
export function isDemoDatabase(databaseUrl: string): boolean {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  return /^leadex_demo[a-z0-9_]*$/.test(name);
}

/** Drops (FORCE) and recreates the demo database, then applies the real migrations; returns their names. */
export async function recreateDemoDatabase(databaseUrl: string): Promise<string[]> {
  if (!isDemoDatabase(databaseUrl)) throw new Error('refusing to drop a database not named leadex_demo*');
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
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
  return migrate(databaseUrl);
}

/** A cap as stored (money as a string), validated by validateCaps. */
interface StoredCap {
  period: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH' | 'TOTAL';
  maxLeads?: number;
  maxSpend?: string;
}

interface CampaignSeed {
  name: string;
  bid: string | null;
  live?: DemoLiveBuyer;
  filters?: FilterRule[];
  caps?: StoredCap[];
  schedule?: Schedule | null;
  priority?: number;
  /** Sold leads reach the buyer's CRM by webhook (the demo's own receiver). */
  deliversToCrm?: boolean;
  notes: string;
}

interface BuyerSeed {
  name: string;
  slug: string;
  creditLimit: string | null;
  live?: DemoLiveBuyer;
  campaigns: CampaignSeed[];
}

function buyerSeeds(live: DemoLiveBuyer[]): BuyerSeed[] {
  const byLetter = (l: string) => {
    const b = live.find((x) => x.letter === l);
    if (!b) throw new Error(`demo buyer ${l} is missing`);
    return b;
  };
  const [a, b, c, d] = ['A', 'B', 'C', 'D'].map(byLetter);
  return [
    {
      name: a.name, slug: 'acme', creditLimit: null, live: a,
      campaigns: [{ name: 'Acme live bids', bid: null, live: a, notes: 'every lead' }],
    },
    {
      name: b.name, slug: 'beacon', creditLimit: '50000.00', live: b,
      campaigns: [
        {
          name: 'Beacon live, insured drivers 21–75', bid: null, live: b,
          filters: [{ field: 'age', op: 'BETWEEN', value: [21, 75] }, { field: 'currently_insured', op: 'EQ', value: true }],
          notes: 'age 21–75, currently insured',
        },
      ],
    },
    {
      name: c.name, slug: 'cardinal', creditLimit: null, live: c,
      campaigns: [
        {
          name: 'Cardinal live (XML)', bid: null, live: c,
          filters: [{ field: 'credit_rating', op: 'IN', value: ['excellent', 'good', 'fair'] }],
          caps: [{ period: 'HOUR', maxLeads: 2000 }],
          notes: 'credit excellent/good/fair; 2,000 leads an hour',
        },
      ],
    },
    {
      name: d.name, slug: 'driftwood', creditLimit: null, live: d,
      campaigns: [{ name: 'Driftwood live', bid: null, live: d, caps: [{ period: 'DAY', maxSpend: '25000.00' }], notes: '$25,000 a day' }],
    },
    {
      name: 'Evergreen Insurance Partners', slug: 'evergreen', creditLimit: null,
      campaigns: [
        {
          name: 'Evergreen prime homeowners', bid: '15.00',
          filters: [
            { field: 'state', op: 'IN', value: ['FL', 'TX', 'CA', 'NY', 'GA', 'AZ', 'NC', 'IL'] },
            { field: 'credit_rating', op: 'IN', value: ['excellent', 'good'] },
            { field: 'homeowner', op: 'EQ', value: true },
          ],
          caps: [{ period: 'HOUR', maxLeads: 120 }, { period: 'DAY', maxLeads: 1000 }],
          schedule: { timezone: 'America/New_York', windows: [{ days: [...ALL_DAYS], start: '00:00', end: '24:00' }] },
          notes: '8 states, good credit, homeowners; 120/hour, 1,000/day; every day (New York time)',
        },
        {
          name: 'Evergreen business hours', bid: '11.00',
          filters: [{ field: 'currently_insured', op: 'EQ', value: true }, { field: 'vehicle_count', op: 'GTE', value: 2 }],
          caps: [{ period: 'DAY', maxLeads: 300 }],
          schedule: { timezone: 'America/Chicago', windows: [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: '08:00', end: '18:00' }] },
          notes: 'insured, 2+ vehicles; 300/day; Mon–Fri 08:00–18:00 Chicago time',
        },
      ],
    },
    {
      name: 'Fulcrum Media', slug: 'fulcrum', creditLimit: '20000.00',
      campaigns: [
        {
          name: 'Fulcrum young drivers', bid: '9.00',
          filters: [{ field: 'age', op: 'BETWEEN', value: [18, 30] }],
          caps: [{ period: 'DAY', maxLeads: 400 }],
          schedule: { timezone: 'America/Los_Angeles', windows: [{ days: [...ALL_DAYS], start: '00:00', end: '24:00' }] },
          notes: 'age 18–30; 400/day; delivered to its CRM by webhook',
          priority: 1,
          deliversToCrm: true,
        },
        {
          name: 'Fulcrum catch-all', bid: '4.00', caps: [{ period: 'HOUR', maxSpend: '2000.00' }],
          notes: 'every lead; $2,000 an hour; delivered to its CRM by webhook', deliversToCrm: true,
        },
      ],
    },
  ];
}

/** Seeds the demo market in one transaction; the database must be freshly migrated. */
export async function seedDemoMarket(databaseUrl: string, live: DemoLiveBuyer[], crmUrl: string): Promise<DemoMarket> {
  const seeds = buyerSeeds(live);
  // argon2 hashes are slow on purpose: compute them before the transaction
  const adminHash = await hashPassword(ADMIN_PASSWORD);
  const buyerHash = await hashPassword(BUYER_PASSWORD);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query('BEGIN');
    await db.query(`INSERT INTO users (email, password_hash, role) VALUES ($1, $2, 'ADMIN')`, [ADMIN_EMAIL, adminHash]);
    await db.query(`INSERT INTO users (email, password_hash, role) VALUES ($1, $2, 'FINANCE')`, ['finance@leadex.demo', buyerHash]);

    const suppliers: DemoSupplier[] = [];
    for (const [name, payoutPercent] of [['Sunrise Media', '70'], ['QuoteFunnel Network', '80']]) {
      const key = generateSupplierApiKey();
      const { rows } = await db.query(
        `INSERT INTO suppliers (name, api_key_hash, api_key_prefix, payout_percent) VALUES ($1, $2, $3, $4) RETURNING id`,
        [name, key.hash, key.prefix, payoutPercent],
      );
      suppliers.push({ id: rows[0].id, name, apiKey: key.apiKey, payoutPercent });
    }

    const buyers: DemoBuyer[] = [];
    const campaigns: DemoCampaign[] = [];
    for (const seed of seeds) {
      const { rows } = await db.query(`INSERT INTO buyers (name, credit_limit, balance) VALUES ($1, $2, 0) RETURNING id`, [seed.name, seed.creditLimit]);
      const buyerId: string = rows[0].id;
      const email = `${seed.slug}@buyers.leadex.demo`;
      await db.query(`INSERT INTO users (email, password_hash, role, buyer_id) VALUES ($1, $2, 'BUYER', $3)`, [email, buyerHash, buyerId]);
      buyers.push({ id: buyerId, name: seed.name, email, letter: seed.live?.letter ?? null });
      for (const c of seed.campaigns) {
        const problems = [...validateFilterRules(c.filters ?? []), ...validateCaps(c.caps ?? []), ...(c.schedule ? validateSchedule(c.schedule) : [])];
        if (problems.length) throw new Error(`demo campaign "${c.name}" is invalid: ${problems.join('; ')}`);
        const { rows: inserted } = await db.query(
          `INSERT INTO campaigns (buyer_id, name, vertical_key, bid, filters, caps, schedule, status, priority, ping_url, post_url, timeout_ms, template, delivery)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'ACTIVE', $8, $9, $10, $11, $12, $13) RETURNING id`,
          [
            buyerId, c.name, DEMO_VERTICAL, c.bid, JSON.stringify(c.filters ?? []), JSON.stringify(c.caps ?? []),
            c.schedule ? JSON.stringify(c.schedule) : null, c.priority ?? 0,
            c.live?.server.pingUrl ?? null, c.live?.server.postUrl ?? null, c.live?.timeoutMs ?? null,
            c.live?.template ? JSON.stringify(c.live.template) : null,
            JSON.stringify(c.deliversToCrm ? { method: 'WEBHOOK', url: crmUrl, headers: { Authorization: 'Bearer demo-crm-key' } } : { method: 'NONE' }),
          ],
        );
        campaigns.push({
          id: inserted[0].id,
          buyer: seed.name,
          name: c.name,
          pricing: c.live ? `live (${c.live.letter}), timeout ${c.live.timeoutMs} ms` : `fixed ${c.bid}`,
          notes: c.notes,
        });
      }
    }
    await db.query('COMMIT');
    return { suppliers, buyers, campaigns };
  } catch (e) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    await db.end();
  }
}
