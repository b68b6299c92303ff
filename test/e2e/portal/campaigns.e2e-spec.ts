import type { INestApplication } from '@nestjs/common';
import type { Client } from 'pg';
import { GqlError, PortalClient, startPortal } from '../../../libs/testing/src/portal-client';
import { insertPortalAdmin, insertPortalBuyerUser, insertPortalUser, openPortalTestDb, portalUnique } from '../../../libs/testing/src/portal-factories';

const CAMPAIGN_FIELDS = `id buyerId name vertical bid status priority pingUrl postUrl timeoutMs excludedSupplierIds
  filters { field op value } caps { period maxLeads maxSpend } schedule { timezone windows { days start end } }`;
const CREATE = `mutation($input: CampaignInput!) { createCampaign(input: $input) { ${CAMPAIGN_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: CampaignUpdateInput!) { updateCampaign(id: $id, input: $input) { ${CAMPAIGN_FIELDS} } }`;
const SET_STATUS = `mutation($id: ID!, $status: CampaignStatus!) { setCampaignStatus(id: $id, status: $status) { id status } }`;
const GET = `query($id: ID!) { campaign(id: $id) { ${CAMPAIGN_FIELDS} } }`;
const LIST = `{ campaigns { id buyerId } }`;

const filters = [
  { field: 'state', op: 'IN', value: ['FL', 'GA'] },
  { field: 'age', op: 'BETWEEN', value: [25, 65] },
  { field: 'homeowner', op: 'EQ', value: true },
  { field: 'source.sub_id', op: 'STARTS_WITH', value: 'fb-' },
  { field: 'violations', op: 'NOT_EXISTS', value: null },
];
const caps = [
  { period: 'DAY', maxLeads: 100, maxSpend: '500.00' },
  { period: 'MONTH', maxLeads: null, maxSpend: '9000.50' },
];
const schedule = { timezone: 'America/New_York', windows: [{ days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], start: '09:00', end: '17:30' }] };

/** The field paths of a validation_failed answer, sorted. */
function fieldsOf(errors: GqlError[] | undefined): string[] {
  expect(errors).toHaveLength(1);
  expect(errors![0].extensions?.code).toBe('validation_failed');
  return errors![0].extensions!.errors!.map((e) => e.field).sort();
}

