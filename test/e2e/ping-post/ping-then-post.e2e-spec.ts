import { Client } from 'pg';
import {
  autoLead, connectTestDb, createTestBuyer, createTestCampaign, createTestSupplier, createTestVertical, postJson, startExchange,
} from '@leadex/testing';

const PII = ['first_name', 'last_name', 'email', 'phone', 'street_address', 'date_of_birth'];

describe('POST /v1/ping then POST /v1/post', () => {
  let db: Client;
  let ex: Awaited<ReturnType<typeof startExchange>>;
  let vertical: string;
  let auth: Record<string, string>;

  beforeAll(async () => {
    db = await connectTestDb();
    ex = await startExchange();
    vertical = await createTestVertical(db);
    const supplier = await createTestSupplier(db, { payoutPercent: '70' });
    auth = { authorization: `Bearer ${supplier.apiKey}` };
    await createTestCampaign(db, { buyerId: await createTestBuyer(db), vertical, bid: '9.25', filters: [{ field: 'state', op: 'EQ', value: 'FL' }] });
    await ex.sync();
  });
  afterAll(async () => {
    await ex.app.close();
    await db.end();
  });

  const ping = (lead: ReturnType<typeof autoLead>, extra: Record<string, string> = {}) => postJson(`${ex.url}/v1/ping`, lead, { ...auth, ...extra });
  const post = (body: unknown) => postJson(`${ex.url}/v1/post`, body, auth);

  it('answers a ping with the payout and an expiry, keeping no PII', async () => {
    const lead = autoLead(vertical);
    const res = await ping(lead);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ping_id: expect.any(String), status: 'bid', price: '6.48', expires_at: expect.any(String) }); // 70% of 9.25 = 6.475, half-even → 6.48
    const ttl = new Date(res.body.expires_at).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(100_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
    const stored = await db.query(`SELECT fields FROM ping_offers WHERE id = $1`, [res.body.ping_id]);
    for (const f of PII) expect(stored.rows[0].fields).not.toHaveProperty(f);
    expect(stored.rows[0].fields).toMatchObject({ zip: '33101', state: 'FL', age: 34 });
  });

  it('answers no_bid when nobody wants the lead', async () => {
    const res = await ping(autoLead(vertical, { state: 'OR' }));
    expect(res.body).toEqual({ ping_id: expect.any(String), status: 'no_bid', expires_at: expect.any(String) });
  });

  it('sells the post at the pinged price and links the lead to its ping', async () => {
    const lead = autoLead(vertical);
    const p = await ping(lead);
    const res = await post({ ping_id: p.body.ping_id, fields: lead.fields, consent: lead.consent });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ lead_id: expect.any(String), status: 'sold', price: '6.48', sales: 1 });
    const row = await db.query(`SELECT ping_id, status, fields->>'phone' AS phone FROM leads WHERE id = $1`, [res.body.lead_id]);
    expect(row.rows[0]).toEqual({ ping_id: p.body.ping_id, status: 'sold', phone: lead.fields.phone });
    const again = await post({ ping_id: p.body.ping_id, fields: lead.fields });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('conflict');
  });

  it('answers mismatch when a non-PII field differs from the ping, and stores the lead as such', async () => {
    const lead = autoLead(vertical);
    const p = await ping(lead);
    const res = await post({ ping_id: p.body.ping_id, fields: { ...lead.fields, age: 35 } });
    expect(res.body).toEqual({ lead_id: expect.any(String), status: 'mismatch', sales: 0 });
    const row = await db.query(`SELECT status FROM leads WHERE id = $1`, [res.body.lead_id]);
    expect(row.rows[0].status).toBe('mismatch');
    expect((await db.query(`SELECT count(*)::int AS n FROM sales WHERE lead_id = $1`, [res.body.lead_id])).rows[0].n).toBe(0);
  });

  it('answers expired after expires_at', async () => {
    const lead = autoLead(vertical);
    const p = await ping(lead);
    await db.query(`UPDATE ping_offers SET expires_at = now() - interval '1 second' WHERE id = $1`, [p.body.ping_id]);
    const res = await post({ ping_id: p.body.ping_id, fields: lead.fields });
    expect(res.body).toEqual({ lead_id: expect.any(String), status: 'expired', sales: 0 });
  });

  it('refuses a post of another supplier’s ping and a post with bad fields', async () => {
    const lead = autoLead(vertical);
    const p = await ping(lead);
    const other = await createTestSupplier(db);
    const theirs = await postJson(`${ex.url}/v1/post`, { ping_id: p.body.ping_id, fields: lead.fields }, { authorization: `Bearer ${other.apiKey}` });
    expect(theirs.status).toBe(404);
    const bad = await post({ ping_id: p.body.ping_id, fields: { ...lead.fields, email: 'nope' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'fields.email', message: expect.any(String) }]);
  });

  it('drops PII sent in a ping without refusing it', async () => {
    const res = await ping(autoLead(vertical, { email: 'not even valid' }));
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('bid');
  });
});
