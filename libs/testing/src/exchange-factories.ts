import { randomBytes, randomInt } from 'crypto';
import { Client } from 'pg';
import { generateSupplierApiKey } from '@leadex/contracts';

/** A direct connection to the run's test database (set up by test/global-setup.ts). */
export async function connectTestDb(): Promise<Client> {
  const db = new Client({ connectionString: process.env.LEADEX_TEST_DATABASE_URL ?? process.env.DATABASE_URL });
  await db.connect();
  return db;
}

export const uniq = (prefix = 't') => `${prefix}-${randomBytes(5).toString('hex')}`;

/** A vertical of its own for a test (a copy of auto-insurance), so other suites' campaigns never bid on its leads. */
export async function createTestVertical(
  db: Client,
  settings: { maxSales?: number; duplicateWindowDays?: number; floorPrice?: string; distributionMode?: 'AUCTION' | 'PRIORITY' | 'ROUND_ROBIN' | 'WEIGHTED' } = {},
): Promise<string> {
  const key = uniq('tv');
  await db.query(
    `INSERT INTO verticals (key, name, schema, max_sales, duplicate_window_days, floor_price, distribution_mode)
     SELECT $1, 'Test ' || $1, schema, $2, $3, $4, $5 FROM verticals WHERE key = 'auto-insurance'`,
    [key, settings.maxSales ?? 1, settings.duplicateWindowDays ?? 30, settings.floorPrice ?? '0', settings.distributionMode ?? 'AUCTION'],
  );
  return key;
}

export async function createTestSupplier(
  db: Client,
  opts: { name?: string; payoutPercent?: string; fixedPayout?: string; status?: 'ACTIVE' | 'PAUSED'; allowedVerticals?: string[]; rateLimitPerSec?: number } = {},
): Promise<{ id: string; apiKey: string }> {
  const key = generateSupplierApiKey();
  const { rows } = await db.query(
    `INSERT INTO suppliers (name, api_key_hash, api_key_prefix, payout_percent, fixed_payout, status, allowed_verticals, rate_limit_per_sec)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [opts.name ?? uniq('supplier'), key.hash, key.prefix, opts.payoutPercent ?? '70', opts.fixedPayout ?? null, opts.status ?? 'ACTIVE', opts.allowedVerticals ?? null, opts.rateLimitPerSec ?? null],
  );
  return { id: rows[0].id, apiKey: key.apiKey };
}

export async function createTestBuyer(db: Client, opts: { creditLimit?: string | null; balance?: string } = {}): Promise<string> {
  const { rows } = await db.query(`INSERT INTO buyers (name, credit_limit, balance) VALUES ($1, $2, $3) RETURNING id`, [
    uniq('buyer'),
    opts.creditLimit === undefined ? null : opts.creditLimit,
    opts.balance ?? '0',
  ]);
  return rows[0].id;
}

export async function createTestCampaign(
  db: Client,
  opts: {
    buyerId: string;
    vertical: string;
    /** Fixed price; null for a live campaign priced by its ping URL. */
    bid: string | null;
    pingUrl?: string;
    postUrl?: string;
    timeoutMs?: number;
    template?: Record<string, unknown>;
    purchaseMode?: 'EXCLUSIVE' | 'SHARED' | 'BOTH';
    weight?: number;
    filters?: unknown[];
    caps?: unknown[];
    schedule?: unknown;
    status?: 'ACTIVE' | 'PAUSED';
    priority?: number;
    excludedSupplierIds?: string[];
    /** How sold leads reach the buyer, as stored: {method: 'WEBHOOK', url, headers?, template?} or {method: 'EMAIL', email}. */
    delivery?: Record<string, unknown>;
  },
): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO campaigns (buyer_id, name, vertical_key, bid, filters, caps, schedule, status, priority, excluded_supplier_ids,
                            ping_url, post_url, timeout_ms, template, purchase_mode, weight, delivery)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
    [
      opts.buyerId, uniq('campaign'), opts.vertical, opts.bid, JSON.stringify(opts.filters ?? []), JSON.stringify(opts.caps ?? []),
      opts.schedule ? JSON.stringify(opts.schedule) : null, opts.status ?? 'ACTIVE', opts.priority ?? 0, opts.excludedSupplierIds ?? [],
      opts.pingUrl ?? null, opts.postUrl ?? null, opts.timeoutMs ?? null, opts.template ? JSON.stringify(opts.template) : null,
      opts.purchaseMode ?? 'EXCLUSIVE', opts.weight ?? 1, JSON.stringify(opts.delivery ?? { method: 'NONE' }),
    ],
  );
  return rows[0].id;
}

/** A fresh valid US phone number each call, so leads are not duplicates of each other. */
export function randomPhone(): string {
  return `+1305${randomInt(200, 999)}${String(randomInt(0, 10000)).padStart(4, '0')}`;
}

/** A valid auto-insurance lead body with a unique phone and email. */
export function autoLead(vertical: string, fields: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    vertical,
    source: { sub_id: 'sub-1', ip: '203.0.113.9' },
    consent: { tcpa: true, text: 'By clicking...' },
    fields: {
      first_name: 'Ana',
      last_name: 'Diaz',
      email: `${uniq('ana')}@example.com`,
      phone: randomPhone(),
      zip: '33101',
      state: 'FL',
      age: 34,
      credit_rating: 'good',
      homeowner: true,
      currently_insured: true,
      vehicle_count: 2,
      ...fields,
    },
    ...extra,
  };
}
