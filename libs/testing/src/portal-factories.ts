import { randomBytes } from 'crypto';
import * as argon2 from 'argon2';
import { Client } from 'pg';
import Decimal from 'decimal.js';
import { computePayout } from '../../auction-core/src';
import { connectTestDb, createTestSupplier, uniq } from './exchange-factories';

/** A direct connection to the run's test database, for arranging data the portal only reads. */
export const openPortalTestDb = connectTestDb;

/** Unique names and emails: suites share one database. */
export const portalUnique = (prefix = 'p') => uniq(prefix);
export const portalEmail = (prefix = 'user') => `${portalUnique(prefix)}@example.test`;

export interface PortalTestUser {
  id: string;
  email: string;
  password: string;
  role: 'ADMIN' | 'FINANCE' | 'BUYER';
  buyerId: string | null;
}

/** A user inserted straight into the database (argon2id, as the portal stores them). */
export async function insertPortalUser(
  db: Client,
  opts: { role: 'ADMIN' | 'FINANCE' | 'BUYER'; buyerId?: string | null; email?: string; password?: string },
): Promise<PortalTestUser> {
  const email = (opts.email ?? portalEmail(opts.role.toLowerCase())).toLowerCase();
  const password = opts.password ?? `pw-${randomBytes(9).toString('base64url')}`;
  const hash = await argon2.hash(password, { type: argon2.argon2id });
  const { rows } = await db.query(`INSERT INTO users (email, password_hash, role, buyer_id) VALUES ($1, $2, $3, $4) RETURNING id`, [
    email,
    hash,
    opts.role,
    opts.buyerId ?? null,
  ]);
  return { id: rows[0].id, email, password, role: opts.role, buyerId: opts.buyerId ?? null };
}

export const insertPortalAdmin = (db: Client) => insertPortalUser(db, { role: 'ADMIN' });

export async function insertPortalBuyer(db: Client, opts: { name?: string; creditLimit?: string | null } = {}): Promise<string> {
  const { rows } = await db.query(`INSERT INTO buyers (name, credit_limit) VALUES ($1, $2) RETURNING id`, [
    opts.name ?? portalUnique('buyer'),
    opts.creditLimit ?? null,
  ]);
  return rows[0].id;
}

/** A BUYER user with a buyer of its own. */
export async function insertPortalBuyerUser(db: Client): Promise<PortalTestUser & { buyerId: string }> {
  const buyerId = await insertPortalBuyer(db);
  const user = await insertPortalUser(db, { role: 'BUYER', buyerId });
  return { ...user, buyerId };
}

export async function insertPortalSupplier(db: Client, opts: { name?: string; payoutPercent?: string } = {}): Promise<string> {
  return (await createTestSupplier(db, opts)).id;
}

