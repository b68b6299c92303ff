import type { INestApplication } from '@nestjs/common';
import type { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PortalClient, startPortal } from '../../../libs/testing/src/portal-client';
import {
  insertPortalAdmin,
  insertPortalBuyerUser,
  insertPortalCampaign,
  insertPortalLead,
  insertPortalLeadEvents,
  insertPortalPingOffer,
  insertPortalSale,
  insertPortalSoldLead,
  insertPortalSupplier,
  insertPortalUser,
  openPortalTestDb,
} from '../../../libs/testing/src/portal-factories';

const TIMELINE = `timeline { at kind outcome campaignId latencyMs price detail }`;
const LEAD = `query($id: ID!) { lead(id: $id) { id status price soldAt campaign { id } fields ${TIMELINE} } }`;
const LEADS = `query($filter: LeadFilter) { leads(first: 50, filter: $filter) { edges { node { id price ${TIMELINE} } } } }`;

const t = (s: number) => new Date(Date.parse('2026-04-01T10:00:00.000Z') + s);

describe('one lead and its timeline', () => {
  let app: INestApplication;
  let client: PortalClient;
  let db: Client;
  let supplierId: string;
  let adminToken: string;
  let financeToken: string;
  let a: { buyerId: string; token: string; campaignId: string };
  let b: { buyerId: string; token: string; campaignId: string; campaign2Id: string };
  /** Sold to A alone, the post of a ping that A and B were asked to bid on. */
  let pinged: { leadId: string; pingId: string };
  /** Shared: bought by B first (8.00), then by A (6.50). */
  let shared: string;

  beforeAll(async () => {
    ({ app, client } = await startPortal());
    db = await openPortalTestDb();
    supplierId = await insertPortalSupplier(db);
    const admin = await insertPortalAdmin(db);
    adminToken = await client.login(admin.email, admin.password);
    const finance = await insertPortalUser(db, { role: 'FINANCE' });
    financeToken = await client.login(finance.email, finance.password);
    const ua = await insertPortalBuyerUser(db);
    const ub = await insertPortalBuyerUser(db);
    a = { buyerId: ua.buyerId, token: await client.login(ua.email, ua.password), campaignId: await insertPortalCampaign(db, { buyerId: ua.buyerId }) };
    b = {
      buyerId: ub.buyerId,
      token: await client.login(ub.email, ub.password),
      campaignId: await insertPortalCampaign(db, { buyerId: ub.buyerId }),
      campaign2Id: await insertPortalCampaign(db, { buyerId: ub.buyerId }),
    };

    // The ping: A bids 9.25, B bids 8.00 (with its own bid id), B's second campaign times out.
    const pingId = await insertPortalPingOffer(db, { supplierId, price: '6.47', createdAt: t(0) });
    await insertPortalLeadEvents(db, [
      { pingId, campaignId: a.campaignId, kind: 'ping', outcome: 'bid', latencyMs: 120, price: '9.25', detail: { bid_id: 'a-77' }, at: t(100) },
      { pingId, campaignId: b.campaignId, kind: 'ping', outcome: 'bid', latencyMs: 80, price: '8.00', detail: { bid_id: 'b-1' }, at: t(100) },
      { pingId, campaignId: b.campaign2Id, kind: 'ping', outcome: 'timeout', latencyMs: 500, detail: { reason: 'no answer by the deadline' }, at: t(500) },
    ]);
    const leadId = await insertPortalLead(db, { supplierId, pingId });
    await insertPortalLeadEvents(db, [
      { leadId, pingId, campaignId: a.campaignId, kind: 'post', outcome: 'accepted', latencyMs: 210, price: '9.25', at: t(5000) },
    ]);
    await insertPortalSale(db, { leadId, supplierId, buyerId: a.buyerId, campaignId: a.campaignId, price: '9.25', soldAt: t(5300) });
    pinged = { leadId, pingId };

    shared = await insertPortalLead(db, { supplierId, maxSales: 2 });
    await insertPortalLeadEvents(db, [
      { leadId: shared, campaignId: b.campaignId, kind: 'post', outcome: 'rejected', detail: { reason: 'dup in our CRM' }, at: t(9000) },
    ]);
    await insertPortalSale(db, { leadId: shared, supplierId, buyerId: b.buyerId, campaignId: b.campaign2Id, price: '8.00', soldAt: t(10_000) });
    await insertPortalSale(db, { leadId: shared, supplierId, buyerId: a.buyerId, campaignId: a.campaignId, price: '6.50', soldAt: t(10_001) });
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it("a BUYER reads a lead it bought, with its timeline; other buyers' steps carry no campaign, price or detail", async () => {
    const lead = (await client.gqlOk(LEAD, { id: pinged.leadId }, a.token)).lead;
    expect(lead).toMatchObject({ id: pinged.leadId, status: 'sold', price: '9.25', soldAt: t(5300).toISOString(), campaign: { id: a.campaignId } });
    expect(lead.fields.first_name).toBe('Bo');
    expect(lead.timeline).toEqual([
      { at: t(100).toISOString(), kind: 'ping', outcome: 'bid', campaignId: a.campaignId, latencyMs: 120, price: '9.25', detail: { bid_id: 'a-77' } },
      { at: t(100).toISOString(), kind: 'ping', outcome: 'bid', campaignId: null, latencyMs: 80, price: null, detail: null },
      { at: t(500).toISOString(), kind: 'ping', outcome: 'timeout', campaignId: null, latencyMs: 500, price: null, detail: null },
      { at: t(5000).toISOString(), kind: 'post', outcome: 'accepted', campaignId: a.campaignId, latencyMs: 210, price: '9.25', detail: null },
      { at: t(5300).toISOString(), kind: 'sale', outcome: 'sold', campaignId: a.campaignId, latencyMs: null, price: '9.25', detail: null },
    ]);
  });

  it("an ADMIN sees every campaign, bid and detail; FINANCE too", async () => {
    const expected = [
      { at: t(100).toISOString(), kind: 'ping', outcome: 'bid', campaignId: a.campaignId, latencyMs: 120, price: '9.25', detail: { bid_id: 'a-77' } },
      { at: t(100).toISOString(), kind: 'ping', outcome: 'bid', campaignId: b.campaignId, latencyMs: 80, price: '8.00', detail: { bid_id: 'b-1' } },
      { at: t(500).toISOString(), kind: 'ping', outcome: 'timeout', campaignId: b.campaign2Id, latencyMs: 500, price: null, detail: { reason: 'no answer by the deadline' } },
      { at: t(5000).toISOString(), kind: 'post', outcome: 'accepted', campaignId: a.campaignId, latencyMs: 210, price: '9.25', detail: null },
      { at: t(5300).toISOString(), kind: 'sale', outcome: 'sold', campaignId: a.campaignId, latencyMs: null, price: '9.25', detail: null },
    ];
    expect((await client.gqlOk(LEAD, { id: pinged.leadId }, adminToken)).lead.timeline).toEqual(expected);
    expect((await client.gqlOk(LEAD, { id: pinged.leadId }, financeToken)).lead.timeline).toEqual(expected);
  });

  it("another buyer gets null for a lead it did not buy, as for an unknown or malformed id", async () => {
    expect((await client.gqlOk(LEAD, { id: pinged.leadId }, b.token)).lead).toBeNull();
    expect((await client.gqlOk(LEAD, { id: '00000000-0000-4000-8000-000000000000' }, a.token)).lead).toBeNull();
    expect((await client.gqlOk(LEAD, { id: 'nope' }, adminToken)).lead).toBeNull();
    expect((await client.gql(LEAD, { id: pinged.leadId })).errors![0].extensions?.code).toBe('unauthorized');
  });

  it('a shared lead: each buyer sees what it paid and only its own sale in full; an ADMIN sees the first sale', async () => {
    const forA = (await client.gqlOk(LEAD, { id: shared }, a.token)).lead;
    expect(forA).toMatchObject({ status: 'sold', price: '6.50', soldAt: t(10_001).toISOString(), campaign: { id: a.campaignId } });
    expect(forA.timeline).toEqual([
      { at: t(9000).toISOString(), kind: 'post', outcome: 'rejected', campaignId: null, latencyMs: null, price: null, detail: null },
      { at: t(10_000).toISOString(), kind: 'sale', outcome: 'sold', campaignId: null, latencyMs: null, price: null, detail: null },
      { at: t(10_001).toISOString(), kind: 'sale', outcome: 'sold', campaignId: a.campaignId, latencyMs: null, price: '6.50', detail: null },
    ]);

    const forB = (await client.gqlOk(LEAD, { id: shared }, b.token)).lead;
    expect(forB).toMatchObject({ price: '8.00', campaign: { id: b.campaign2Id } });
    expect(forB.timeline.map((e: any) => [e.campaignId, e.price, e.detail])).toEqual([
      [b.campaignId, null, { reason: 'dup in our CRM' }],
      [b.campaign2Id, '8.00', null],
      [null, null, null],
    ]);

    const forAdmin = (await client.gqlOk(LEAD, { id: shared }, adminToken)).lead;
    expect(forAdmin).toMatchObject({ status: 'sold', price: '8.00', soldAt: t(10_000).toISOString(), campaign: { id: b.campaign2Id } });
    expect(forAdmin.timeline.map((e: any) => e.price)).toEqual([null, '8.00', '6.50']);
  });

  it('a returned purchase reads as returned, in the lead and in its timeline', async () => {
    const { leadId } = await insertPortalSoldLead(db, { supplierId, buyerId: a.buyerId, campaignId: a.campaignId, price: '4.00', soldAt: t(20_000) });
    await db.query(`UPDATE sales SET status = 'RETURNED' WHERE lead_id = $1`, [leadId]);
    const lead = (await client.gqlOk(LEAD, { id: leadId }, a.token)).lead;
    expect(lead).toMatchObject({ status: 'returned', price: '4.00' });
    expect(lead.timeline).toEqual([
      { at: t(20_000).toISOString(), kind: 'sale', outcome: 'returned', campaignId: a.campaignId, latencyMs: null, price: '4.00', detail: null },
    ]);
  });

  it('ADMIN and FINANCE read an unsold lead; a lead held for a buyer (PENDING) is not yet bought by it', async () => {
    const unsold = await insertPortalLead(db, { supplierId, status: 'unsold' });
    expect((await client.gqlOk(LEAD, { id: unsold }, financeToken)).lead).toMatchObject({ id: unsold, status: 'unsold', price: null, soldAt: null, campaign: null, timeline: [] });

    const held = await insertPortalLead(db, { supplierId });
    const saleId = await insertPortalSale(db, { leadId: held, supplierId, buyerId: a.buyerId, campaignId: a.campaignId, price: '3.00', soldAt: t(30_000), status: 'PENDING' });
    try {
      expect((await client.gqlOk(LEAD, { id: held }, a.token)).lead).toBeNull();
      const bought = (await client.gqlOk(LEADS, { filter: { campaignId: a.campaignId } }, a.token)).leads.edges.map((e: any) => e.node.id);
      expect(bought).not.toContain(held);
      const admin = (await client.gqlOk(LEAD, { id: held }, adminToken)).lead;
      expect(admin).toMatchObject({ status: 'processing', price: null });
      expect(admin.timeline).toEqual([
        { at: t(30_000).toISOString(), kind: 'sale', outcome: 'held', campaignId: a.campaignId, latencyMs: null, price: '3.00', detail: null },
      ]);
    } finally {
      // a hold is short-lived; do not leave one for other suites' sweepers
      await db.query(`DELETE FROM sales WHERE id = $1`, [saleId]);
      await db.query(`UPDATE leads SET sales_count = 0, status = 'unsold' WHERE id = $1`, [held]);
    }
  });

  it('the leads connection carries timelines too, read in one query for the whole page', async () => {
    const query = jest.spyOn(app.get(DataSource), 'query');
    try {
      const edges = (await client.gqlOk(LEADS, { filter: { campaignId: a.campaignId } }, a.token)).leads.edges as any[];
      const byId = new Map(edges.map((e) => [e.node.id, e.node]));
      expect(byId.size).toBeGreaterThanOrEqual(3);
      expect(byId.get(pinged.leadId).timeline.map((e: any) => [e.kind, e.outcome, e.campaignId, e.price])).toEqual([
        ['ping', 'bid', a.campaignId, '9.25'],
        ['ping', 'bid', null, null],
        ['ping', 'timeout', null, null],
        ['post', 'accepted', a.campaignId, '9.25'],
        ['sale', 'sold', a.campaignId, '9.25'],
      ]);
      expect(byId.get(shared).timeline.map((e: any) => e.price)).toEqual([null, null, '6.50']);
      expect(query.mock.calls.filter(([sql]) => String(sql).includes('leadex_lead_timeline'))).toHaveLength(1);
    } finally {
      query.mockRestore();
    }
  });
});
