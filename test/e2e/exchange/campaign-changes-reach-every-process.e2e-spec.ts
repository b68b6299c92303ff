import { Client } from 'pg';
import { autoLead, connectTestDb, createTestBuyer, createTestCampaign, createTestSupplier, createTestVertical, postJson, startExchange } from '@leadex/testing';

/** No sync() here on purpose: the exchange must learn of changes by itself, through NOTIFY. */
describe('campaign changes reach the exchange within a second', () => {
  let db: Client;
  let ex: Awaited<ReturnType<typeof startExchange>>;
  let vertical: string;
  let auth: Record<string, string>;

  beforeAll(async () => {
    db = await connectTestDb();
    ex = await startExchange();
    vertical = await createTestVertical(db);
    const supplier = await createTestSupplier(db);
    auth = { authorization: `Bearer ${supplier.apiKey}` };
  });
  afterAll(async () => {
    await ex.app.close();
    await db.end();
  });

  async function statusWithin(ms: number, want: string): Promise<string> {
    const deadline = Date.now() + ms;
    let last = '';
    while (Date.now() < deadline) {
      last = (await postJson(`${ex.url}/v1/leads`, autoLead(vertical), auth)).body.status;
      if (last === want) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    return last;
  }

  it('starts buying when created, stops when paused, resumes, and follows a new bid', async () => {
    const buyer = await createTestBuyer(db);
    const campaign = await createTestCampaign(db, { buyerId: buyer, vertical, bid: '10.00' });
    expect(await statusWithin(1000, 'sold')).toBe('sold');

    await db.query(`UPDATE campaigns SET status = 'PAUSED' WHERE id = $1`, [campaign]);
    expect(await statusWithin(1000, 'unsold')).toBe('unsold');

    await db.query(`UPDATE campaigns SET status = 'ACTIVE', bid = 20.00 WHERE id = $1`, [campaign]);
    expect(await statusWithin(1000, 'sold')).toBe('sold');
    const res = await postJson(`${ex.url}/v1/leads`, autoLead(vertical), auth);
    expect(res.body).toMatchObject({ status: 'sold', price: '14.00' });
  });

  it('does not buy outside the campaign schedule', async () => {
    const v2 = await createTestVertical(db);
    const buyer = await createTestBuyer(db);
    // a window that is not open now: today and tomorrow (UTC) are excluded, so midnight cannot flip it
    const days = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
    const today = (new Date().getUTCDay() + 6) % 7;
    const closed = [days[today], days[(today + 1) % 7]];
    await createTestCampaign(db, {
      buyerId: buyer, vertical: v2, bid: '10.00',
      schedule: { timezone: 'UTC', windows: [{ days: days.filter((d) => !closed.includes(d)), start: '00:00', end: '24:00' }] },
    });
    await new Promise((r) => setTimeout(r, 300));
    const res = await postJson(`${ex.url}/v1/leads`, autoLead(v2), auth);
    expect(res.body.status).toBe('unsold');
  });
});
