import { Client } from 'pg';
import { autoLead, connectTestDb, createTestVertical, insertPortalAdmin, PortalClient, postJson, startExchange, startPortal, uniq } from '@leadex/testing';

/**
 * The story of the issue, as a new user lives it: an operator sets up a supplier and a buyer in
 * GraphQL, the buyer creates a campaign, the supplier direct-posts leads, the buyer lists what it bought.
 */
describe('a lead sold end to end, through both apps', () => {
  let db: Client;
  let ex: Awaited<ReturnType<typeof startExchange>>;
  let portal: Awaited<ReturnType<typeof startPortal>>;
  let gql: PortalClient;
  let vertical: string;

  beforeAll(async () => {
    db = await connectTestDb();
    [ex, portal] = await Promise.all([startExchange(), startPortal()]);
    gql = portal.client;
    vertical = await createTestVertical(db);
  });
  afterAll(async () => {
    await Promise.all([ex.app.close(), portal.app.close()]);
    await db.end();
  });

  async function leadStatusWithin(ms: number, want: string, body: () => object, auth: Record<string, string>) {
    const deadline = Date.now() + ms;
    let res;
    do {
      res = await postJson(`${ex.url}/v1/leads`, body(), auth);
      if (res.body.status === want) break;
      await new Promise((r) => setTimeout(r, 50));
    } while (Date.now() < deadline);
    return res;
  }

  it('operator → supplier and buyer; buyer → campaign; supplier → leads; buyer → its leads with PII', async () => {
    const admin = await insertPortalAdmin(db);
    const adminToken = await gql.login(admin.email, admin.password);

    const { createSupplier } = await gql.gqlOk(
      `mutation($i: CreateSupplierInput!) { createSupplier(input: $i) { supplier { id name } apiKey } }`,
      { i: { name: uniq('Acme Leads') } },
      adminToken,
    );
    const supplierAuth = { authorization: `Bearer ${createSupplier.apiKey}` };
    const { createBuyer } = await gql.gqlOk(
      `mutation($i: CreateBuyerInput!) { createBuyer(input: $i) { id name balance creditLimit } }`,
      { i: { name: uniq('Sunshine Insurance'), creditLimit: '100.00' } },
      adminToken,
    );
    expect(createBuyer).toMatchObject({ balance: '0.00', creditLimit: '100.00' });
    const buyerEmail = `${uniq('buyer')}@example.test`;
    await gql.gqlOk(
      `mutation($i: CreateUserInput!) { createUser(input: $i) { id role buyerId } }`,
      { i: { email: buyerEmail, password: 'correct horse battery', role: 'BUYER', buyerId: createBuyer.id } },
      adminToken,
    );

    const buyerToken = await gql.login(buyerEmail, 'correct horse battery');
    const { createCampaign } = await gql.gqlOk(
      `mutation($i: CampaignInput!) { createCampaign(input: $i) { id status bid caps { period maxLeads } } }`,
      {
        i: {
          name: 'Florida auto', vertical, bid: '12.50',
          filters: [{ field: 'state', op: 'IN', value: ['FL'] }, { field: 'age', op: 'GTE', value: 21 }],
          caps: [{ period: 'DAY', maxLeads: 2 }],
          schedule: { timezone: 'America/New_York', windows: [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'], start: '00:00', end: '24:00' }] },
        },
      },
      buyerToken,
    );
    expect(createCampaign).toMatchObject({ status: 'ACTIVE', bid: '12.50', caps: [{ period: 'DAY', maxLeads: 2 }] });

    const first = await leadStatusWithin(1500, 'sold', () => autoLead(vertical), supplierAuth);
    expect(first.body).toMatchObject({ status: 'sold', price: '8.75', sales: 1 });
    const second = await postJson(`${ex.url}/v1/leads`, autoLead(vertical, { phone: '(305) 555-0123' }), supplierAuth);
    expect(second.body).toMatchObject({ status: 'sold', price: '8.75' });
    const capped = await postJson(`${ex.url}/v1/leads`, autoLead(vertical), supplierAuth);
    expect(capped.body.status).toBe('unsold');
    const texas = await postJson(`${ex.url}/v1/leads`, autoLead(vertical, { state: 'TX' }), supplierAuth);
    expect(texas.body.status).toBe('unsold');

    const { leads } = await gql.gqlOk(
      `{ leads(first: 10) { totalCount edges { cursor node { id vertical status price fields campaign { id } } } pageInfo { hasNextPage } } }`,
      {},
      buyerToken,
    );
    expect(leads.totalCount).toBe(2);
    expect(leads.edges.map((e: any) => e.node.id).sort()).toEqual([first.body.lead_id, second.body.lead_id].sort());
    const bought = leads.edges.find((e: any) => e.node.id === second.body.lead_id).node;
    expect(bought).toMatchObject({ vertical, price: '12.50', campaign: { id: createCampaign.id } });
    expect(bought.fields).toMatchObject({ phone: '+13055550123', first_name: 'Ana', state: 'FL' });

    const { buyer } = await gql.gqlOk(`query($id: ID!) { buyer(id: $id) { balance creditLimit } }`, { id: createBuyer.id }, buyerToken);
    expect(buyer).toEqual({ balance: '-25.00', creditLimit: '100.00' });

    // pausing stops buying at once; the exchange hears of it by NOTIFY
    await gql.gqlOk(`mutation($id: ID!) { setCampaignStatus(id: $id, status: PAUSED) { status } }`, { id: createCampaign.id }, buyerToken);
    const { campaign } = await gql.gqlOk(`query($id: ID!) { campaign(id: $id) { status } }`, { id: createCampaign.id }, buyerToken);
    expect(campaign.status).toBe('PAUSED');
  });
});
