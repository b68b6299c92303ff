import { randomUUID } from 'crypto';
import { Client } from 'pg';
import { connectTestDb } from '@leadex/testing';
import { balanceOf, createBuyer, createMarket, ledgerBalanceOf, Market, sellLead } from './money-fixtures';

/**
 * leadex_record_adjustment (migration 1000) on the real database: a signed correction of a buyer's balance
 * against the exchange's revenue, one balanced ADJUSTMENT transaction, the balance moved in the same statement,
 * and a debit that can never take the balance past the credit limit, however many run at once.
 */
describe('balance adjustments in the database', () => {
  let db: Client;
  let market: Market;

  beforeAll(async () => {
    db = await connectTestDb();
    market = await createMarket(db);
  });
  afterAll(() => db.end());

  const adjust = (buyer: string, amount: string, reason: string | null = 'why', conn: Client = db) =>
    conn.query(`SELECT leadex_record_adjustment($1, $2, $3, $4)`, [randomUUID(), buyer, amount, reason]);
  const sqlstate = (p: Promise<unknown>) => p.then(() => 'ok', (e) => e.code as string);

  it('writes one balanced ADJUSTMENT transaction each way, the reason as memo, and keeps the balance equal to the ledger', async () => {
    const buyer = await createBuyer(db, { creditLimit: '50.00' });
    await sellLead(db, market, buyer, '12.00');
    await adjust(buyer, '30.00', 'goodwill: late delivery');
    await adjust(buyer, '-7.25', 'correction: duplicate credit');
    const { rows } = await db.query(
      `SELECT t.memo, e.account_type, e.account_id, e.direction, e.amount
         FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
        WHERE t.kind = 'ADJUSTMENT' AND t.id IN (SELECT transaction_id FROM ledger_entries WHERE account_type = 'BUYER' AND account_id = $1)
        ORDER BY t.created_at, e.account_type`,
      [buyer],
    );
    expect(rows).toEqual([
      { memo: 'goodwill: late delivery', account_type: 'BUYER', account_id: buyer, direction: 'CREDIT', amount: '30.00' },
      { memo: 'goodwill: late delivery', account_type: 'EXCHANGE_REVENUE', account_id: null, direction: 'DEBIT', amount: '30.00' },
      { memo: 'correction: duplicate credit', account_type: 'BUYER', account_id: buyer, direction: 'DEBIT', amount: '7.25' },
      { memo: 'correction: duplicate credit', account_type: 'EXCHANGE_REVENUE', account_id: null, direction: 'CREDIT', amount: '7.25' },
    ]);
    expect((await balanceOf(db, buyer)).toFixed(2)).toBe('10.75');
    expect((await ledgerBalanceOf(db, buyer)).toFixed(2)).toBe('10.75');
  });

  it('refuses zero, a missing or long reason, an unknown buyer, and a debit past the credit limit, writing nothing', async () => {
    const buyer = await createBuyer(db, { creditLimit: '10.00' });
    const before = (await db.query(`SELECT count(*)::int AS n FROM ledger_transactions WHERE kind = 'ADJUSTMENT'`)).rows[0].n;
    expect(await sqlstate(adjust(buyer, '0.00'))).toBe('LXM03');
    expect(await sqlstate(adjust(buyer, '1.00', null))).toBe('LXM03');
    expect(await sqlstate(adjust(buyer, '1.00', ' '))).toBe('LXM03');
    expect(await sqlstate(adjust(buyer, '1.00', 'x'.repeat(501)))).toBe('LXM03');
    expect(await sqlstate(adjust(randomUUID(), '1.00'))).toBe('LXM02');
    expect(await sqlstate(adjust(buyer, '-10.01'))).toBe('LXM04');
    expect((await db.query(`SELECT count(*)::int AS n FROM ledger_transactions WHERE kind = 'ADJUSTMENT'`)).rows[0].n).toBe(before);
    expect((await balanceOf(db, buyer)).toFixed(2)).toBe('0.00');
    // exactly to the limit is allowed; a credit is never limited
    await adjust(buyer, '-10.00');
    await adjust(buyer, '1000000.00');
    expect((await balanceOf(db, buyer)).toFixed(2)).toBe('999990.00');
  });

  it('never lets concurrent debits break the credit limit', async () => {
    const buyer = await createBuyer(db, { creditLimit: '100.00' });
    const conns = await Promise.all(Array.from({ length: 10 }, () => connectTestDb()));
    try {
      const outcomes = await Promise.all(conns.map((c) => sqlstate(adjust(buyer, '-15.00', 'correction', c))));
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(6);
      expect(outcomes.filter((o) => o !== 'ok')).toEqual(Array(4).fill('LXM04'));
    } finally {
      await Promise.all(conns.map((c) => c.end()));
    }
    expect((await balanceOf(db, buyer)).toFixed(2)).toBe('-90.00');
    expect((await ledgerBalanceOf(db, buyer)).toFixed(2)).toBe('-90.00');
  });
});
