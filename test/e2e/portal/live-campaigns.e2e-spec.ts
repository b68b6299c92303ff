import type { INestApplication } from '@nestjs/common';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { GqlError, PortalClient, startPortal } from '../../../libs/testing/src/portal-client';
import { insertPortalAdmin, insertPortalBuyerUser, insertPortalUser, openPortalTestDb, portalUnique } from '../../../libs/testing/src/portal-factories';

/** Live campaigns: the buyer's wire template, purchase mode and weight, and the endpoint health the exchange keeps. */
const FIELDS = `id buyerId bid status pingUrl postUrl template purchaseMode weight pausedReason`;
const HEALTH = `health { pings onTimeRate consecutiveFailures lastFailureAt lastFailureReason }`;
const CREATE = `mutation($input: CampaignInput!) { createCampaign(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: CampaignUpdateInput!) { updateCampaign(id: $id, input: $input) { ${FIELDS} } }`;
const SET_STATUS = `mutation($id: ID!, $status: CampaignStatus!) { setCampaignStatus(id: $id, status: $status) { id status pausedReason } }`;
const GET = `query($id: ID!) { campaign(id: $id) { id status pausedReason ${HEALTH} } }`;
const LIST = `{ campaigns { id pausedReason ${HEALTH} } }`;

/** An XML buyer: JSON ping mapped onto its own shape, its bid read from the text of the answer. */
const template = {
  pingRequest: '{"lead": {"zip": fields.zip, "state": fields.state}, "ref": ping_id}',
  pingBid: '$number($match(text, /<bid>([0-9.]+)<\\/bid>/).groups[0])',
  pingBidId: 'id',
  postAccepted: 'status = "ok"',
  postReason: 'message',
  headers: { 'X-Api-Key': 'k-123' },
};

function fieldsOf(errors: GqlError[] | undefined): string[] {
  expect(errors).toHaveLength(1);
  expect(errors![0].extensions?.code).toBe('validation_failed');
  return errors![0].extensions!.errors!.map((e) => e.field).sort();
}

