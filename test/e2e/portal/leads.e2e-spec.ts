import type { INestApplication } from '@nestjs/common';
import type { Client } from 'pg';
import { PortalClient, startPortal } from '../../../libs/testing/src/portal-client';
import {
  insertPortalBuyerUser,
  insertPortalCampaign,
  insertPortalSoldLead,
  insertPortalSupplier,
  insertPortalUser,
  openPortalTestDb,
  portalUnique,
} from '../../../libs/testing/src/portal-factories';

const LEADS = `query($first: Int, $after: String, $filter: LeadFilter) {
  leads(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id vertical status price soldAt fields consent campaign { id name buyerId } } }
  }
}`;

describe('leads bought', () => {
  let app: INestApplication;
  let client: PortalClient;
  let db: Client;
  let supplierId: string;
  let a: { buyerId: string; token: string; campaignId: string; campaign2Id: string };
  let b: { buyerId: string; token: string; campaignId: string };
  /** A's purchases, newest first: [leadId, price, email]. */
  const aLeads: { leadId: string; price: string; email: string; campaignId: string }[] = [];
  let bLeadId: string;
  const prices = ['12.50', '0.01', '7.35', '1234567.89', '3.10', '99.99', '15.00'];

  beforeAll(async () => {
    ({ app, client } = await startPortal());
    db = await openPortalTestDb();
    supplierId = await insertPortalSupplier(db);
    const ua = await insertPortalBuyerUser(db);
    const ub = await insertPortalBuyerUser(db);
    a = {
      buyerId: ua.buyerId,
      token: await client.login(ua.email, ua.password),
      campaignId: await insertPortalCampaign(db, { buyerId: ua.buyerId }),
      campaign2Id: await insertPortalCampaign(db, { buyerId: ua.buyerId }),
    };
    b = { buyerId: ub.buyerId, token: await client.login(ub.email, ub.password), campaignId: await insertPortalCampaign(db, { buyerId: ub.buyerId }) };

    // Seven purchases by A, one second apart, two of them at the very same instant (the sale id breaks the tie).
    const base = Date.parse('2026-03-01T12:00:00.123Z');
    const made: typeof aLeads = [];
    for (let i = 0; i < prices.length; i++) {
      const email = `${portalUnique('ana')}@example.com`;
      const campaignId = i % 2 ? a.campaign2Id : a.campaignId;
      const soldAt = new Date(base + (i === 4 ? 3 : i) * 1000);
      const { leadId } = await insertPortalSoldLead(db, {
        supplierId,
        buyerId: a.buyerId,
        campaignId,
        price: prices[i],
        soldAt,
        fields: { first_name: 'Ana', last_name: `Diaz-${i}`, email, phone: '+13055550123', zip: '33101', state: 'FL', age: 30 + i },
      });
      made.push({ leadId, price: prices[i], email, campaignId });
    }
    // Newest first; leads 3 and 4 share sold_at: PostgreSQL's order (sale id DESC) decides, read it back the same way.
    const order = await db.query(
      `SELECT lead_id FROM sales WHERE buyer_id = $1 ORDER BY sold_at DESC, id DESC`,
      [a.buyerId],
    );
    for (const r of order.rows) aLeads.push(made.find((m) => m.leadId === r.lead_id)!);
    bLeadId = (await insertPortalSoldLead(db, { supplierId, buyerId: b.buyerId, campaignId: b.campaignId, price: '42.00', soldAt: new Date(base + 10_000) })).leadId;
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it("returns the buyer's own leads, newest first, with PII, exact prices and the buying campaign", async () => {
    const r = await client.gqlOk(LEADS, { first: 50 }, a.token);
    expect(r.leads.totalCount).toBe(7);
    expect(r.leads.pageInfo.hasNextPage).toBe(false);
    expect(r.leads.edges.map((e: any) => e.node.id)).toEqual(aLeads.map((l) => l.leadId));
    expect(r.leads.edges.map((e: any) => e.node.price)).toEqual(aLeads.map((l) => l.price));
    const first = r.leads.edges[0].node;
    expect(first).toEqual({
      id: aLeads[0].leadId,
      vertical: 'auto-insurance',
      status: 'sold',
      price: '15.00',
      soldAt: '2026-03-01T12:00:06.123Z',
      fields: expect.objectContaining({ first_name: 'Ana', last_name: 'Diaz-6', email: aLeads[0].email, phone: '+13055550123' }),
      consent: { tcpa: true, text: 'By clicking...' },
      campaign: { id: aLeads[0].campaignId, name: expect.any(String), buyerId: a.buyerId },
    });
    expect(r.leads.edges.map((e: any) => e.node.id)).not.toContain(bLeadId);
  });

  it('pages with opaque cursors, without gaps or repeats, including a tie on sold_at', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const r: any = await client.gqlOk(LEADS, { first: 3, after }, a.token);
      pages++;
      expect(r.leads.totalCount).toBe(7);
      for (const e of r.leads.edges) {
        expect(e.cursor).not.toContain(e.node.id);
        seen.push(e.node.id);
      }
      expect(r.leads.pageInfo.endCursor).toBe(r.leads.edges[r.leads.edges.length - 1].cursor);
      if (!r.leads.pageInfo.hasNextPage) break;
      after = r.leads.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(aLeads.map((l) => l.leadId));
  });

  it('filters by campaign and by time', async () => {
    const byCampaign = await client.gqlOk(LEADS, { filter: { campaignId: a.campaign2Id } }, a.token);
    expect(byCampaign.leads.totalCount).toBe(3);
    expect(byCampaign.leads.edges.map((e: any) => e.node.id)).toEqual(aLeads.filter((l) => l.campaignId === a.campaign2Id).map((l) => l.leadId));

    const window = await client.gqlOk(LEADS, { filter: { from: '2026-03-01T12:00:01.123Z', to: '2026-03-01T12:00:03.123Z' } }, a.token);
    expect(window.leads.edges.map((e: any) => e.node.price)).toEqual(['7.35', '0.01']);
    expect(window.leads.totalCount).toBe(2);
  });

  it("never shows another buyer's leads, even filtered by that buyer's campaign", async () => {
    const r = await client.gqlOk(LEADS, { filter: { campaignId: a.campaignId } }, b.token);
    expect(r.leads.totalCount).toBe(0);
    expect(r.leads.edges).toEqual([]);
    const own = await client.gqlOk(LEADS, {}, b.token);
    expect(own.leads.edges.map((e: any) => [e.node.id, e.node.price])).toEqual([[bLeadId, '42.00']]);
  });

  it('lets FINANCE see every sale', async () => {
    const finance = await insertPortalUser(db, { role: 'FINANCE' });
    const token = await client.login(finance.email, finance.password);
    const r = await client.gqlOk(LEADS, { first: 5, filter: { from: '2026-03-01T12:00:00Z', to: '2026-03-01T12:00:11Z' } }, token);
    // Other suites' sales may fall in the window too; at least A's seven and B's one do.
    expect(r.leads.totalCount).toBeGreaterThanOrEqual(8);
    expect(r.leads.edges[0].node.id).toBe(bLeadId);
  });

  it('defaults to 20 per page and clamps larger pages to LEADS_PAGE_MAX', async () => {
    const extra = await insertPortalBuyerUser(db);
    const token = await client.login(extra.email, extra.password);
    const campaignId = await insertPortalCampaign(db, { buyerId: extra.buyerId });
    await db.query(
      `WITH l AS (
         INSERT INTO leads (supplier_id, vertical_key, status, fields, sales_count, sold_at)
         SELECT $1, 'auto-insurance', 'sold', jsonb_build_object('n', g), 1, now() - g * interval '1 second' FROM generate_series(1, 105) g
         RETURNING id, sold_at)
       INSERT INTO sales (lead_id, campaign_id, buyer_id, supplier_id, vertical_key, price, payout, margin, sold_at)
       SELECT id, $2, $3, $1, 'auto-insurance', 1.00, 0.70, 0.30, sold_at FROM l`,
      [supplierId, campaignId, extra.buyerId],
    );
    const byDefault = await client.gqlOk(LEADS, {}, token);
    expect(byDefault.leads.edges).toHaveLength(20);
    expect(byDefault.leads.totalCount).toBe(105);

    const clamped = await client.gqlOk(LEADS, { first: 1000 }, token);
    expect(clamped.leads.edges).toHaveLength(100);
    expect(clamped.leads.pageInfo.hasNextPage).toBe(true);
    const rest = await client.gqlOk(LEADS, { first: 1000, after: clamped.leads.pageInfo.endCursor }, token);
    expect(rest.leads.edges).toHaveLength(5);
    expect(rest.leads.pageInfo.hasNextPage).toBe(false);
    expect(rest.leads.edges[4].node.fields).toEqual({ n: 105 });
  });

  it('rejects a cursor it did not make and a negative page size', async () => {
    const bad = await client.gql(LEADS, { after: 'bm90LWEtY3Vyc29y' }, a.token);
    expect(bad.errors![0].extensions?.code).toBe('validation_failed');
    expect(bad.errors![0].extensions?.errors).toEqual([{ field: 'after', message: 'is not a cursor from this connection' }]);
    const negative = await client.gql(LEADS, { first: -1 }, a.token);
    expect(negative.errors![0].extensions?.errors?.[0].field).toBe('first');
  });

  it('requires sign-in', async () => {
    expect((await client.gql(LEADS, {})).errors![0].extensions?.code).toBe('unauthorized');
  });
});
