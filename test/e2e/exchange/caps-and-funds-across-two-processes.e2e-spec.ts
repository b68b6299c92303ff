import { Client } from 'pg';
import {
  autoLead, connectTestDb, createTestBuyer, createTestCampaign, createTestSupplier, createTestVertical, postJson, spawnExchangeProcess,
  startExchange,
} from '@leadex/testing';

/**
 * 120 posts at once, split over two exchange processes, against a campaign capped at 5 and a
 * buyer whose credit allows 3 sales: PostgreSQL's conditional updates must hold both limits exactly.
 */
describe('caps and credit limits under concurrency, across two exchange processes', () => {
  let db: Client;
  let one: Awaited<ReturnType<typeof startExchange>>;
  let two: Awaited<ReturnType<typeof spawnExchangeProcess>>;
  let auth: Record<string, string>;
  let supplierId: string;

  beforeAll(async () => {
    db = await connectTestDb();
    [one, two] = await Promise.all([startExchange(), spawnExchangeProcess()]);
    const supplier = await createTestSupplier(db);
    supplierId = supplier.id;
    auth = { authorization: `Bearer ${supplier.apiKey}` };
  });
  afterAll(async () => {
    await Promise.all([one.app.close(), two.stop()]);
    await db.end();
  });

  async function flood(vertical: string, n: number) {
    await new Promise((r) => setTimeout(r, 300)); // the second process learns of the new campaign by NOTIFY
    await one.sync();
    return Promise.all(
      Array.from({ length: n }, (_, i) => postJson(`${i % 2 ? two.url : one.url}/v1/leads`, autoLead(vertical), auth)),
    );
  }

  it('never sells past a DAY cap of 5', async () => {
    const vertical = await createTestVertical(db);
    const buyer = await createTestBuyer(db);
    const campaign = await createTestCampaign(db, { buyerId: buyer, vertical, bid: '10.00', caps: [{ period: 'DAY', maxLeads: 5 }] });
    const results = await flood(vertical, 120);
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.filter((r) => r.body.status === 'sold')).toHaveLength(5);
    expect(results.filter((r) => r.body.status === 'unsold')).toHaveLength(115);
    const sales = await db.query(`SELECT count(*)::int AS n FROM sales WHERE campaign_id = $1`, [campaign]);
    expect(sales.rows[0].n).toBe(5);
    const counter = await db.query(`SELECT leads_count, spend FROM cap_counters WHERE campaign_id = $1`, [campaign]);
    expect(counter.rows).toEqual([{ leads_count: 5, spend: '50.00' }]);
  });

  it('falls through to the next bid when the winner is capped, and never past a credit limit', async () => {
    const vertical = await createTestVertical(db);
    const rich = await createTestBuyer(db, { creditLimit: '30.00' }); // 3 leads at 10.00
    const backup = await createTestBuyer(db);
    await createTestCampaign(db, { buyerId: rich, vertical, bid: '10.00' });
    await createTestCampaign(db, { buyerId: backup, vertical, bid: '4.00', caps: [{ period: 'TOTAL', maxLeads: 7 }] });
    const results = await flood(vertical, 60);
    const sold = results.filter((r) => r.body.status === 'sold');
    expect(sold).toHaveLength(10);
    expect(sold.filter((r) => r.body.price === '7.00')).toHaveLength(3); // 70% of 10.00
    expect(sold.filter((r) => r.body.price === '2.80')).toHaveLength(7); // 70% of 4.00
    const balance = await db.query(`SELECT balance FROM buyers WHERE id = $1`, [rich]);
    expect(balance.rows[0].balance).toBe('-30.00');
  });

  it('answers exactly one of twenty simultaneous copies as the original, the rest as duplicates', async () => {
    const vertical = await createTestVertical(db);
    await new Promise((r) => setTimeout(r, 300));
    await one.sync();
    const lead = autoLead(vertical, { state: 'CA' });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => postJson(`${i % 2 ? two.url : one.url}/v1/leads`, { ...lead, fields: { ...lead.fields } }, auth)),
    );
    expect(results.filter((r) => r.body.status === 'duplicate')).toHaveLength(19);
    expect(results.filter((r) => r.body.status === 'unsold')).toHaveLength(1);
    const stored = await db.query(`SELECT count(*)::int AS n FROM leads WHERE vertical_key = $1 AND supplier_id = $2`, [vertical, supplierId]);
    expect(stored.rows[0].n).toBe(20);
  });

  it('keeps every sale balanced in the ledger', async () => {
    const unbalanced = await db.query(
      `SELECT t.id FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
        JOIN sales s ON s.id = t.sale_id
        WHERE s.supplier_id = $1
        GROUP BY t.id HAVING sum(CASE WHEN e.direction = 'DEBIT' THEN e.amount ELSE -e.amount END) <> 0`,
      [supplierId],
    );
    expect(unbalanced.rows).toEqual([]);
    const orphanSales = await db.query(
      `SELECT s.id FROM sales s LEFT JOIN ledger_transactions t ON t.sale_id = s.id AND t.kind = 'SALE'
        WHERE t.id IS NULL AND s.supplier_id = $1`,
      [supplierId],
    );
    const sold = await db.query(`SELECT count(*)::int AS n FROM sales WHERE supplier_id = $1`, [supplierId]);
    expect(sold.rows[0].n).toBe(15); // 5 + 10 from the stories above: the check covered real sales
    expect(orphanSales.rows).toEqual([]);
  });
});
