import { Client } from 'pg';
import {
  autoLead, connectTestDb, createTestBuyer, createTestCampaign, createTestSupplier, createTestVertical, insertPortalAdmin,
  insertPortalCampaign, insertPortalSoldLead, insertPortalUser, postJson, startExchange, startPortal,
} from '@leadex/testing';

describe('dispositions, notifications and the queue dashboard', () => {
  let db: Client;
  let portal: Awaited<ReturnType<typeof startPortal>>;
  let ex: Awaited<ReturnType<typeof startExchange>>;
  let admin: { email: string; password: string };
  let adminToken: string;

  beforeAll(async () => {
    db = await connectTestDb();
    portal = await startPortal();
    ex = await startExchange();
    admin = await insertPortalAdmin(db);
    adminToken = await portal.client.login(admin.email, admin.password);
  });
  afterAll(async () => {
    await ex?.app.close();
    await portal?.app.close();
    await db?.end();
  });

  it('lets a buyer report what became of its own leads, the latest report being the disposition', async () => {
    const supplierId = (await createTestSupplier(db)).id;
    const buyerId = await createTestBuyer(db);
    const campaignId = await insertPortalCampaign(db, { buyerId });
    const { leadId } = await insertPortalSoldLead(db, { supplierId, buyerId, campaignId, price: '10.00' });
    const user = await insertPortalUser(db, { role: 'BUYER', buyerId });
    const token = await portal.client.login(user.email, user.password);
    const record = `mutation($id: ID!, $d: Disposition!, $note: String) { recordDisposition(leadId: $id, disposition: $d, note: $note) { id disposition { disposition note } } }`;

    await portal.client.gqlOk(record, { id: leadId, d: 'CONTACTED' }, token);
    const latest = await portal.client.gqlOk(record, { id: leadId, d: 'CONVERTED', note: 'policy bound' }, token);
    expect(latest.recordDisposition).toEqual({ id: leadId, disposition: { disposition: 'CONVERTED', note: 'policy bound' } });
    expect((await db.query(`SELECT disposition FROM lead_dispositions WHERE lead_id = $1 ORDER BY id`, [leadId])).rows.map((r) => r.disposition)).toEqual([
      'CONTACTED', 'CONVERTED',
    ]);

    const stranger = await insertPortalUser(db, { role: 'BUYER', buyerId: await createTestBuyer(db) });
    const strangerToken = await portal.client.login(stranger.email, stranger.password);
    expect((await portal.client.gql(record, { id: leadId, d: 'BAD_DATA' }, strangerToken)).errors?.[0].extensions?.code).toBe('not_found');
    expect((await portal.client.gql(record, { id: leadId, d: 'BAD_DATA' }, adminToken)).errors?.[0].extensions?.code).toBe('forbidden');
    const long = await portal.client.gql(record, { id: leadId, d: 'BAD_DATA', note: 'x'.repeat(1001) }, token);
    expect(long.errors?.[0].extensions?.errors).toEqual([{ field: 'note', message: 'must be at most 1000 characters' }]);
  });

  it('tells the buyer once when a campaign reaches its cap, and emails go to the address it sets', async () => {
    const vertical = await createTestVertical(db);
    const supplier = await createTestSupplier(db);
    const buyerId = await createTestBuyer(db);
    const campaignId = await createTestCampaign(db, { buyerId, vertical, bid: '5.00', caps: [{ period: 'DAY', maxLeads: 2 }] });
    await ex.sync();
    const auth = { authorization: `Bearer ${supplier.apiKey}` };
    const statuses: string[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await postJson(`${ex.url}/v1/leads`, autoLead(vertical), auth)).body.status);
    expect(statuses).toEqual(['sold', 'sold', 'unsold']);

    const user = await insertPortalUser(db, { role: 'BUYER', buyerId });
    const token = await portal.client.login(user.email, user.password);
    const seen = await portal.client.gqlOk(`{ notifications { kind message data readAt } }`, {}, token);
    expect(seen.notifications).toEqual([
      { kind: 'CAP_REACHED', message: expect.stringContaining('reached its day cap'), data: expect.objectContaining({ campaignId, period: 'DAY', leads: 2 }), readAt: null },
    ]);

    // An operator reading the buyer's notice does not mark it read for the buyer; the buyer does.
    const ids = (await portal.client.gqlOk(`{ notifications(unreadOnly: true) { id } }`, {}, token)).notifications.map((n: { id: string }) => n.id);
    const mark = `mutation($ids: [ID!]!) { markNotificationsRead(ids: $ids) }`;
    expect((await portal.client.gqlOk(mark, { ids }, adminToken)).markNotificationsRead).toBe(0);
    expect((await portal.client.gqlOk(mark, { ids }, token)).markNotificationsRead).toBe(1);
    expect((await portal.client.gqlOk(`{ notifications(unreadOnly: true) { id } }`, {}, token)).notifications).toEqual([]);

    const set = `mutation($b: ID!, $e: String) { setNotificationEmail(buyerId: $b, email: $e) }`;
    expect((await portal.client.gqlOk(set, { b: buyerId, e: ' Ops@Example.com ' }, token)).setNotificationEmail).toBe('ops@example.com');
    expect((await db.query(`SELECT notify_email FROM buyers WHERE id = $1`, [buyerId])).rows[0].notify_email).toBe('ops@example.com');
    expect((await portal.client.gql(set, { b: buyerId, e: 'not-an-address' }, token)).errors?.[0].extensions?.errors?.[0].field).toBe('email');
    const other = await createTestBuyer(db);
    expect((await portal.client.gql(set, { b: other, e: 'a@example.com' }, token)).errors?.[0].extensions?.code).toBe('not_found');
  });

  it('shows operators the delivery queues behind ADMIN auth only', async () => {
    const page = `${portal.url}/admin/queues`;
    const anonymous = await fetch(page);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);

    const basic = `Basic ${Buffer.from(`${admin.email}:${admin.password}`).toString('base64')}`;
    const ui = await fetch(page, { headers: { authorization: basic } });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('<html');
    const api = await fetch(`${page}/api/queues`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(api.status).toBe(200);
    const listed = (await api.json()) as { queues: { name: string }[] };
    expect(listed.queues.map((q) => q.name)).toEqual(['deliveries']);

    const wrong = await fetch(page, { headers: { authorization: `Basic ${Buffer.from(`${admin.email}:nope`).toString('base64')}` } });
    expect(wrong.status).toBe(401);
    const buyer = await insertPortalUser(db, { role: 'BUYER', buyerId: await createTestBuyer(db) });
    const buyerToken = await portal.client.login(buyer.email, buyer.password);
    expect((await fetch(page, { headers: { authorization: `Bearer ${buyerToken}` } })).status).toBe(403);
  });
});