describe('live campaigns', () => {
  let app: INestApplication;
  let client: PortalClient;
  let db: Client;
  let adminToken: string;
  let a: { buyerId: string; token: string };
  let b: { buyerId: string; token: string };

  const live = (over: Record<string, unknown> = {}) => ({
    name: portalUnique('live'),
    vertical: 'solar',
    pingUrl: 'https://buyer.example.com/ping',
    postUrl: 'https://buyer.example.com/post',
    status: 'PAUSED', // not to bid on other suites' leads
    ...over,
  });

  beforeAll(async () => {
    ({ app, client } = await startPortal());
    db = await openPortalTestDb();
    const admin = await insertPortalAdmin(db);
    adminToken = await client.login(admin.email, admin.password);
    const ua = await insertPortalBuyerUser(db);
    const ub = await insertPortalBuyerUser(db);
    a = { buyerId: ua.buyerId, token: await client.login(ua.email, ua.password) };
    b = { buyerId: ub.buyerId, token: await client.login(ub.email, ub.password) };
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('creates a live campaign with a template, purchase mode and weight, no bid needed, and stores them', async () => {
    const created = (await client.gqlOk(CREATE, { input: live({ template, purchaseMode: 'SHARED', weight: 40 }) }, a.token)).createCampaign;
    expect(created).toEqual({
      id: expect.any(String),
      buyerId: a.buyerId,
      bid: null,
      status: 'PAUSED',
      pingUrl: 'https://buyer.example.com/ping',
      postUrl: 'https://buyer.example.com/post',
      template,
      purchaseMode: 'SHARED',
      weight: 40,
      pausedReason: null,
    });
    const { rows } = await db.query(`SELECT template, purchase_mode, weight, bid FROM campaigns WHERE id = $1`, [created.id]);
    expect(rows[0]).toEqual({ template, purchase_mode: 'SHARED', weight: 40, bid: null });
  });

  it('defaults to EXCLUSIVE, weight 1 and no template; a postUrl without pingUrl buys at the fixed bid', async () => {
    const created = (
      await client.gqlOk(CREATE, { input: { name: portalUnique('post only'), vertical: 'solar', bid: '11.00', postUrl: 'https://buyer.example.com/post', status: 'PAUSED' } }, a.token)
    ).createCampaign;
    expect(created).toMatchObject({ bid: '11.00', pingUrl: null, postUrl: 'https://buyer.example.com/post', template: null, purchaseMode: 'EXCLUSIVE', weight: 1 });
    const { rows } = await db.query(`SELECT template, purchase_mode, weight FROM campaigns WHERE id = $1`, [created.id]);
    expect(rows[0]).toEqual({ template: null, purchase_mode: 'EXCLUSIVE', weight: 1 });
  });

  it('names every bad template key, as the exchange would refuse it, and stores nothing', async () => {
    const name = portalUnique('bad template');
    const r = await client.gql(
      CREATE,
      {
        input: live({
          name,
          template: { pingBid: '$.bid +', postAccepted: '', postReason: 'message', headers: { Host: 'evil.example', 'X-Ok': 'fine', 'X-Num': 5 }, pingUrl: 'x' },
        }),
      },
      a.token,
    );
    expect(fieldsOf(r.errors)).toEqual([
      'input.template.headers.Host',
      'input.template.headers.X-Num',
      'input.template.pingBid',
      'input.template.pingUrl',
      'input.template.postAccepted',
    ]);
    const byField = Object.fromEntries(r.errors![0].extensions!.errors!.map((e) => [e.field, e.message]));
    expect(byField['input.template.headers.Host']).toBe('set by the exchange, not by a template');
    expect(byField['input.template.headers.X-Num']).toBe('must be a string');
    expect(byField['input.template.postAccepted']).toBe('must be a non-empty JSONata expression string');
    expect(byField['input.template.pingUrl']).toContain('unknown key');
    expect(r.errors![0].message).toBe('5 fields are invalid');
    expect((await db.query(`SELECT count(*)::int AS n FROM campaigns WHERE name = $1`, [name])).rows[0].n).toBe(0);

    const notObject = await client.gql(CREATE, { input: live({ template: ['pingBid'] }) }, a.token);
    expect(notObject.errors![0].extensions!.errors).toEqual([{ field: 'input.template', message: 'must be an object' }]);
  });

  it('refuses a weight outside 0–1000, an unknown purchase mode, and credentials in a buyer URL', async () => {
    expect(fieldsOf((await client.gql(CREATE, { input: live({ weight: 1001 }) }, a.token)).errors)).toEqual(['input.weight']);
    expect(fieldsOf((await client.gql(CREATE, { input: live({ weight: -1 }) }, a.token)).errors)).toEqual(['input.weight']);
    expect(fieldsOf((await client.gql(CREATE, { input: live({ purchaseMode: 'SOMETIMES' }) }, a.token)).errors)).toEqual(['input.purchaseMode']);
    const creds = await client.gql(CREATE, { input: live({ pingUrl: 'https://user:pw@buyer.example.com/ping', postUrl: 'ftp://buyer.example.com/post' }) }, a.token);
    expect(fieldsOf(creds.errors)).toEqual(['input.pingUrl', 'input.postUrl']);
    const byField = Object.fromEntries(creds.errors![0].extensions!.errors!.map((e) => [e.field, e.message]));
    expect(byField).toEqual({
      'input.pingUrl': 'must not carry credentials; put them in the template headers',
      'input.postUrl': 'must be an http or https URL',
    });
  });

  it('updates template, purchase mode and weight; null clears the template and leaves mode and weight', async () => {
    const created = (await client.gqlOk(CREATE, { input: live({ template, purchaseMode: 'SHARED', weight: 40 }) }, a.token)).createCampaign;
    const changed = (
      await client.gqlOk(UPDATE, { id: created.id, input: { template: { pingBid: 'price' }, purchaseMode: 'BOTH', weight: 0 } }, a.token)
    ).updateCampaign;
    expect(changed).toMatchObject({ template: { pingBid: 'price' }, purchaseMode: 'BOTH', weight: 0 });

    const cleared = (await client.gqlOk(UPDATE, { id: created.id, input: { template: null, purchaseMode: null, weight: null } }, a.token)).updateCampaign;
    expect(cleared).toMatchObject({ template: null, purchaseMode: 'BOTH', weight: 0 });
    const { rows } = await db.query(`SELECT template, purchase_mode, weight FROM campaigns WHERE id = $1`, [created.id]);
    expect(rows[0]).toEqual({ template: null, purchase_mode: 'BOTH', weight: 0 });

    const bad = await client.gql(UPDATE, { id: created.id, input: { template: { postAccepted: 'status = ' } } }, a.token);
    expect(fieldsOf(bad.errors)).toEqual(['input.template.postAccepted']);
    expect((await db.query(`SELECT template FROM campaigns WHERE id = $1`, [created.id])).rows[0].template).toBeNull();

    // dropping the ping URL of a live campaign without a bid leaves it unpriced
    const unpriced = await client.gql(UPDATE, { id: created.id, input: { pingUrl: null } }, a.token);
    expect(fieldsOf(unpriced.errors)).toEqual(['input.bid']);
  });

  it("reads back the endpoint health and the exchange's pause reason, one health query for a whole list", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await client.gqlOk(CREATE, { input: live() }, a.token)).createCampaign.id);
    const failedAt = new Date('2026-02-03T04:05:06.789Z');
    await db.query(
      `INSERT INTO campaign_health (campaign_id, pings, on_time, consecutive_failures, last_failure_at, last_failure_reason)
       VALUES ($1, 200, 180, 25, $3, 'timeout: no answer by the deadline'), ($2, 4, 4, 0, NULL, NULL)`,
      [ids[0], ids[1], failedAt],
    );
    const reason = 'Paused by the exchange: 25 failed answers in a row from your endpoint (last: timeout). Fix it, then resume the campaign.';
    await db.query(`UPDATE campaigns SET status = 'PAUSED', paused_reason = $2 WHERE id = $1`, [ids[0], reason]);

    expect((await client.gqlOk(GET, { id: ids[0] }, a.token)).campaign).toEqual({
      id: ids[0],
      status: 'PAUSED',
      pausedReason: reason,
      health: { pings: 200, onTimeRate: 0.9, consecutiveFailures: 25, lastFailureAt: failedAt.toISOString(), lastFailureReason: 'timeout: no answer by the deadline' },
    });

    const query = jest.spyOn(app.get(DataSource), 'query');
    try {
      const list = (await client.gqlOk(LIST, {}, a.token)).campaigns as any[];
      const byId = new Map(list.map((c) => [c.id, c]));
      expect(byId.get(ids[0]).health).toMatchObject({ pings: 200, onTimeRate: 0.9, consecutiveFailures: 25 });
      expect(byId.get(ids[1]).health).toEqual({ pings: 4, onTimeRate: 1, consecutiveFailures: 0, lastFailureAt: null, lastFailureReason: null });
      // no row: never pinged
      expect(byId.get(ids[2])).toEqual({
        id: ids[2],
        pausedReason: null,
        health: { pings: 0, onTimeRate: null, consecutiveFailures: 0, lastFailureAt: null, lastFailureReason: null },
      });
      const healthQueries = query.mock.calls.filter(([sql]) => String(sql).includes('campaign_health'));
      expect(list.length).toBeGreaterThanOrEqual(3);
      expect(healthQueries).toHaveLength(1);
    } finally {
      query.mockRestore();
    }

    // another buyer sees neither the campaign nor its health; an ADMIN sees both
    expect((await client.gqlOk(GET, { id: ids[0] }, b.token)).campaign).toBeNull();
    expect((await client.gqlOk(GET, { id: ids[0] }, adminToken)).campaign.health.consecutiveFailures).toBe(25);
  });

  it('resuming clears the pause reason; pausing again does not invent one', async () => {
    const id = (await client.gqlOk(CREATE, { input: live() }, a.token)).createCampaign.id;
    await db.query(`UPDATE campaigns SET status = 'PAUSED', paused_reason = 'Paused by the exchange: endpoint failing' WHERE id = $1`, [id]);
    await db.query(`INSERT INTO campaign_health (campaign_id, pings, on_time, consecutive_failures) VALUES ($1, 30, 5, 25)`, [id]);

    const paused = (await client.gqlOk(SET_STATUS, { id, status: 'PAUSED' }, a.token)).setCampaignStatus;
    expect(paused).toEqual({ id, status: 'PAUSED', pausedReason: 'Paused by the exchange: endpoint failing' });

    const resumed = (await client.gqlOk(SET_STATUS, { id, status: 'ACTIVE' }, a.token)).setCampaignStatus;
    expect(resumed).toEqual({ id, status: 'ACTIVE', pausedReason: null });
    expect((await db.query(`SELECT status, paused_reason FROM campaigns WHERE id = $1`, [id])).rows[0]).toEqual({ status: 'ACTIVE', paused_reason: null });
    // its failures in a row start again, or the exchange would pause it at the next failure
    expect((await db.query(`SELECT pings, consecutive_failures FROM campaign_health WHERE campaign_id = $1`, [id])).rows[0]).toEqual({
      pings: '30',
      consecutive_failures: 0,
    });

    expect((await client.gqlOk(SET_STATUS, { id, status: 'PAUSED' }, a.token)).setCampaignStatus).toEqual({ id, status: 'PAUSED', pausedReason: null });

    // resuming through updateCampaign clears it too
    await db.query(`UPDATE campaigns SET paused_reason = 'Paused by the exchange: again' WHERE id = $1`, [id]);
    expect((await client.gqlOk(UPDATE, { id, input: { status: 'ACTIVE' } }, a.token)).updateCampaign).toMatchObject({ status: 'ACTIVE', pausedReason: null });
    await client.gqlOk(SET_STATUS, { id, status: 'PAUSED' }, a.token);

    // another buyer cannot resume it
    const foreign = await client.gql(SET_STATUS, { id, status: 'ACTIVE' }, b.token);
    expect(foreign.errors![0].extensions?.code).toBe('not_found');
  });

  it('FINANCE reads health but cannot resume', async () => {
    const finance = await insertPortalUser(db, { role: 'FINANCE' });
    const token = await client.login(finance.email, finance.password);
    const id = (await client.gqlOk(CREATE, { input: live() }, a.token)).createCampaign.id;
    expect((await client.gqlOk(GET, { id }, token)).campaign.health.pings).toBe(0);
    expect((await client.gql(SET_STATUS, { id, status: 'ACTIVE' }, token)).errors![0].extensions?.code).toBe('forbidden');
  });
});
