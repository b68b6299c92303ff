import { randomUUID } from 'crypto';
import { Client, Pool } from 'pg';
import { connectTestDb, createTestBuyer, createTestCampaign, createTestSupplier, createTestVertical } from '@leadex/testing';

/**
 * The sale transaction on the real database: leadex_store_lead and leadex_reserve_sale, the two
 * writes of the hot path. A refusal must leave nothing behind; a success must write everything.
 */
describe('sale reservation', () => {
  let db: Client;
  let pool: Pool;
  let vertical: string;
  let supplierId: string;

  beforeAll(async () => {
    db = await connectTestDb();
    pool = new Pool({ connectionString: process.env.LEADEX_TEST_DATABASE_URL, max: 20 });
    vertical = await createTestVertical(db);
    supplierId = (await createTestSupplier(db)).id;
  });
  afterAll(async () => {
    await pool.end();
    await db.end();
  });

  async function storeLead(): Promise<string> {
    const id = randomUUID();
    const phone = `+1305${Math.floor(2000000 + Math.random() * 7999999)}`;
    await db.query(`SELECT leadex_store_lead($1, $2, $3, NULL, false, '{}'::jsonb, NULL, NULL, $4, NULL, 30, 1, 'h', $5, '{}')`, [
      id, supplierId, vertical, phone, [`${vertical}|p|${phone}`],
    ]);
    return id;
  }

  const reserve = (c: Client | Pool, o: { lead: string; campaign: string; buyer: string; price: string; payout: string; margin: string; caps?: unknown[] }) =>
    c.query(`SELECT leadex_reserve_sale($1, $2, $3, $4, $5, $6, $7, $8, $9, '{}', '{"status":"sold"}'::jsonb) AS sold_at`, [
      randomUUID(), randomUUID(), o.lead, o.campaign, o.buyer, o.price, o.payout, o.margin, JSON.stringify(o.caps ?? []),
    ]);

  const state = async (lead: string, buyer: string, campaign: string) => ({
    lead: (await db.query(`SELECT status, sales_count, payout_total, price_total FROM leads WHERE id = $1`, [lead])).rows[0],
    balance: (await db.query(`SELECT balance FROM buyers WHERE id = $1`, [buyer])).rows[0].balance,
    sales: (await db.query(`SELECT count(*)::int AS n FROM sales WHERE lead_id = $1`, [lead])).rows[0].n,
    counters: (await db.query(`SELECT period, leads_count, spend FROM cap_counters WHERE campaign_id = $1 ORDER BY period`, [campaign])).rows,
  });

  it('writes the sale, its balanced ledger, the cap counter, the lead and the funds together', async () => {
    const buyer = await createTestBuyer(db, { creditLimit: '100.00' });
    const campaign = await createTestCampaign(db, { buyerId: buyer, vertical, bid: '10.00' });
    const lead = await storeLead();
    const caps = [{ period: 'DAY', periodStart: '2026-11-22T05:00:00Z', maxLeads: 10, maxSpend: null }];
    await reserve(db, { lead, campaign, buyer, price: '10.00', payout: '7.00', margin: '3.00', caps });
    expect(await state(lead, buyer, campaign)).toEqual({
      lead: { status: 'sold', sales_count: 1, payout_total: '7.00', price_total: '10.00' },
      balance: '-10.00',
      sales: 1,
      counters: [{ period: 'DAY', leads_count: 1, spend: '10.00' }],
    });
    const ledger = await db.query(
      `SELECT account_type, direction, amount FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
        WHERE t.lead_id = $1 ORDER BY account_type`,
      [lead],
    );
    expect(ledger.rows).toEqual([
      { account_type: 'BUYER', direction: 'DEBIT', amount: '10.00' },
      { account_type: 'EXCHANGE_REVENUE', direction: 'CREDIT', amount: '3.00' },
      { account_type: 'SUPPLIER', direction: 'CREDIT', amount: '7.00' },
    ]);
  });

  it('refuses past a cap (LX001) and leaves nothing written', async () => {
    const buyer = await createTestBuyer(db);
    const campaign = await createTestCampaign(db, { buyerId: buyer, vertical, bid: '10.00' });
    const caps = [{ period: 'TOTAL', periodStart: '1970-01-01T00:00:00Z', maxLeads: 1, maxSpend: null }];
    await reserve(db, { lead: await storeLead(), campaign, buyer, price: '10.00', payout: '7.00', margin: '3.00', caps });
    const lead = await storeLead();
    await expect(reserve(db, { lead, campaign, buyer, price: '10.00', payout: '7.00', margin: '3.00', caps })).rejects.toMatchObject({
      code: 'LX001',
      detail: 'TOTAL',
    });
    expect(await state(lead, buyer, campaign)).toEqual({
      lead: { status: 'processing', sales_count: 0, payout_total: '0.00', price_total: '0.00' },
      balance: '-10.00',
      sales: 0,
      counters: [{ period: 'TOTAL', leads_count: 1, spend: '10.00' }],
    });
  });

  it('refuses past the credit limit (LX003) and rolls back the cap and the sale', async () => {
    const buyer = await createTestBuyer(db, { creditLimit: '5.00' });
    const campaign = await createTestCampaign(db, { buyerId: buyer, vertical, bid: '10.00' });
    const lead = await storeLead();
    const caps = [{ period: 'DAY', periodStart: '2026-11-22T00:00:00Z', maxLeads: 5, maxSpend: '100.00' }];
    await expect(reserve(db, { lead, campaign, buyer, price: '10.00', payout: '7.00', margin: '3.00', caps })).rejects.toMatchObject({ code: 'LX003' });
    expect(await state(lead, buyer, campaign)).toEqual({
      lead: { status: 'processing', sales_count: 0, payout_total: '0.00', price_total: '0.00' },
      balance: '0.00',
      sales: 0,
      counters: [],
    });
  });

  it('refuses a lead already sold to its maximum (LX002)', async () => {
    const buyerA = await createTestBuyer(db);
    const buyerB = await createTestBuyer(db);
    const a = await createTestCampaign(db, { buyerId: buyerA, vertical, bid: '10.00' });
    const b = await createTestCampaign(db, { buyerId: buyerB, vertical, bid: '9.00' });
    const lead = await storeLead();
    await reserve(db, { lead, campaign: a, buyer: buyerA, price: '10.00', payout: '7.00', margin: '3.00' });
    await expect(reserve(db, { lead, campaign: b, buyer: buyerB, price: '9.00', payout: '6.30', margin: '2.70' })).rejects.toMatchObject({ code: 'LX002' });
  });

  it('holds a spend cap exactly when fifty reservations race', async () => {
    const buyer = await createTestBuyer(db);
    const campaign = await createTestCampaign(db, { buyerId: buyer, vertical, bid: '7.50' });
    const caps = [{ period: 'MONTH', periodStart: '2026-11-01T00:00:00Z', maxLeads: null, maxSpend: '30.00' }];
    const leads = await Promise.all(Array.from({ length: 50 }, () => storeLead()));
    const results = await Promise.allSettled(
      leads.map((lead) => reserve(pool, { lead, campaign, buyer, price: '7.50', payout: '5.25', margin: '2.25', caps })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(4);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.code === 'LX001')).toBe(true);
    const counter = await db.query(`SELECT leads_count, spend FROM cap_counters WHERE campaign_id = $1`, [campaign]);
    expect(counter.rows).toEqual([{ leads_count: 4, spend: '30.00' }]);
  });
});
