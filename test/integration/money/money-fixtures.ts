import { randomUUID } from 'crypto';
import Decimal from 'decimal.js';
import { Client } from 'pg';
import { computePayout } from '@leadex/auction-core';
import { migrate } from '@leadex/persistence';
import { createTestCampaign, createTestSupplier, createTestVertical, randomPhone, uniq } from '@leadex/testing';

/**
 * A migrated database of a test's own, for checks over the whole ledger: the run's shared database also
 * holds other suites' hand-made sales (test factories that write a sale's ledger without moving the
 * buyer's balance), which a whole-ledger reconciliation would rightly call broken.
 */
export async function createScratchDb(): Promise<{ db: Client; drop: () => Promise<void> }> {
  const base = (process.env.LEADEX_TEST_DATABASE_URL ?? process.env.DATABASE_URL)!.replace(/\/[^/]+$/, '');
  const name = `leadex_money_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await migrate(`${base}/${name}`);
  const db = new Client({ connectionString: `${base}/${name}` });
  await db.connect();
  return {
    db,
    drop: async () => {
      await db.end();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

export interface Market {
  vertical: string;
  supplierId: string;
}

export async function createMarket(db: Client, opts: { returnWindowDays?: number; autoApprove?: string[] } = {}): Promise<Market> {
  const vertical = await createTestVertical(db, { maxSales: 3 });
  await db.query(`UPDATE verticals SET return_window_days = $2, return_auto_approve_reasons = $3 WHERE key = $1`, [
    vertical, opts.returnWindowDays ?? 7, opts.autoApprove ?? [],
  ]);
  return { vertical, supplierId: (await createTestSupplier(db)).id };
}

export async function createBuyer(db: Client, opts: { creditLimit?: string | null; lowBalanceThreshold?: string; maxReturnPercent?: string } = {}): Promise<string> {
  const { rows } = await db.query(
    `INSERT INTO buyers (name, credit_limit, low_balance_threshold, max_return_percent) VALUES ($1, $2, $3, $4) RETURNING id`,
    [uniq('buyer'), opts.creditLimit === undefined ? '100000.00' : opts.creditLimit, opts.lowBalanceThreshold ?? null, opts.maxReturnPercent ?? null],
  );
  return rows[0].id;
}

export interface Sold {
  leadId: string;
  saleId: string;
  price: Decimal;
  payout: Decimal;
  margin: Decimal;
}

/**
 * A lead stored and sold to a buyer by the exchange's own functions (leadex_store_lead, leadex_reserve_sale),
 * so the sale, its ledger and the buyer's funds are exactly what the hot path writes.
 */
export async function sellLead(db: Client, market: Market, buyerId: string, price: string, opts: { payoutPercent?: string; payout?: string; soldDaysAgo?: number } = {}): Promise<Sold> {
  const leadId = randomUUID();
  const phone = randomPhone();
  await db.query(`SELECT leadex_store_lead($1, $2, $3, NULL, false, '{}'::jsonb, NULL, NULL, $4, NULL, 0, 3, 'h', '{}', '{}')`, [
    leadId, market.supplierId, market.vertical, phone,
  ]);
  const campaign = await createTestCampaign(db, { buyerId, vertical: market.vertical, bid: price });
  const p = new Decimal(price);
  // a fixed payout may exceed the price: the margin is then negative
  const { payout, margin } = opts.payout
    ? { payout: new Decimal(opts.payout), margin: p.minus(opts.payout) }
    : computePayout(p, { payoutPercent: opts.payoutPercent ?? '70' });
  const saleId = randomUUID();
  await db.query(`SELECT leadex_reserve_sale($1, $2, $3, $4, $5, $6, $7, $8, '[]'::jsonb, '{}', '{"status":"sold"}'::jsonb)`, [
    saleId, randomUUID(), leadId, campaign, buyerId, p.toFixed(2), payout.toFixed(2), margin.toFixed(2),
  ]);
  if (opts.soldDaysAgo) {
    // back-date the sale (and its ledger time would not matter to a window check)
    await db.query(`UPDATE sales SET sold_at = now() - make_interval(days => $2) WHERE id = $1`, [saleId, opts.soldDaysAgo]);
  }
  return { leadId, saleId, price: p, payout, margin };
}

/** A buyer's maintained balance as a Decimal. */
export async function balanceOf(db: Client, buyerId: string): Promise<Decimal> {
  return new Decimal((await db.query(`SELECT balance FROM buyers WHERE id = $1`, [buyerId])).rows[0].balance);
}

/** Σ BUYER credits − debits of a buyer's ledger account. */
export async function ledgerBalanceOf(db: Client, buyerId: string): Promise<Decimal> {
  const { rows } = await db.query(
    `SELECT coalesce(sum(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END), 0) AS net FROM ledger_entries WHERE account_type = 'BUYER' AND account_id = $1`,
    [buyerId],
  );
  return new Decimal(rows[0].net);
}

export const requestReturn = (db: Client, leadId: string, buyerId: string, reason = 'INVALID_PHONE', opts: { maxPercent?: string | null; rateWindowDays?: number } = {}) =>
  db
    .query(`SELECT leadex_request_return($1, $2, $3, $4, NULL, $5, $6) AS status`, [randomUUID(), leadId, buyerId, reason, opts.maxPercent ?? null, opts.rateWindowDays ?? 30])
    .then(async (r) => {
      const row = (await db.query(`SELECT * FROM lead_returns WHERE lead_id = $1 AND buyer_id = $2 ORDER BY requested_at DESC LIMIT 1`, [leadId, buyerId])).rows[0];
      return { status: r.rows[0].status as string, id: row.id as string, row };
    });