export async function insertPortalCampaign(
  db: Client,
  opts: { buyerId: string; vertical?: string; bid?: string; name?: string },
): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO campaigns (buyer_id, name, vertical_key, bid, status) VALUES ($1, $2, $3, $4, 'PAUSED') RETURNING id`,
    [opts.buyerId, opts.name ?? portalUnique('campaign'), opts.vertical ?? 'auto-insurance', opts.bid ?? '10.00'],
  );
  return rows[0].id;
}

/**
 * A sold sale's money, as the exchange books it: the balanced SALE transaction (buyer debit = price,
 * supplier credit = payout, exchange margin) and the buyer's balance, so the shared test database keeps
 * every balance equal to its ledger entries. Inside the caller's transaction.
 */
async function chargeTestSale(
  db: Client,
  s: { saleId: string; leadId: string; buyerId: string; supplierId: string; price: Decimal; payout: Decimal; margin: Decimal },
): Promise<void> {
  await db.query(
    `WITH txn AS (INSERT INTO ledger_transactions (kind, sale_id, lead_id) VALUES ('SALE', $1, $2) RETURNING id)
     INSERT INTO ledger_entries (transaction_id, account_type, account_id, direction, amount)
     SELECT txn.id, e.t, e.a, e.d, e.amount FROM txn, (VALUES
       ('BUYER', $3::uuid, 'DEBIT', $5::numeric), ('SUPPLIER', $4::uuid, 'CREDIT', $6::numeric), ('EXCHANGE_REVENUE', NULL::uuid, 'CREDIT', $7::numeric)
     ) AS e(t, a, d, amount)`,
    [s.saleId, s.leadId, s.buyerId, s.supplierId, s.price.toFixed(2), s.payout.toFixed(2), s.margin.toFixed(2)],
  );
  await db.query(`UPDATE buyers SET balance = balance - $2 WHERE id = $1`, [s.buyerId, s.price.toFixed(2)]);
}

/**
 * A lead and its sale to one buyer, written directly (as the exchange would after an auction):
 * payout and margin by the exchange's own rule (70%, half-even), with its balanced ledger transaction.
 */
export async function insertPortalSoldLead(
  db: Client,
  opts: {
    supplierId: string;
    buyerId: string;
    campaignId: string;
    price: string;
    vertical?: string;
    soldAt?: Date | string;
    fields?: Record<string, unknown>;
    consent?: Record<string, unknown> | null;
  },
): Promise<{ leadId: string; saleId: string; soldAt: string }> {
  const vertical = opts.vertical ?? 'auto-insurance';
  const fields = opts.fields ?? {
    first_name: 'Ana',
    last_name: 'Diaz',
    email: `${portalUnique('lead')}@example.com`,
    phone: '+13055550123',
    zip: '33101',
    state: 'FL',
    age: 34,
    credit_rating: 'good',
    homeowner: true,
    currently_insured: true,
  };
  const soldAt = opts.soldAt ?? new Date();
  // the same money rule and ledger as the exchange's sale, so suites sharing the database keep it balanced
  const price = new Decimal(opts.price);
  const { payout, margin } = computePayout(price, { payoutPercent: '70' });
  const consent = opts.consent === undefined ? { tcpa: true, text: 'By clicking...' } : opts.consent;
  await db.query('BEGIN');
  const lead = await db.query(
    `INSERT INTO leads (supplier_id, vertical_key, status, fields, consent, sales_count, price_total, payout_total, sold_at)
     VALUES ($1, $2, 'sold', $3, $4, 1, $5, $6, $7) RETURNING id`,
    [opts.supplierId, vertical, JSON.stringify(fields), consent && JSON.stringify(consent), price.toFixed(2), payout.toFixed(2), soldAt],
  );
  const sale = await db.query(
    `INSERT INTO sales (lead_id, campaign_id, buyer_id, supplier_id, vertical_key, price, payout, margin, sold_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     RETURNING id, to_char(sold_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sold_at`,
    [lead.rows[0].id, opts.campaignId, opts.buyerId, opts.supplierId, vertical, price.toFixed(2), payout.toFixed(2), margin.toFixed(2), soldAt],
  );
  await chargeTestSale(db, { saleId: sale.rows[0].id, leadId: lead.rows[0].id, buyerId: opts.buyerId, supplierId: opts.supplierId, price, payout, margin });
  await db.query('COMMIT');
  return { leadId: lead.rows[0].id, saleId: sale.rows[0].id, soldAt: sale.rows[0].sold_at };
}

/** A ping offer (the bids a supplier's ping got), as the exchange stores it: PII-free fields. */
export async function insertPortalPingOffer(
  db: Client,
  opts: { supplierId: string; vertical?: string; price?: string; createdAt?: Date },
): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO ping_offers (id, supplier_id, vertical_key, fields, status, price, expires_at, created_at)
     VALUES (gen_random_uuid(), $1, $2, '{"zip":"33101","state":"FL","age":34}', 'bid', $3, $4::timestamptz + interval '2 minutes', $4)
     RETURNING id`,
    [opts.supplierId, opts.vertical ?? 'auto-insurance', opts.price ?? '5.00', opts.createdAt ?? new Date()],
  );
  return rows[0].id;
}