describe('campaigns', () => {
  let app: INestApplication;
  let client: PortalClient;
  let db: Client;
  let adminToken: string;
  let a: { buyerId: string; token: string };
  let b: { buyerId: string; token: string };

  const validInput = (over: Record<string, unknown> = {}) => ({ name: portalUnique('Florida homeowners'), vertical: 'auto-insurance', bid: '12.50', ...over });

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

  it('a BUYER creates a campaign with filters, caps and a schedule and reads the same shapes back', async () => {
    const name = portalUnique('FL homeowners');
    const created = (await client.gqlOk(CREATE, { input: { name, vertical: 'auto-insurance', bid: '12.5', filters, caps, schedule, priority: 3, timeoutMs: 800 } }, a.token))
      .createCampaign;
    const expected = {
      id: expect.any(String),
      buyerId: a.buyerId,
      name,
      vertical: 'auto-insurance',
      bid: '12.50',
      status: 'ACTIVE',
      priority: 3,
      pingUrl: null,
      postUrl: null,
      timeoutMs: 800,
      excludedSupplierIds: [],
      filters,
      caps,
      schedule,
    };
    expect(created).toEqual(expected);
    expect((await client.gqlOk(GET, { id: created.id }, a.token)).campaign).toEqual(created);

    const { rows } = await db.query(`SELECT bid::text AS bid, filters, caps, schedule, status, buyer_id FROM campaigns WHERE id = $1`, [created.id]);
    expect(rows[0]).toEqual({
      bid: '12.50',
      filters: [...filters.slice(0, 4), { field: 'violations', op: 'NOT_EXISTS' }],
      caps,
      schedule,
      status: 'ACTIVE',
      buyer_id: a.buyerId,
    });
  });

  it('defaults status to ACTIVE and priority to 0, and a ping campaign needs no bid', async () => {
    const created = (
      await client.gqlOk(CREATE, { input: { name: portalUnique('ping'), vertical: 'solar', pingUrl: 'https://buyer.example.com/ping', postUrl: 'https://buyer.example.com/post' } }, a.token)
    ).createCampaign;
    expect(created).toMatchObject({ status: 'ACTIVE', priority: 0, bid: null, pingUrl: 'https://buyer.example.com/ping', filters: [], caps: [], schedule: null });
  });

  it('updates only the given fields, validates the merged campaign, and pauses and resumes', async () => {
    const created = (await client.gqlOk(CREATE, { input: validInput({ filters, caps, schedule }) }, a.token)).createCampaign;

    const renamed = (await client.gqlOk(UPDATE, { id: created.id, input: { name: 'Renamed', bid: '9.99' } }, a.token)).updateCampaign;
    expect(renamed).toEqual({ ...created, name: 'Renamed', bid: '9.99' });

    const retargeted = (
      await client.gqlOk(UPDATE, { id: created.id, input: { filters: [{ field: 'zip', op: 'IN', value: ['33101', '33102'] }], caps: null, schedule: null } }, a.token)
    ).updateCampaign;
    expect(retargeted).toMatchObject({ name: 'Renamed', bid: '9.99', filters: [{ field: 'zip', op: 'IN', value: ['33101', '33102'] }], caps: [], schedule: null });

    expect((await client.gqlOk(SET_STATUS, { id: created.id, status: 'PAUSED' }, a.token)).setCampaignStatus).toEqual({ id: created.id, status: 'PAUSED' });
    expect((await db.query(`SELECT status FROM campaigns WHERE id = $1`, [created.id])).rows[0].status).toBe('PAUSED');
    expect((await client.gqlOk(SET_STATUS, { id: created.id, status: 'ACTIVE' }, a.token)).setCampaignStatus.status).toBe('ACTIVE');
    expect((await db.query(`SELECT status FROM campaigns WHERE id = $1`, [created.id])).rows[0].status).toBe('ACTIVE');
  });

  it('re-validates the stored filters when the vertical changes, and refuses clearing the only price', async () => {
    const created = (await client.gqlOk(CREATE, { input: validInput({ filters: [{ field: 'vehicle_count', op: 'GTE', value: 2 }] }) }, a.token)).createCampaign;
    const toMortgage = await client.gql(UPDATE, { id: created.id, input: { vertical: 'mortgage' } }, a.token);
    expect(fieldsOf(toMortgage.errors)).toEqual(['input.filters[0].field']);
    expect(toMortgage.errors![0].extensions!.errors![0].message).toContain('vehicle_count');

    const noPrice = await client.gql(UPDATE, { id: created.id, input: { bid: null } }, a.token);
    expect(fieldsOf(noPrice.errors)).toEqual(['input.bid']);

    const moved = await client.gql(UPDATE, { id: created.id, input: { buyerId: b.buyerId } }, a.token);
    expect(fieldsOf(moved.errors)).toEqual(['input.buyerId']);

    const stored = (await client.gqlOk(GET, { id: created.id }, a.token)).campaign;
    expect(stored).toEqual(created);
  });

  describe('validation, each error named', () => {
    it('money with 3 decimals: "12.345"', async () => {
      const r = await client.gql(CREATE, { input: validInput({ bid: '12.345' }) }, a.token);
      expect(fieldsOf(r.errors)).toEqual(['input.bid']);
      expect(r.errors![0].message).toContain('"12.345"');
      const cap = await client.gql(CREATE, { input: validInput({ caps: [{ period: 'DAY', maxSpend: '10.001' }] }) }, a.token);
      expect(fieldsOf(cap.errors)).toEqual(['input.caps[0].maxSpend']);
    });

    it('an unknown filter operator', async () => {
      const r = await client.gql(CREATE, { input: validInput({ filters: [{ field: 'state', op: 'LIKE', value: 'F%' }] }) }, a.token);
      expect(fieldsOf(r.errors)).toEqual(['input.filters[0].op']);
      expect(r.errors![0].message).toContain('LIKE');
    });

    it('a filter value that does not fit its operator', async () => {
      const r = await client.gql(
        CREATE,
        { input: validInput({ filters: [{ field: 'state', op: 'EQ', value: 'FL' }, { field: 'age', op: 'BETWEEN', value: 30 }, { field: 'state', op: 'IN', value: 'FL' }] }) },
        a.token,
      );
      expect(fieldsOf(r.errors)).toEqual(['input.filters[1].value', 'input.filters[2].value']);
    });

    it('a filter on a field the vertical does not have', async () => {
      const r = await client.gql(CREATE, { input: validInput({ filters: [{ field: 'shoe_size', op: 'GT', value: 9 }] }) }, a.token);
      expect(fieldsOf(r.errors)).toEqual(['input.filters[0].field']);
      expect(r.errors![0].extensions!.errors![0].message).toBe('unknown field "shoe_size"');
    });

    it('an unknown time zone', async () => {
      const r = await client.gql(CREATE, { input: validInput({ schedule: { timezone: 'Mars/Olympus_Mons', windows: schedule.windows } }) }, a.token);
      expect(fieldsOf(r.errors)).toEqual(['input.schedule.timezone']);
      expect(r.errors![0].extensions!.errors![0].message).toContain('Mars/Olympus_Mons');
    });

    it('no bid and no pingUrl', async () => {
      const r = await client.gql(CREATE, { input: { name: 'no price', vertical: 'auto-insurance' } }, a.token);
      expect(fieldsOf(r.errors)).toEqual(['input.bid']);
      expect(r.errors![0].extensions!.errors![0].message).toContain('required unless pingUrl');
    });

    it('lists every problem at once', async () => {
      const r = await client.gql(
        CREATE,
        {
          input: {
            name: '',
            vertical: 'no-such-vertical',
            pingUrl: 'ftp://buyer.example.com/ping',
            postUrl: 'not a url',
            timeoutMs: 5,
            filters: [{ field: 'state', op: 'EXISTS', value: 'FL' }],
            caps: [{ period: 'DAY' }, { period: 'DAY', maxLeads: 3 }],
            schedule: { timezone: 'America/New_York', windows: [{ days: ['MON'], start: '25:00', end: '17:00' }] },
            excludedSupplierIds: ['not-a-uuid', '00000000-0000-4000-8000-000000000000'],
          },
        },
        a.token,
      );
      expect(fieldsOf(r.errors)).toEqual([
        'input.caps[0]',
        'input.caps[1].period',
        'input.excludedSupplierIds[0]',
        'input.excludedSupplierIds[1]',
        'input.filters[0].value',
        'input.name',
        'input.pingUrl',
        'input.postUrl',
        'input.schedule.windows[0].start',
        'input.timeoutMs',
        'input.vertical',
      ]);
      expect(r.errors![0].message).toBe('11 fields are invalid');
    });

    it('stores nothing when the input is invalid', async () => {
      const name = portalUnique('invalid');
      await client.gql(CREATE, { input: validInput({ name, timeoutMs: 99999 }) }, a.token);
      expect((await db.query(`SELECT count(*)::int AS n FROM campaigns WHERE name = $1`, [name])).rows[0].n).toBe(0);
    });
  });

  describe('tenancy', () => {
    it("buyer B cannot read, update or pause buyer A's campaign, and lists only its own", async () => {
      const mine = (await client.gqlOk(CREATE, { input: validInput() }, a.token)).createCampaign;
      const theirs = (await client.gqlOk(CREATE, { input: validInput() }, b.token)).createCampaign;

      expect((await client.gqlOk(GET, { id: mine.id }, b.token)).campaign).toBeNull();
      const upd = await client.gql(UPDATE, { id: mine.id, input: { bid: '0.01' } }, b.token);
      expect(upd.errors![0].extensions?.code).toBe('not_found');
      expect(upd.data).toBeNull();
      const pause = await client.gql(SET_STATUS, { id: mine.id, status: 'PAUSED' }, b.token);
      expect(pause.errors![0].extensions?.code).toBe('not_found');
      const { rows } = await db.query(`SELECT bid::text AS bid, status FROM campaigns WHERE id = $1`, [mine.id]);
      expect(rows[0]).toEqual({ bid: '12.50', status: 'ACTIVE' });

      const listB = (await client.gqlOk(LIST, {}, b.token)).campaigns;
      expect(listB.map((c: any) => c.id)).toContain(theirs.id);
      expect(listB.every((c: any) => c.buyerId === b.buyerId)).toBe(true);
      const listA = (await client.gqlOk(LIST, {}, a.token)).campaigns;
      expect(listA.map((c: any) => c.id)).not.toContain(theirs.id);
      expect(listA.map((c: any) => c.id)).toContain(mine.id);
    });

    it("a BUYER cannot create a campaign for another buyer; it may name its own", async () => {
      const other = await client.gql(CREATE, { input: validInput({ buyerId: b.buyerId }) }, a.token);
      expect(other.errors![0].extensions?.code).toBe('forbidden');
      const own = await client.gqlOk(CREATE, { input: validInput({ buyerId: a.buyerId }) }, a.token);
      expect(own.createCampaign.buyerId).toBe(a.buyerId);
    });

    it('an unknown or malformed id is null / not_found, the same as a foreign one', async () => {
      expect((await client.gqlOk(GET, { id: '00000000-0000-4000-8000-000000000000' }, a.token)).campaign).toBeNull();
      expect((await client.gqlOk(GET, { id: 'nope' }, a.token)).campaign).toBeNull();
      expect((await client.gql(SET_STATUS, { id: 'nope', status: 'PAUSED' }, a.token)).errors![0].extensions?.code).toBe('not_found');
    });

    it('an ADMIN must name the buyer, and may then manage any campaign', async () => {
      const missing = await client.gql(CREATE, { input: validInput() }, adminToken);
      expect(fieldsOf(missing.errors)).toEqual(['input.buyerId']);
      const ghost = await client.gql(CREATE, { input: validInput({ buyerId: '00000000-0000-4000-8000-000000000000' }) }, adminToken);
      expect(fieldsOf(ghost.errors)).toEqual(['input.buyerId']);

      const created = (await client.gqlOk(CREATE, { input: validInput({ buyerId: b.buyerId }) }, adminToken)).createCampaign;
      expect(created.buyerId).toBe(b.buyerId);
      expect((await client.gqlOk(GET, { id: created.id }, b.token)).campaign.id).toBe(created.id);
      const paused = await client.gqlOk(SET_STATUS, { id: created.id, status: 'PAUSED' }, adminToken);
      expect(paused.setCampaignStatus.status).toBe('PAUSED');
      const all = (await client.gqlOk(LIST, {}, adminToken)).campaigns.map((c: any) => c.buyerId);
      expect(all).toEqual(expect.arrayContaining([a.buyerId, b.buyerId]));
    });

    it('FINANCE reads every campaign but cannot create, update or pause one', async () => {
      const finance = await insertPortalUser(db, { role: 'FINANCE' });
      const token = await client.login(finance.email, finance.password);
      const mine = (await client.gqlOk(CREATE, { input: validInput() }, a.token)).createCampaign;

      const create = await client.gql(CREATE, { input: validInput({ buyerId: a.buyerId }) }, token);
      expect(create.errors![0].extensions?.code).toBe('forbidden');
      expect((await client.gql(UPDATE, { id: mine.id, input: { name: 'x' } }, token)).errors![0].extensions?.code).toBe('forbidden');
      expect((await client.gql(SET_STATUS, { id: mine.id, status: 'PAUSED' }, token)).errors![0].extensions?.code).toBe('forbidden');
      expect((await client.gqlOk(GET, { id: mine.id }, token)).campaign.id).toBe(mine.id);
      expect((await client.gqlOk(LIST, {}, token)).campaigns.map((c: any) => c.id)).toContain(mine.id);
    });

    it('a signed-out caller gets unauthorized', async () => {
      const r = await client.gql(CREATE, { input: validInput() });
      expect(r.errors![0].extensions?.code).toBe('unauthorized');
      expect((await client.gql(LIST)).errors![0].extensions?.code).toBe('unauthorized');
    });
  });

  it('excludes suppliers by id', async () => {
    const { rows } = await db.query(
      `INSERT INTO suppliers (name, api_key_hash, api_key_prefix) VALUES ($1, $2, 'lx_test') RETURNING id`,
      [portalUnique('sup'), portalUnique('hash')],
    );
    const created = (await client.gqlOk(CREATE, { input: validInput({ excludedSupplierIds: [rows[0].id] }) }, a.token)).createCampaign;
    expect(created.excludedSupplierIds).toEqual([rows[0].id]);
    const stored = await db.query(`SELECT excluded_supplier_ids FROM campaigns WHERE id = $1`, [created.id]);
    expect(stored.rows[0].excluded_supplier_ids).toEqual([rows[0].id]);
  });
});
