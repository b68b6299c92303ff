import { Client } from 'pg';
import {
  autoLead, connectTestDb, createTestBuyer, createTestCampaign, createTestSupplier, createTestVertical, postJson, startExchange,
} from '@leadex/testing';

describe('POST /v1/leads — a lead sold end to end', () => {
  let db: Client;
  let ex: Awaited<ReturnType<typeof startExchange>>;
  let vertical: string;
  let supplier: { id: string; apiKey: string };
  let auth: Record<string, string>;
  let floridaCampaign: string;
  let texasCampaign: string;
  let buyerFl: string;

  beforeAll(async () => {
    db = await connectTestDb();
    ex = await startExchange();
    vertical = await createTestVertical(db);
    supplier = await createTestSupplier(db, { payoutPercent: '70' });
    auth = { authorization: `Bearer ${supplier.apiKey}` };
    buyerFl = await createTestBuyer(db);
    const buyerTx = await createTestBuyer(db);
    floridaCampaign = await createTestCampaign(db, {
      buyerId: buyerFl, vertical, bid: '12.50', filters: [{ field: 'state', op: 'EQ', value: 'FL' }, { field: 'age', op: 'BETWEEN', value: [25, 60] }],
    });
    texasCampaign = await createTestCampaign(db, { buyerId: buyerTx, vertical, bid: '20.00', filters: [{ field: 'state', op: 'IN', value: ['TX'] }] });
    await ex.sync();
  });
  afterAll(async () => {
    await ex.app.close();
    await db.end();
  });

  it('sells to the matching campaign and pays the supplier 70% rounded half-even', async () => {
    const res = await postJson(`${ex.url}/v1/leads`, autoLead(vertical), auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ lead_id: expect.any(String), status: 'sold', price: '8.75', sales: 1 });
    const sale = await db.query(`SELECT campaign_id, buyer_id, price, payout, margin FROM sales WHERE lead_id = $1`, [res.body.lead_id]);
    expect(sale.rows).toEqual([{ campaign_id: floridaCampaign, buyer_id: buyerFl, price: '12.50', payout: '8.75', margin: '3.75' }]);
    const entries = await db.query(
      `SELECT e.account_type, e.direction, e.amount FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
        WHERE t.lead_id = $1 ORDER BY e.account_type`,
      [res.body.lead_id],
    );
    expect(entries.rows).toEqual([
      { account_type: 'BUYER', direction: 'DEBIT', amount: '12.50' },
      { account_type: 'EXCHANGE_REVENUE', direction: 'CREDIT', amount: '3.75' },
      { account_type: 'SUPPLIER', direction: 'CREDIT', amount: '8.75' },
    ]);
  });

  it('routes a Texas lead to the Texas campaign at its price', async () => {
    const res = await postJson(`${ex.url}/v1/leads`, autoLead(vertical, { state: 'tx' }), auth);
    expect(res.body).toMatchObject({ status: 'sold', price: '14.00', sales: 1 });
    const sale = await db.query(`SELECT campaign_id FROM sales WHERE lead_id = $1`, [res.body.lead_id]);
    expect(sale.rows[0].campaign_id).toBe(texasCampaign);
  });

  it('answers unsold when no campaign wants the lead, and stores it', async () => {
    const res = await postJson(`${ex.url}/v1/leads`, autoLead(vertical, { state: 'CA' }), auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ lead_id: expect.any(String), status: 'unsold', sales: 0 });
    const lead = await db.query(`SELECT status FROM leads WHERE id = $1`, [res.body.lead_id]);
    expect(lead.rows[0].status).toBe('unsold');
  });

  it('answers duplicate for the same phone in another format, and stores it', async () => {
    const first = autoLead(vertical, { state: 'CA', phone: '(305) 444-0199' });
    await postJson(`${ex.url}/v1/leads`, first, auth);
    const again = autoLead(vertical, { state: 'CA', phone: '3054440199' });
    const res = await postJson(`${ex.url}/v1/leads`, again, auth);
    expect(res.body).toEqual({ lead_id: expect.any(String), status: 'duplicate', sales: 0 });
    const lead = await db.query(`SELECT status, duplicate_of IS NOT NULL AS has_original, fields->>'phone' AS phone FROM leads WHERE id = $1`, [res.body.lead_id]);
    expect(lead.rows[0]).toEqual({ status: 'duplicate', has_original: true, phone: '+13054440199' });
  });

  it('lets the supplier read its own lead and nobody else', async () => {
    const res = await postJson(`${ex.url}/v1/leads`, autoLead(vertical), auth);
    const own = await fetch(`${ex.url}/v1/leads/${res.body.lead_id}`, { headers: auth });
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ lead_id: res.body.lead_id, status: 'sold', price: '8.75', sales: 1 });
    const other = await createTestSupplier(db);
    const theirs = await fetch(`${ex.url}/v1/leads/${res.body.lead_id}`, { headers: { authorization: `Bearer ${other.apiKey}` } });
    expect(theirs.status).toBe(404);
  });
});
