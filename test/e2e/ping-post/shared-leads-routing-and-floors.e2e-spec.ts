import { Client } from 'pg';
import {
  autoLead, connectTestDb, createTestBuyer, createTestCampaign, createTestSupplier, createTestVertical, postJson, startExchange, startMockBuyer,
} from '@leadex/testing';

describe('shared leads, distribution modes and supplier floors', () => {
  let db: Client;
  let ex: Awaited<ReturnType<typeof startExchange>>;
  let supplier: { id: string; apiKey: string };
  let auth: Record<string, string>;

  beforeAll(async () => {
    db = await connectTestDb();
    ex = await startExchange();
    supplier = await createTestSupplier(db, { payoutPercent: '70' });
    auth = { authorization: `Bearer ${supplier.apiKey}` };
  });
  afterAll(async () => {
    await ex.app.close();
    await db.end();
  });

  const campaign = async (vertical: string, bid: string, o: Parameters<typeof createTestCampaign>[1] extends infer T ? Partial<T> : never = {}) =>
    createTestCampaign(db, { buyerId: await createTestBuyer(db), vertical, bid, ...o });
  const salesOf = async (leadId: string) =>
    (await db.query(`SELECT campaign_id, price, payout FROM sales WHERE lead_id = $1 ORDER BY price DESC`, [leadId])).rows;

  it('sells a lead to three buyers when together they pay more than the best exclusive bid', async () => {
    const vertical = await createTestVertical(db, { maxSales: 3 });
    await campaign(vertical, '20.00', { purchaseMode: 'EXCLUSIVE' });
    const a = await campaign(vertical, '9.00', { purchaseMode: 'SHARED' });
    const b = await campaign(vertical, '8.00', { purchaseMode: 'BOTH' });
    const c = await campaign(vertical, '7.50', { purchaseMode: 'SHARED' });
    await ex.sync();

    const lead = autoLead(vertical);
    const ping = await postJson(`${ex.url}/v1/ping`, lead, auth);
    expect(ping.body).toMatchObject({ status: 'bid', price: '17.15' }); // 6.30 + 5.60 + 5.25
    const res = await postJson(`${ex.url}/v1/post`, { ping_id: ping.body.ping_id, fields: lead.fields }, auth);
    expect(res.body).toEqual({ lead_id: expect.any(String), status: 'sold', price: '17.15', sales: 3 });
    expect(await salesOf(res.body.lead_id)).toEqual([
      { campaign_id: a, price: '9.00', payout: '6.30' },
      { campaign_id: b, price: '8.00', payout: '5.60' },
      { campaign_id: c, price: '7.50', payout: '5.25' },
    ]);
    // a replay answers the same, from what was stored once the set was sold
    const lead2 = autoLead(vertical);
    const key = { ...auth, 'idempotency-key': `k-${Date.now()}` };
    const first = await postJson(`${ex.url}/v1/leads`, lead2, key);
    const again = await postJson(`${ex.url}/v1/leads`, lead2, key);
    expect(first.body).toMatchObject({ status: 'sold', sales: 3, price: '17.15' });
    expect(again.body).toEqual(first.body);
  });

  it('backs a shared set up with the next buyer, never with a buyer who already bought the lead', async () => {
    const vertical = await createTestVertical(db, { maxSales: 2 });
    const buyerA = await createTestBuyer(db);
    const a1 = await createTestCampaign(db, { buyerId: buyerA, vertical, bid: '10.00', purchaseMode: 'SHARED' });
    await createTestCampaign(db, { buyerId: buyerA, vertical, bid: '9.50', purchaseMode: 'SHARED' });
    const refusing = await startMockBuyer({ acceptRate: 0 });
    try {
      await campaign(vertical, '9.00', { purchaseMode: 'SHARED', postUrl: refusing.postUrl });
      const c = await campaign(vertical, '5.00', { purchaseMode: 'SHARED' });
      await ex.sync();
      // the set is A (10.00) and the refusing buyer (9.00); its backup skips A's other campaign (9.50) for C
      const res = await postJson(`${ex.url}/v1/leads`, autoLead(vertical), auth);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'sold', sales: 2, price: '10.50' }); // 7.00 + 3.50
      expect((await salesOf(res.body.lead_id)).map((s: any) => s.campaign_id)).toEqual([a1, c]);
      expect(refusing.posts).toHaveLength(1);
    } finally {
      await refusing.close();
    }
  });

  it('sells exclusively when the best exclusive bid is worth more', async () => {
    const vertical = await createTestVertical(db, { maxSales: 3 });
    const x = await campaign(vertical, '30.00', { purchaseMode: 'EXCLUSIVE' });
    await campaign(vertical, '9.00', { purchaseMode: 'SHARED' });
    await campaign(vertical, '8.00', { purchaseMode: 'SHARED' });
    await ex.sync();
    const res = await postJson(`${ex.url}/v1/leads`, autoLead(vertical), auth);
    expect(res.body).toMatchObject({ status: 'sold', price: '21.00', sales: 1 });
    expect((await salesOf(res.body.lead_id)).map((s: any) => s.campaign_id)).toEqual([x]);
  });

  it('routes by priority on a PRIORITY vertical, whatever the price', async () => {
    const vertical = await createTestVertical(db, { distributionMode: 'PRIORITY' });
    await campaign(vertical, '30.00', { priority: 1 });
    const team = await campaign(vertical, '5.00', { priority: 9 });
    await ex.sync();
    const res = await postJson(`${ex.url}/v1/leads`, autoLead(vertical), auth);
    expect((await salesOf(res.body.lead_id)).map((s: any) => s.campaign_id)).toEqual([team]);
  });

  it('takes turns on a ROUND_ROBIN vertical', async () => {
    const vertical = await createTestVertical(db, { distributionMode: 'ROUND_ROBIN' });
    const one = await campaign(vertical, '10.00');
    const two = await campaign(vertical, '1.00');
    await ex.sync();
    const winners: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await postJson(`${ex.url}/v1/leads`, autoLead(vertical), auth);
      winners.push((await salesOf(res.body.lead_id))[0].campaign_id);
    }
    expect(winners.filter((w) => w === one)).toHaveLength(2);
    expect(winners.filter((w) => w === two)).toHaveLength(2);
  });

  it('honours the supplier floor for the vertical and min_price in the request', async () => {
    const vertical = await createTestVertical(db);
    await campaign(vertical, '10.00'); // pays the supplier 7.00
    await ex.sync();
    const tooHigh = await postJson(`${ex.url}/v1/leads`, autoLead(vertical, {}, { min_price: '7.01' }), auth);
    expect(tooHigh.body.status).toBe('unsold');
    const exact = await postJson(`${ex.url}/v1/leads`, autoLead(vertical, {}, { min_price: '7.00' }), auth);
    expect(exact.body).toMatchObject({ status: 'sold', price: '7.00' });

    await db.query(`INSERT INTO supplier_floors (supplier_id, vertical_key, min_payout) VALUES ($1, $2, '8.00')`, [supplier.id, vertical]);
    await new Promise((r) => setTimeout(r, 300)); // the floor reaches the exchange by NOTIFY
    const floored = await postJson(`${ex.url}/v1/ping`, autoLead(vertical), auth);
    expect(floored.body.status).toBe('no_bid');
    const bad = await postJson(`${ex.url}/v1/leads`, autoLead(vertical, {}, { min_price: '7.001' }), auth);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('min_price');
  });
});
