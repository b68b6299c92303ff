import { Client } from 'pg';
import {
  autoLead, connectTestDb, createTestBuyer, createTestCampaign, createTestSupplier, createTestVertical, MockBuyer, postJson, startExchange,
  startMockBuyer,
} from '@leadex/testing';

describe('a buyer endpoint that keeps failing', () => {
  let db: Client;
  let ex: Awaited<ReturnType<typeof startExchange>>;
  let buyer: MockBuyer;

  beforeAll(async () => {
    process.env.CAMPAIGN_AUTO_PAUSE_FAILURES = '3';
    db = await connectTestDb();
    ex = await startExchange();
    buyer = await startMockBuyer({ mode: 'error500' });
  });
  afterAll(async () => {
    delete process.env.CAMPAIGN_AUTO_PAUSE_FAILURES;
    await ex.app.close();
    await buyer.close();
    await db.end();
  });

  it('is tracked, paused with the reason its buyer sees, and no longer pinged', async () => {
    const vertical = await createTestVertical(db);
    const auth = { authorization: `Bearer ${(await createTestSupplier(db)).apiKey}` };
    const buyerId = await createTestBuyer(db);
    const campaign = await createTestCampaign(db, { buyerId, vertical, bid: null, pingUrl: buyer.pingUrl });
    await ex.sync();
    for (let i = 0; i < 4; i++) await postJson(`${ex.url}/v1/ping`, autoLead(vertical), auth);

    let row: any;
    for (let i = 0; i < 40 && row?.status !== 'PAUSED'; i++) {
      await new Promise((r) => setTimeout(r, 100)); // health is written once a second
      row = (await db.query(`SELECT status, paused_reason FROM campaigns WHERE id = $1`, [campaign])).rows[0];
    }
    expect(row.status).toBe('PAUSED');
    expect(row.paused_reason).toMatch(/^Paused by the exchange: 4 failed answers in a row from your endpoint \(last: malformed: http 500\)/);
    const health = (await db.query(`SELECT pings, on_time, consecutive_failures FROM campaign_health WHERE campaign_id = $1`, [campaign])).rows[0];
    expect(health).toEqual({ pings: '4', on_time: '4', consecutive_failures: 4 });
    // ...and told to its buyer in the same statement
    const notices = await db.query(`SELECT kind, message, data FROM notifications WHERE buyer_id = $1`, [buyerId]);
    expect(notices.rows).toEqual([{ kind: 'CAMPAIGN_AUTO_PAUSED', message: expect.stringContaining(row.paused_reason), data: { campaignId: campaign } }]);

    await new Promise((r) => setTimeout(r, 200)); // the pause reaches the catalog by NOTIFY
    const pinged = buyer.pings.length;
    const res = await postJson(`${ex.url}/v1/ping`, autoLead(vertical), auth);
    expect(res.body.status).toBe('no_bid');
    expect(buyer.pings.length).toBe(pinged);
  });
});
