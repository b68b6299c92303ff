import { Client } from 'pg';
import {
  autoLead, connectTestDb, createTestBuyer, createTestCampaign, createTestSupplier, createTestVertical, MockBuyer, MOCK_BUYER_XML_TEMPLATE,
  postJson, startExchange, startMockBuyer,
} from '@leadex/testing';

const PII = ['first_name', 'last_name', 'email', 'phone', 'street_address', 'date_of_birth'];

/** Buyers' own endpoints bid and accept; none, however slow or broken, can delay or break an auction. */
describe('live buyers', () => {
  let db: Client;
  let ex: Awaited<ReturnType<typeof startExchange>>;
  let auth: Record<string, string>;
  const buyers: MockBuyer[] = [];
  const mock = async (opts: Parameters<typeof startMockBuyer>[0]) => {
    const b = await startMockBuyer(opts);
    buyers.push(b);
    return b;
  };

  beforeAll(async () => {
    db = await connectTestDb();
    ex = await startExchange();
    auth = { authorization: `Bearer ${(await createTestSupplier(db, { payoutPercent: '70' })).apiKey}` };
  });
  afterAll(async () => {
    await ex.app.close();
    await Promise.all(buyers.map((b) => b.close()));
    await db.end();
  });

  async function liveCampaign(vertical: string, b: MockBuyer, opts: { timeoutMs?: number; template?: Record<string, unknown>; post?: boolean } = {}) {
    const buyerId = await createTestBuyer(db);
    const id = await createTestCampaign(db, {
      buyerId, vertical, bid: null, pingUrl: b.pingUrl, postUrl: opts.post === false ? undefined : b.postUrl, timeoutMs: opts.timeoutMs, template: opts.template,
    });
    return { id, buyerId };
  }

  const timeline = async (column: 'lead_id' | 'ping_id', id: string) => {
    for (let i = 0; i < 40; i++) {
      const { rows } = await db.query(`SELECT campaign_id, kind, outcome, latency_ms, price FROM lead_events WHERE ${column} = $1 ORDER BY id`, [id]);
      if (rows.length) return rows;
      await new Promise((r) => setTimeout(r, 25)); // events are written just after the answer
    }
    return [];
  };

  it('answers by the deadline whatever the buyers do, and takes the best on-time bid', async () => {
    const vertical = await createTestVertical(db);
    const hanging = await liveCampaign(vertical, await mock({ mode: 'hang' }), { timeoutMs: 300 });
    const slow = await liveCampaign(vertical, await mock({ latencyMs: 2000, bid: '50.00' }), { timeoutMs: 500 });
    const broken = await liveCampaign(vertical, await mock({ mode: 'malformed' }));
    const failing = await liveCampaign(vertical, await mock({ mode: 'error500' }));
    const stalling = await liveCampaign(vertical, await mock({ mode: 'headers-then-stall' }), { timeoutMs: 400 });
    const good = await liveCampaign(vertical, await mock({ latencyMs: 20, bid: '15.00' }));
    await ex.sync();

    const started = Date.now();
    const res = await postJson(`${ex.url}/v1/ping`, autoLead(vertical), auth);
    const took = Date.now() - started;
    expect(res.body).toMatchObject({ status: 'bid', price: '10.50' }); // 70% of the good buyer's 15.00
    expect(took).toBeLessThan(750 + 500); // the exchange deadline, with generous slack for a loaded machine

    const events = await timeline('ping_id', res.body.ping_id);
    const outcome = Object.fromEntries(events.map((e) => [e.campaign_id, e.outcome]));
    expect(outcome).toEqual({
      [hanging.id]: 'timeout',
      [slow.id]: 'timeout',
      [broken.id]: 'malformed',
      [failing.id]: 'malformed',
      [stalling.id]: 'timeout',
      [good.id]: 'bid',
    });
  });

  it('never sends PII in a ping, even for a direct post, and sends the full lead in the post', async () => {
    const vertical = await createTestVertical(db);
    const buyer = await mock({ bid: '12.00' });
    await liveCampaign(vertical, buyer);
    await ex.sync();
    const lead = autoLead(vertical, { street_address: '1 Ocean Dr', date_of_birth: '1990-01-01' });
    const res = await postJson(`${ex.url}/v1/leads`, lead, auth);
    expect(res.body).toMatchObject({ status: 'sold', price: '8.40', sales: 1 });
    expect(buyer.pings).toHaveLength(1);
    const pinged = buyer.pings[0].json as any;
    for (const f of PII) expect(pinged.fields).not.toHaveProperty(f);
    expect(JSON.stringify(pinged)).not.toContain(lead.fields.email);
    expect(buyer.posts).toHaveLength(1);
    expect(buyer.posts[0].json).toMatchObject({
      lead_id: res.body.lead_id, price: '12.00', vertical, fields: { email: lead.fields.email, phone: lead.fields.phone, street_address: '1 Ocean Dr' },
    });
  });

  it('falls down the waterfall when the winner refuses the post, and gives its hold back', async () => {
    const vertical = await createTestVertical(db);
    const refuser = await liveCampaign(vertical, await mock({ bid: '30.00', acceptRate: 0 }));
    const fixedBuyer = await createTestBuyer(db);
    const fixed = await createTestCampaign(db, { buyerId: fixedBuyer, vertical, bid: '10.00' });
    await db.query(`UPDATE campaigns SET caps = '[{"period":"DAY","maxLeads":5}]' WHERE id = $1`, [refuser.id]);
    await ex.sync();

    const lead = autoLead(vertical);
    const p = await postJson(`${ex.url}/v1/ping`, lead, auth);
    expect(p.body).toMatchObject({ status: 'bid', price: '21.00' });
    const res = await postJson(`${ex.url}/v1/post`, { ping_id: p.body.ping_id, fields: lead.fields }, auth);
    expect(res.body).toEqual({ lead_id: expect.any(String), status: 'sold', price: '7.00', sales: 1 }); // what was actually paid

    const sale = await db.query(`SELECT campaign_id, status FROM sales WHERE lead_id = $1`, [res.body.lead_id]);
    expect(sale.rows).toEqual([{ campaign_id: fixed, status: 'SOLD' }]);
    const refuserState = await db.query(
      `SELECT b.balance, coalesce((SELECT leads_count FROM cap_counters WHERE campaign_id = $2), 0) AS counted FROM buyers b WHERE b.id = $1`,
      [refuser.buyerId, refuser.id],
    );
    expect(refuserState.rows[0]).toEqual({ balance: '0.00', counted: 0 });
    const events = await timeline('lead_id', res.body.lead_id);
    expect(events.map((e) => [e.campaign_id, e.kind, e.outcome])).toEqual([
      [refuser.id, 'post', 'rejected'],
      [refuser.id, 'sale', 'buyer_refused'],
    ]);

    // the supplier sees its lead's timeline, ping included, without buyer identities or bids
    const own: any = await (await fetch(`${ex.url}/v1/leads/${res.body.lead_id}`, { headers: auth })).json();
    expect(own.timeline.map((e: any) => [e.kind, e.outcome])).toEqual([
      ['ping', 'bid'],
      ['post', 'rejected'],
      ['sale', 'buyer_refused'],
      ['sale', 'sold'],
    ]);
    expect(JSON.stringify(own.timeline)).not.toContain(refuser.id);
  });

  it('integrates a buyer with its own XML format through a template', async () => {
    const vertical = await createTestVertical(db);
    const xmlBuyer = await mock({ bid: '11.11', format: 'xml' });
    await liveCampaign(vertical, xmlBuyer, { template: MOCK_BUYER_XML_TEMPLATE });
    await ex.sync();
    const res = await postJson(`${ex.url}/v1/leads`, autoLead(vertical), auth);
    expect(res.body).toMatchObject({ status: 'sold', price: '7.78', sales: 1 }); // 70% of 11.11 = 7.777
    expect(xmlBuyer.pings[0].body).toContain('<zip>33101</zip>');
  });
});
