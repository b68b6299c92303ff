import { Client } from 'pg';
import {
  autoLead, connectTestDb, createTestBuyer, createTestCampaign, createTestSupplier, createTestVertical, eventually, insertPortalAdmin,
  insertPortalUser, OwnTestDatabase, postJson, spawnDeliveryWorker, startExchange, startPortal, startWebhookReceiver, useOwnTestDatabase,
  WebhookReceiver,
} from '@leadex/testing';

/** Fast retries so a day of backoff fits in a test; the policy itself is a unit spec. */
const WORKER_ENV = {
  DELIVERY_BACKOFF_BASE_MS: '100',
  DELIVERY_BACKOFF_MAX_MS: '300',
  DELIVERY_RELAY_INTERVAL_MS: '50',
  DELIVERY_RETRY_WINDOW_MS: '2500',
};

describe('webhook delivery of sold leads', () => {
  let ownDb: OwnTestDatabase;
  let db: Client;
  let ex: Awaited<ReturnType<typeof startExchange>>;
  let portal: Awaited<ReturnType<typeof startPortal>>;
  let worker: Awaited<ReturnType<typeof spawnDeliveryWorker>>;
  let vertical: string;
  let supplier: { id: string; apiKey: string };
  let auth: Record<string, string>;
  const receivers: WebhookReceiver[] = [];

  const receiver = async (opts: Parameters<typeof startWebhookReceiver>[0] = {}) => {
    const r = await startWebhookReceiver(opts);
    receivers.push(r);
    return r;
  };
  const delivery = async (leadId: string, kind = 'LEAD') =>
    (await db.query(`SELECT * FROM deliveries WHERE lead_id = $1 AND kind = $2`, [leadId, kind])).rows[0];
  const sellOne = async (state: string) => {
    const res = await postJson(`${ex.url}/v1/leads`, autoLead(vertical, { state }), auth);
    expect(res.body).toMatchObject({ status: 'sold' });
    return res.body.lead_id as string;
  };

  beforeAll(async () => {
    // Its own database and queue: no other suite's worker takes its deliveries, nor its worker theirs.
    ownDb = await useOwnTestDatabase();
    db = await connectTestDb();
    ex = await startExchange();
    portal = await startPortal();
    worker = await spawnDeliveryWorker(WORKER_ENV);
    vertical = await createTestVertical(db);
    supplier = await createTestSupplier(db);
    auth = { authorization: `Bearer ${supplier.apiKey}` };
  });
  afterAll(async () => {
    if (process.env.SHOW_WORKER_OUTPUT) console.log(worker?.output());
    await worker?.stop();
    await Promise.all(receivers.map((r) => r.close()));
    await portal?.app.close();
    await ex?.app.close();
    await db?.end();
    await ownDb?.drop();
  });

  it('retries a CRM that fails three times, then delivers, every try with the same Idempotency-Key, each attempt logged', async () => {
    const crm = await receiver({ failFirst: 3 });
    const buyerId = await createTestBuyer(db);
    await createTestCampaign(db, {
      buyerId, vertical, bid: '12.50', filters: [{ field: 'state', op: 'EQ', value: 'FL' }],
      delivery: { method: 'WEBHOOK', url: crm.url, headers: { Authorization: 'Bearer crm-secret' } },
    });
    await ex.sync();
    const leadId = await sellOne('FL');

    const done = await eventually(async () => {
      const d = await delivery(leadId);
      return d?.status === 'DELIVERED' && d;
    }, 20_000, 'the delivery');
    expect(done.attempts).toBe(4);
    expect(crm.received).toHaveLength(4);
    expect(new Set(crm.received.map((r) => r.headers['idempotency-key']))).toEqual(new Set([done.id]));
    expect(crm.received[3].headers.authorization).toBe('Bearer crm-secret');
    // The contract's buyer post: the whole lead, personal data included, and the price.
    expect(crm.received[3].json).toMatchObject({ lead_id: leadId, vertical, price: '12.50', ping_id: null, fields: { state: 'FL', first_name: 'Ana' } });
    expect(crm.received[3].json.fields.phone).toMatch(/^\+1305/);

    const attempts = await db.query(`SELECT attempt, outcome, status_code, response_snippet FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id`, [done.id]);
    expect(attempts.rows).toEqual([
      { attempt: 1, outcome: 'FAILED', status_code: 500, response_snippet: '{"error":"crm unavailable"}' },
      { attempt: 2, outcome: 'FAILED', status_code: 500, response_snippet: '{"error":"crm unavailable"}' },
      { attempt: 3, outcome: 'FAILED', status_code: 500, response_snippet: '{"error":"crm unavailable"}' },
      { attempt: 4, outcome: 'DELIVERED', status_code: 200, response_snippet: '{"ok":true}' },
    ]);
    // Backoff: each wait at least half the (doubling, capped) delay.
    const gaps = crm.received.slice(1).map((r, i) => r.at - crm.received[i].at);
    expect(gaps[0]).toBeGreaterThanOrEqual(50);
    expect(gaps[1]).toBeGreaterThanOrEqual(100);
  });

  it('counts a 2xx as delivered however long the answer, and keeps only its start', async () => {
    const page = `<html>${'x'.repeat(200_000)}</html>`;
    const crm = await receiver({ answerBody: page });
    const buyerId = await createTestBuyer(db);
    await createTestCampaign(db, {
      buyerId, vertical, bid: '9.00', filters: [{ field: 'state', op: 'EQ', value: 'NV' }], delivery: { method: 'WEBHOOK', url: crm.url },
    });
    await ex.sync();
    const leadId = await sellOne('NV');
    const done = await eventually(async () => {
      const d = await delivery(leadId);
      return d?.status === 'DELIVERED' && d;
    }, 20_000, 'the delivery');
    const attempt = await db.query(`SELECT status_code, response_snippet FROM delivery_attempts WHERE delivery_id = $1`, [done.id]);
    expect(attempt.rows).toEqual([{ status_code: 200, response_snippet: page.slice(0, 500) }]);
  });

  it('maps the body with the campaign template', async () => {
    const crm = await receiver();
    const buyerId = await createTestBuyer(db);
    await createTestCampaign(db, {
      buyerId, vertical, bid: '11.00', filters: [{ field: 'state', op: 'EQ', value: 'GA' }],
      delivery: { method: 'WEBHOOK', url: crm.url, template: { postRequest: '{"Phone": fields.phone, "LeadRef": lead_id, "Cost": price}' } },
    });
    await ex.sync();
    const leadId = await sellOne('GA');
    await crm.waitFor(1);
    expect(crm.received[0].json).toEqual({ Phone: expect.stringMatching(/^\+1305/), LeadRef: leadId, Cost: '11.00' });
  });

  it('marks a delivery FAILED when the retry window ends, tells the buyer, and redeliver gets it through', async () => {
    const crm = await receiver({ status: 503 });
    const buyerId = await createTestBuyer(db);
    const buyerUser = await insertPortalUser(db, { role: 'BUYER', buyerId });
    const other = await insertPortalUser(db, { role: 'BUYER', buyerId: await createTestBuyer(db) });
    await createTestCampaign(db, {
      buyerId, vertical, bid: '10.00', filters: [{ field: 'state', op: 'EQ', value: 'TX' }],
      delivery: { method: 'WEBHOOK', url: crm.url },
    });
    await ex.sync();
    const leadId = await sellOne('TX');
    const failed = await eventually(async () => {
      const d = await delivery(leadId);
      return d?.status === 'FAILED' && d;
    }, 20_000, 'the delivery to fail');
    expect(failed.attempts).toBeGreaterThanOrEqual(3);
    expect(failed.last_error).toBe('HTTP 503');

    const token = await portal.client.login(buyerUser.email, buyerUser.password);
    const seen = await portal.client.gqlOk(
      `query($id: ID!) { lead(id: $id) { delivery { id status attempts lastError attemptLog { attempt outcome statusCode } } }
                         notifications(unreadOnly: true) { id kind message data } deliveries(status: FAILED) { id leadId } }`,
      { id: leadId }, token,
    );
    expect(seen.lead.delivery).toMatchObject({ id: failed.id, status: 'FAILED', lastError: 'HTTP 503' });
    expect(seen.lead.delivery.attemptLog[0]).toEqual({ attempt: 1, outcome: 'FAILED', statusCode: 503 });
    expect(seen.deliveries).toEqual([{ id: failed.id, leadId }]);
    const notice = seen.notifications.find((n: any) => n.kind === 'DELIVERY_FAILED');
    expect(notice.message).toContain(leadId);
    expect(notice.data).toMatchObject({ deliveryId: failed.id, leadId });

    // Another buyer can neither see nor redeliver it.
    const otherToken = await portal.client.login(other.email, other.password);
    const denied = await portal.client.gql(`mutation($id: ID!) { redeliver(leadId: $id) }`, { id: leadId }, otherToken);
    expect(denied.errors?.[0].extensions?.code).toBe('not_found');
    const otherNotices = await portal.client.gqlOk(`{ notifications { id } }`, {}, otherToken);
    expect(otherNotices.notifications).toEqual([]);

    crm.configure({ status: 200 });
    const before = crm.received.length;
    expect((await portal.client.gqlOk(`mutation($id: ID!) { redeliver(leadId: $id) }`, { id: leadId }, token)).redeliver).toBe(true);
    await eventually(async () => (await delivery(leadId))?.status === 'DELIVERED', 20_000, 'the redelivery');
    expect(crm.received.length).toBe(before + 1);
    expect(crm.received.at(-1)!.headers['idempotency-key']).toBe(failed.id);

    const read = await portal.client.gqlOk(`mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) }`, { ids: [notice.id] }, token);
    expect(read.markNotificationsRead).toBe(1);
  });

  it("posts the supplier's postbacks when its lead is sold, and when it is returned", async () => {
    const postbacks = await receiver();
    const admin = await insertPortalAdmin(db);
    const adminToken = await portal.client.login(admin.email, admin.password);
    const seller = await createTestSupplier(db);
    await portal.client.gqlOk(`mutation($id: ID!, $url: String) { setSupplierPostbackUrl(supplierId: $id, url: $url) { postbackUrl } }`, { id: seller.id, url: postbacks.url }, adminToken);
    const buyerId = await createTestBuyer(db);
    await createTestCampaign(db, { buyerId, vertical, bid: '20.00', filters: [{ field: 'state', op: 'EQ', value: 'AZ' }] });
    await ex.sync();
    const res = await postJson(`${ex.url}/v1/leads`, autoLead(vertical, { state: 'AZ' }, { external_id: 'ext-77' }), { authorization: `Bearer ${seller.apiKey}` });
    expect(res.body.status).toBe('sold');
    await postbacks.waitFor(1);
    expect(postbacks.received[0].json).toEqual({
      event: 'sold', lead_id: res.body.lead_id, external_id: 'ext-77', sub_id: 'sub-1', vertical, payout: '14.00', sold_at: expect.any(String),
    });
    expect(postbacks.received[0].headers['x-leadex-event']).toBe('lead.sold');
    // A campaign delivering by NONE has no lead delivery; only the postback was written.
    expect(await delivery(res.body.lead_id)).toBeUndefined();
    await eventually(async () => (await delivery(res.body.lead_id, 'POSTBACK'))?.status === 'DELIVERED', 10_000, 'the postback to be recorded');

    // The buyer returns the lead and the operator approves: the supplier is told that too.
    const buyerUser = await insertPortalUser(db, { role: 'BUYER', buyerId });
    const buyerToken = await portal.client.login(buyerUser.email, buyerUser.password);
    const asked = await portal.client.gqlOk(
      `mutation($id: ID!) { requestReturn(leadId: $id, reason: INVALID_PHONE) { id status } }`, { id: res.body.lead_id }, buyerToken,
    );
    await portal.client.gqlOk(`mutation($id: ID!) { decideReturn(id: $id, approve: true) { status } }`, { id: asked.requestReturn.id }, adminToken);
    await postbacks.waitFor(2);
    expect(postbacks.received[1].json).toMatchObject({ event: 'returned', lead_id: res.body.lead_id, external_id: 'ext-77', payout: '14.00' });
    expect(postbacks.received[1].headers['x-leadex-event']).toBe('lead.returned');
  });

  it('refuses a bad delivery config by name when a campaign is saved', async () => {
    const buyerUser = await insertPortalUser(db, { role: 'BUYER', buyerId: await createTestBuyer(db) });
    const token = await portal.client.login(buyerUser.email, buyerUser.password);
    const bad = await portal.client.gql(
      `mutation($input: CampaignInput!) { createCampaign(input: $input) { id } }`,
      { input: { name: 'x', vertical, bid: '5.00', delivery: { method: 'WEBHOOK', headers: { 'Idempotency-Key': 'mine' } } } },
      token,
    );
    const fields = bad.errors?.[0].extensions?.errors?.map((e: any) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['input.delivery.url', 'input.delivery.headers.Idempotency-Key']));
    const ok = await portal.client.gqlOk(
      `mutation($input: CampaignInput!) { createCampaign(input: $input) { delivery { method email } } }`,
      { input: { name: 'reps', vertical, bid: '5.00', delivery: { method: 'EMAIL', email: 'Reps@Example.com' } } },
      token,
    );
    expect(ok.createCampaign.delivery).toEqual({ method: 'EMAIL', email: 'reps@example.com' });
  });
});