/** A lead not (yet) sold, optionally the post of a ping (which it marks posted). */
export async function insertPortalLead(
  db: Client,
  opts: { supplierId: string; vertical?: string; status?: 'processing' | 'unsold'; maxSales?: number; pingId?: string | null },
): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO leads (supplier_id, vertical_key, status, fields, consent, max_sales, ping_id)
     VALUES ($1, $2, $3, $4, '{"tcpa":true}', $5, $6) RETURNING id`,
    [
      opts.supplierId,
      opts.vertical ?? 'auto-insurance',
      opts.status ?? 'processing',
      JSON.stringify({ first_name: 'Bo', last_name: 'Lee', email: `${portalUnique('bo')}@example.com`, phone: '+13055550199', zip: '33101', state: 'FL', age: 34 }),
      opts.maxSales ?? 1,
      opts.pingId ?? null,
    ],
  );
  if (opts.pingId) await db.query(`UPDATE ping_offers SET status = 'posted', lead_id = $2 WHERE id = $1`, [opts.pingId, rows[0].id]);
  return rows[0].id;
}

/**
 * One more sale of a lead, as the exchange's sale functions would leave it: SOLD with its balanced
 * ledger transaction and the lead's totals, or a PENDING hold (no ledger yet) while the buyer decides.
 */
export async function insertPortalSale(
  db: Client,
  opts: { leadId: string; supplierId: string; buyerId: string; campaignId: string; price: string; soldAt: Date; status?: 'SOLD' | 'PENDING'; vertical?: string },
): Promise<string> {
  const price = new Decimal(opts.price);
  const { payout, margin } = computePayout(price, { payoutPercent: '70' });
  const status = opts.status ?? 'SOLD';
  await db.query('BEGIN');
  const sale = await db.query(
    `INSERT INTO sales (lead_id, campaign_id, buyer_id, supplier_id, vertical_key, price, payout, margin, status, sold_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [opts.leadId, opts.campaignId, opts.buyerId, opts.supplierId, opts.vertical ?? 'auto-insurance', price.toFixed(2), payout.toFixed(2), margin.toFixed(2), status, opts.soldAt],
  );
  if (status === 'SOLD') {
    await db.query(
      `UPDATE leads SET status = 'sold', sales_count = sales_count + 1, price_total = price_total + $2, payout_total = payout_total + $3,
              sold_at = coalesce(sold_at, $4) WHERE id = $1`,
      [opts.leadId, price.toFixed(2), payout.toFixed(2), opts.soldAt],
    );
    await chargeTestSale(db, { saleId: sale.rows[0].id, leadId: opts.leadId, buyerId: opts.buyerId, supplierId: opts.supplierId, price, payout, margin });
  } else {
    await db.query(`UPDATE leads SET sales_count = sales_count + 1 WHERE id = $1`, [opts.leadId]);
  }
  await db.query('COMMIT');
  return sale.rows[0].id;
}

/** Rows of the audit timeline, written directly as the exchange's LeadEventsService would. */
export async function insertPortalLeadEvents(
  db: Client,
  events: {
    leadId?: string | null;
    pingId?: string | null;
    campaignId?: string | null;
    kind: 'ping' | 'post' | 'sale' | 'note';
    outcome: string;
    latencyMs?: number | null;
    price?: string | null;
    detail?: Record<string, unknown> | null;
    at: Date;
  }[],
): Promise<void> {
  for (const e of events) {
    await db.query(
      `INSERT INTO lead_events (lead_id, ping_id, campaign_id, kind, outcome, latency_ms, price, detail, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [e.leadId ?? null, e.pingId ?? null, e.campaignId ?? null, e.kind, e.outcome, e.latencyMs ?? null, e.price ?? null, e.detail ? JSON.stringify(e.detail) : null, e.at],
    );
  }
}
