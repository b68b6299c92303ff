import { randomUUID } from 'crypto';
import { Client } from 'pg';
import { connectTestDb } from '@leadex/testing';
import { balanceOf, createBuyer, createMarket, ledgerBalanceOf, Market, requestReturn, sellLead } from './money-fixtures';

/**
 * The money functions of migration 800 on the real database: a deposit, a return requested, approved or
 * rejected, the window, the rate, auto-approval and the low-balance notice. Each asserts the ledger lines
 * and the balances a finance team would check.
 */
describe('deposits and returns in the database', () => {
  let db: Client;
  let market: Market;

  beforeAll(async () => {
    db = await connectTestDb();
    market = await createMarket(db);
  });
  afterAll(() => db.end());

  const entriesOf = async (kind: string, saleOrMemo: { saleId?: string; memo?: string }) =>
    (
      await db.query(
        `SELECT e.account_type, e.account_id, e.direction, e.amount FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
          WHERE t.kind = $1 AND (t.sale_id = $2 OR t.memo = $3) ORDER BY e.account_type`,
        [kind, saleOrMemo.saleId ?? null, saleOrMemo.memo ?? null],
      )
    ).rows;

  it('records a deposit as one balanced DEPOSIT transaction and credits the balance', async () => {
    const buyer = await createBuyer(db);
    const memo = `wire ${randomUUID()}`;
    await db.query(`SELECT leadex_record_deposit($1, $2, '250.75', $3)`, [randomUUID(), buyer, memo]);
    expect((await balanceOf(db, buyer)).toFixed(2)).toBe('250.75');
    expect(await entriesOf('DEPOSIT', { memo })).toEqual([
      { account_type: 'BUYER', account_id: buyer, direction: 'CREDIT', amount: '250.75' },
      { account_type: 'CASH', account_id: null, direction: 'DEBIT', amount: '250.75' },
    ]);
  });

  it('refuses a deposit of zero (LXM01) and one to an unknown buyer (LXM02), writing nothing', async () => {
    const buyer = await createBuyer(db);
    await expect(db.query(`SELECT leadex_record_deposit($1, $2, '0', 'x')`, [randomUUID(), buyer])).rejects.toMatchObject({ code: 'LXM01' });
    await expect(db.query(`SELECT leadex_record_deposit($1, $2, '5', 'x')`, [randomUUID(), randomUUID()])).rejects.toMatchObject({ code: 'LXM02' });
    expect((await balanceOf(db, buyer)).toFixed(2)).toBe('0.00');
  });

  it('an approved return reverses the sale exactly: buyer credited, supplier clawed back, margin reversed', async () => {
    const buyer = await createBuyer(db);
    const sold = await sellLead(db, market, buyer, '12.35');
    expect((await balanceOf(db, buyer)).toFixed(2)).toBe('-12.35');
    const r = await requestReturn(db, sold.leadId, buyer, 'INVALID_PHONE');
    expect(r.status).toBe('PENDING');
    expect(r.row).toMatchObject({ sale_id: sold.saleId, amount: '12.35', status: 'PENDING', supplier_id: market.supplierId });
    expect((await balanceOf(db, buyer)).toFixed(2)).toBe('-12.35'); // nothing moves before the decision

    const admin = (await db.query(`INSERT INTO users (email, password_hash, role) VALUES ($1, 'x', 'ADMIN') RETURNING id`, [`${randomUUID()}@example.test`])).rows[0].id;
    await db.query(`SELECT leadex_approve_return($1, $2, 'bad number')`, [r.id, admin]);

    expect(await entriesOf('RETURN', { saleId: sold.saleId })).toEqual([
      { account_type: 'BUYER', account_id: buyer, direction: 'CREDIT', amount: '12.35' },
      { account_type: 'EXCHANGE_REVENUE', account_id: null, direction: 'DEBIT', amount: sold.margin.toFixed(2) },
      { account_type: 'SUPPLIER', account_id: market.supplierId, direction: 'DEBIT', amount: sold.payout.toFixed(2) },
    ]);
    expect((await balanceOf(db, buyer)).toFixed(2)).toBe('0.00');
    expect((await ledgerBalanceOf(db, buyer)).toFixed(2)).toBe('0.00');
    const sale = (await db.query(`SELECT status, returned_at FROM sales WHERE id = $1`, [sold.saleId])).rows[0];
    expect(sale.status).toBe('RETURNED');
    expect(sale.returned_at).toBeInstanceOf(Date);
    expect((await db.query(`SELECT price_total, payout_total FROM leads WHERE id = $1`, [sold.leadId])).rows[0]).toEqual({ price_total: '0.00', payout_total: '0.00' });
    expect((await db.query(`SELECT status, decided_by, decision_note FROM lead_returns WHERE id = $1`, [r.id])).rows[0]).toEqual({
      status: 'APPROVED', decided_by: admin, decision_note: 'bad number',
    });
  });

  it('reverses a negative margin (a fixed payout above the price) with a revenue CREDIT', async () => {
    const buyer = await createBuyer(db);
    const sold = await sellLead(db, market, buyer, '5.00', { payout: '6.00' });
    expect(sold.margin.toFixed(2)).toBe('-1.00');
    const r = await requestReturn(db, sold.leadId, buyer);
    await db.query(`SELECT leadex_approve_return($1, NULL, NULL)`, [r.id]);
    expect(await entriesOf('RETURN', { saleId: sold.saleId })).toEqual([
      { account_type: 'BUYER', account_id: buyer, direction: 'CREDIT', amount: '5.00' },
      { account_type: 'EXCHANGE_REVENUE', account_id: null, direction: 'CREDIT', amount: '1.00' },
      { account_type: 'SUPPLIER', account_id: market.supplierId, direction: 'DEBIT', amount: '6.00' },
    ]);
  });

  it('a rejected return moves no money and may be asked again; an approved one may not', async () => {
    const buyer = await createBuyer(db);
    const sold = await sellLead(db, market, buyer, '9.99');
    const first = await requestReturn(db, sold.leadId, buyer);
    await expect(requestReturn(db, sold.leadId, buyer)).rejects.toMatchObject({ code: 'LXR03' });
    await db.query(`SELECT leadex_reject_return($1, NULL, 'looks fine')`, [first.id]);
    await expect(db.query(`SELECT leadex_approve_return($1, NULL, NULL)`, [first.id])).rejects.toMatchObject({ code: 'LXR03' });
    expect((await balanceOf(db, buyer)).toFixed(2)).toBe('-9.99');
    expect(await entriesOf('RETURN', { saleId: sold.saleId })).toEqual([]);

    const second = await requestReturn(db, sold.leadId, buyer, 'FRAUD');
    await db.query(`SELECT leadex_approve_return($1, NULL, NULL)`, [second.id]);
    await expect(requestReturn(db, sold.leadId, buyer)).rejects.toMatchObject({ code: 'LXR03' });
    await expect(db.query(`SELECT leadex_approve_return($1, NULL, NULL)`, [second.id])).rejects.toMatchObject({ code: 'LXR03' });
    expect((await balanceOf(db, buyer)).toFixed(2)).toBe('0.00');
  });

  it('the database itself refuses a second RETURN transaction or a second live return of a sale', async () => {
    const buyer = await createBuyer(db);
    const sold = await sellLead(db, market, buyer, '4.00');
    const r = await requestReturn(db, sold.leadId, buyer);
    await db.query(`SELECT leadex_approve_return($1, NULL, NULL)`, [r.id]);
    await expect(db.query(`INSERT INTO ledger_transactions (kind, sale_id) VALUES ('RETURN', $1)`, [sold.saleId])).rejects.toThrow(/ledger_one_return_per_sale/);
    await expect(
      db.query(
        `INSERT INTO lead_returns (sale_id, lead_id, buyer_id, campaign_id, supplier_id, reason, amount)
         SELECT id, lead_id, buyer_id, campaign_id, supplier_id, 'OTHER', price FROM sales WHERE id = $1`,
        [sold.saleId],
      ),
    ).rejects.toThrow(/lead_returns_one_live_per_sale/);
  });

  it("refuses another buyer's lead (LXR01) and a lead past the vertical's window (LXR02)", async () => {
    const buyer = await createBuyer(db);
    const other = await createBuyer(db);
    const sold = await sellLead(db, market, buyer, '3.00');
    await expect(requestReturn(db, sold.leadId, other)).rejects.toMatchObject({ code: 'LXR01' });
    await expect(requestReturn(db, randomUUID(), buyer)).rejects.toMatchObject({ code: 'LXR01' });
    const old = await sellLead(db, market, buyer, '3.00', { soldDaysAgo: 8 });
    await expect(requestReturn(db, old.leadId, buyer)).rejects.toMatchObject({ code: 'LXR02' });
    const inside = await sellLead(db, market, buyer, '3.00', { soldDaysAgo: 6 });
    expect((await requestReturn(db, inside.leadId, buyer)).status).toBe('PENDING');
  });

  it('auto-approves the reasons its vertical lists, and only those', async () => {
    const auto = await createMarket(db, { autoApprove: ['DUPLICATE'] });
    const buyer = await createBuyer(db);
    const a = await sellLead(db, auto, buyer, '6.00');
    const b = await sellLead(db, auto, buyer, '6.00');
    const approved = await requestReturn(db, a.leadId, buyer, 'DUPLICATE');
    expect(approved.status).toBe('APPROVED');
    expect(approved.row.decision_note).toMatch(/auto-approved/);
    expect((await requestReturn(db, b.leadId, buyer, 'NOT_IN_MARKET')).status).toBe('PENDING');
    expect((await balanceOf(db, buyer)).toFixed(2)).toBe('-6.00');
  });

  it("refuses a return that would put the buyer over its maximum return rate (LXR04)", async () => {
    const buyer = await createBuyer(db, { maxReturnPercent: '50' });
    const sales = [];
    for (let i = 0; i < 4; i++) sales.push(await sellLead(db, market, buyer, '2.00'));
    await requestReturn(db, sales[0].leadId, buyer);
    await requestReturn(db, sales[1].leadId, buyer); // 2 of 4 = 50%: allowed
    await expect(requestReturn(db, sales[2].leadId, buyer)).rejects.toMatchObject({ code: 'LXR04' });
    // without a rate of its own the default passed in applies
    const plain = await createBuyer(db);
    const p = [await sellLead(db, market, plain, '2.00'), await sellLead(db, market, plain, '2.00')];
    await expect(requestReturn(db, p[0].leadId, plain, 'OTHER', { maxPercent: '10' })).rejects.toMatchObject({ code: 'LXR04' });
    expect((await requestReturn(db, p[1].leadId, plain, 'OTHER', { maxPercent: null })).status).toBe('PENDING');
  });

  it('writes one LOW_BALANCE notice per episode: when funds fall under the threshold, again only after a deposit lifts them', async () => {
    const buyer = await createBuyer(db, { creditLimit: '20.00', lowBalanceThreshold: '10.00' });
    const notices = async () =>
      (await db.query(`SELECT data FROM notifications WHERE buyer_id = $1 AND kind = 'LOW_BALANCE' ORDER BY id`, [buyer])).rows.map((r) => r.data.available);
    await sellLead(db, market, buyer, '5.00'); // available 15.00
    expect(await notices()).toEqual([]);
    await sellLead(db, market, buyer, '6.00'); // available 9.00: under
    await sellLead(db, market, buyer, '1.00'); // still the same episode
    expect(await notices()).toEqual(['9.00']);
    await db.query(`SELECT leadex_record_deposit($1, $2, '50.00', 'top-up')`, [randomUUID(), buyer]); // 58.00: episode over
    await sellLead(db, market, buyer, '49.00'); // 9.00 again: a new episode
    expect(await notices()).toEqual(['9.00', '9.00']);
  });
});
