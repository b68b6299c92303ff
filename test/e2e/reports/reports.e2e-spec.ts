import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';
import { autoLead, createTestBuyer, createTestCampaign, createTestSupplier, createTestVertical } from '../../../libs/testing/src/exchange-factories';
import { postJson, startExchange } from '../../../libs/testing/src/exchange-harness';
import { PortalClient, startPortal } from '../../../libs/testing/src/portal-client';
import {
  insertPortalBuyerUser,
  insertPortalCampaign,
  insertPortalLeadEvents,
  insertPortalUser,
  openPortalTestDb,
} from '../../../libs/testing/src/portal-factories';
import { approvedReturn, insertLead, soldLead } from '../exports/sales-fixture';

const BUYER_REPORT = `query($groupBy: ReportGroupBy!, $buyerId: ID) {
  buyerReport(from: "2032-06-01", to: "2032-06-30", groupBy: $groupBy, buyerId: $buyerId) {
    rows { key label leadsBought spend averagePrice bidsMade bidsWon winRate returns returnedSpend returnRate conversions }
    totals { key leadsBought spend averagePrice returns conversions }
  } }`;
const OPERATOR_REPORT = `query($groupBy: ReportGroupBy!) {
  operatorReport(from: "2032-06-01", to: "2032-06-30", groupBy: $groupBy) {
    rows { key label sales grossVolume payout margin returns returnedVolume netVolume netMargin }
    totals { sales grossVolume payout margin returns netVolume netMargin }
    pingLatency { count p50Ms p95Ms } captureToSale { count p50Ms p95Ms }
  } }`;

/** This suite's data lives in June 2032, which no other suite writes to. */
describe('reports', () => {
  let portal: INestApplication;
  let exchange: NestFastifyApplication;
  let exchangeUrl: string;
  let syncExchange: () => Promise<void>;
  let client: PortalClient;
  let db: Client;
  let tokens: { admin: string; finance: string; a: string; b: string };
  let s1: { id: string; apiKey: string };
  let s2: { id: string; apiKey: string };
  let a: { buyerId: string; campaignId: string };
  let b: { buyerId: string; campaignId: string };

  beforeAll(async () => {
    ({ app: portal, client } = await startPortal());
    ({ app: exchange, url: exchangeUrl, sync: syncExchange } = await startExchange());
    db = await openPortalTestDb();
    s1 = await createTestSupplier(db);
    s2 = await createTestSupplier(db);
    const ua = await insertPortalBuyerUser(db);
    const ub = await insertPortalBuyerUser(db);
    a = { buyerId: ua.buyerId, campaignId: await insertPortalCampaign(db, { buyerId: ua.buyerId }) };
    b = { buyerId: ub.buyerId, campaignId: await insertPortalCampaign(db, { buyerId: ub.buyerId }) };
    const admin = await insertPortalUser(db, { role: 'ADMIN' });
    const finance = await insertPortalUser(db, { role: 'FINANCE' });
    tokens = {
      admin: await client.login(admin.email, admin.password),
      finance: await client.login(finance.email, finance.password),
      a: await client.login(ua.email, ua.password),
      b: await client.login(ub.email, ub.password),
    };
    const sell = (supplierId: string, o: typeof a, price: string, soldAt: string, state: string, subId: string, status?: 'PENDING') =>
      soldLead(db, { supplierId, buyerId: o.buyerId, campaignId: o.campaignId, price, soldAt, state, subId, status });
    const first = await sell(s1.id, a, '10.00', '2032-06-01T09:00:00Z', 'FL', 'x');
    await sell(s1.id, a, '20.01', '2032-06-02T09:00:00Z', 'TX', 'y');
    const returned = await sell(s1.id, a, '5.55', '2032-06-02T10:00:00Z', 'TX', 'y');
    await sell(s1.id, b, '30.00', '2032-06-02T11:00:00Z', 'FL', 'x');
    await sell(s2.id, a, '7.77', '2032-06-03T09:00:00Z', 'CA', 'z');
    await sell(s1.id, a, '99.00', '2032-06-03T09:00:00Z', 'CA', 'z', 'PENDING'); // a hold: in no report
    await sell(s1.id, a, '50.00', '2032-07-02T00:00:00Z', 'FL', 'x'); // after the period
    await approvedReturn(db, returned.saleId);
    await db.query(`INSERT INTO lead_dispositions (sale_id, lead_id, buyer_id, disposition) VALUES ($1, $2, $3, 'CONVERTED'), ($1, $2, $3, 'CONVERTED')`, [
      first.saleId, first.leadId, a.buyerId,
    ]);
    await insertLead(db, { supplierId: s1.id, createdAt: '2032-06-01T08:00:00Z', status: 'unsold', state: 'FL', subId: 'x' });
    await insertLead(db, { supplierId: s1.id, createdAt: '2032-06-01T08:30:00Z', status: 'expired', state: 'FL', subId: 'x' });
    // live bids of A's campaign on June 1st: two bids, one no-bid; one of the bids won (the sale above)
    const at = new Date('2032-06-01T08:59:59Z');
    await insertPortalLeadEvents(db, [
      { leadId: first.leadId, campaignId: a.campaignId, kind: 'ping', outcome: 'bid', latencyMs: 42, price: '10.00', at },
      { leadId: first.leadId, campaignId: a.campaignId, kind: 'ping', outcome: 'bid', latencyMs: 120, price: '9.00', at },
      { leadId: first.leadId, campaignId: a.campaignId, kind: 'ping', outcome: 'no_bid', latencyMs: 610, at },
    ]);
  });
  afterAll(async () => {
    await db?.end();
    await portal?.close();
    await exchange?.close();
  });

  it('operator totals equal the raw sales to the cent, per vertical and in total', async () => {
    const d = await client.gqlOk(OPERATOR_REPORT, { groupBy: 'DAY' }, tokens.finance);
    const raw = await db.query(
      `SELECT count(*)::int AS sales, sum(price)::text AS gross, sum(payout)::text AS payout, sum(margin)::text AS margin,
              count(*) FILTER (WHERE status = 'RETURNED')::int AS returns,
              (sum(price) - coalesce(sum(price) FILTER (WHERE status = 'RETURNED'), 0))::text AS net
         FROM sales WHERE status <> 'PENDING' AND sold_at >= '2032-06-01Z' AND sold_at < '2032-07-01Z'`,
    );
    const r = raw.rows[0];
    expect(d.operatorReport.totals).toMatchObject({ sales: r.sales, grossVolume: r.gross, payout: r.payout, margin: r.margin, returns: r.returns, netVolume: r.net });
    expect(d.operatorReport.totals).toMatchObject({ sales: 5, grossVolume: '73.33', returns: 1, netVolume: '67.78' });
    expect(d.operatorReport.rows.map((x: any) => [x.key, x.sales, x.grossVolume])).toEqual([
      ['2032-06-01', 1, '10.00'], ['2032-06-02', 3, '55.56'], ['2032-06-03', 1, '7.77'],
    ]);
    expect(d.operatorReport.pingLatency).toEqual({ count: 3, p50Ms: 120, p95Ms: 610 });
    expect(d.operatorReport.captureToSale).toEqual({ count: 5, p50Ms: 60000, p95Ms: 60000 });
    const bySupplier = await client.gqlOk(OPERATOR_REPORT, { groupBy: 'SUPPLIER' }, tokens.admin);
    expect(bySupplier.operatorReport.rows.map((x: any) => [x.key, x.grossVolume]).sort()).toEqual([[s1.id, '65.56'], [s2.id, '7.77']].sort());
  });

  it('a BUYER sees only its own buyer: its spend, win rate, returns and conversions', async () => {
    const d = await client.gqlOk(BUYER_REPORT, { groupBy: 'CAMPAIGN' }, tokens.a);
    expect(d.buyerReport.rows).toEqual([
      expect.objectContaining({
        key: a.campaignId, leadsBought: 4, spend: '43.33', averagePrice: '10.83', bidsMade: 2, bidsWon: 1, winRate: 0.5,
        returns: 1, returnedSpend: '5.55', returnRate: 0.25, conversions: 1,
      }),
    ]);
    const byState = await client.gqlOk(BUYER_REPORT, { groupBy: 'STATE' }, tokens.a);
    expect(byState.buyerReport.rows.map((x: any) => [x.key, x.leadsBought, x.spend, x.winRate])).toEqual([
      ['CA', 1, '7.77', null], ['FL', 1, '10.00', null], ['TX', 2, '25.56', null],
    ]);
    const bOwn = await client.gqlOk(BUYER_REPORT, { groupBy: 'MONTH' }, tokens.b);
    expect(bOwn.buyerReport.totals).toMatchObject({ key: 'TOTAL', leadsBought: 1, spend: '30.00' });
    // another buyer's report is refused, and supplier-revealing groupings are for operators
    const other = await client.gql(BUYER_REPORT, { groupBy: 'DAY', buyerId: b.buyerId }, tokens.a);
    expect(other.data).toBeNull();
    expect(other.errors?.[0].extensions?.code).toBe('forbidden');
    const bySupplier = await client.gql(BUYER_REPORT, { groupBy: 'SUPPLIER' }, tokens.a);
    expect(bySupplier.errors?.[0].extensions?.code).toBe('validation_failed');
    // an operator may ask for one buyer
    const admin = await client.gqlOk(BUYER_REPORT, { groupBy: 'MONTH', buyerId: b.buyerId }, tokens.admin);
    expect(admin.buyerReport.rows).toEqual([expect.objectContaining({ key: '2032-06', leadsBought: 1, spend: '30.00' })]);
  });

  it('supplier and operator reports are for ADMIN and FINANCE only', async () => {
    const r = await client.gql(`{ supplierReport(from: "2032-06-01", to: "2032-06-30", groupBy: DAY) { totals { sales } } }`, {}, tokens.a);
    expect(r.errors?.[0].extensions?.code).toBe('forbidden');
    const o = await client.gql(OPERATOR_REPORT, { groupBy: 'DAY' }, tokens.b);
    expect(o.errors?.[0].extensions?.code).toBe('forbidden');
    const bad = await client.gql(`{ operatorReport(from: "2032-06-31", to: "2032-06-01", groupBy: DAY) { totals { sales } } }`, {}, tokens.admin);
    expect(bad.errors?.[0].extensions?.code).toBe('validation_failed');
  });

  it("GET /v1/reports: a supplier's own leads and payouts, with its API key", async () => {
    const get = (q: string, key?: string) =>
      fetch(`${exchangeUrl}/v1/reports${q}`, { headers: key ? { authorization: `Bearer ${key}` } : {} }).then(async (res) => ({ status: res.status, body: (await res.json()) as any }));
    const r = await get('?from=2032-06-01&to=2032-06-30&group_by=sub_id', s1.apiKey);
    expect(r.status).toBe(200);
    expect(r.body.group_by).toBe('SUB_ID');
    expect(r.body.rows).toEqual([
      { key: 'x', leads_posted: 4, sold: 2, unsold: 1, duplicates: 0, rejections: 1, sell_through: 0.5, sales: 2, revenue: '28.00', returned_payout: '0.00', average_payout: '14.00' },
      // sub y: two leads sold (20.01 → 14.01, 5.55 → 3.88 then returned); the PENDING hold's lead is in leads_posted (sub z) only
      { key: 'y', leads_posted: 2, sold: 2, unsold: 0, duplicates: 0, rejections: 0, sell_through: 1, sales: 2, revenue: '14.01', returned_payout: '3.88', average_payout: '8.94' },
      { key: 'z', leads_posted: 1, sold: 0, unsold: 0, duplicates: 0, rejections: 0, sell_through: 0, sales: 0, revenue: '0.00', returned_payout: '0.00', average_payout: null },
    ]);
    expect(r.body.totals).toMatchObject({ key: 'TOTAL', leads_posted: 7, sales: 4, revenue: '42.01', returned_payout: '3.88' });
    const other = await get('?from=2032-06-01&to=2032-06-30&group_by=day', s2.apiKey);
    expect(other.body.totals).toMatchObject({ leads_posted: 1, sales: 1, revenue: '5.44' });
    expect((await get('?from=2032-06-01&to=2032-06-30&group_by=buyer', s1.apiKey)).status).toBe(400);
    const bad = await get('?from=nope&to=2032-06-30', s1.apiKey);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field)).toEqual(['from']);
    expect((await get('?from=2032-06-01&to=2032-06-30')).status).toBe(401);
  });

  it('the rollups equal a fresh aggregate of the raw tables (exact, after a return and a conversion)', async () => {
    const diff = await db.query(
      `WITH raw AS (
         SELECT (s.sold_at AT TIME ZONE 'UTC')::date AS day, s.campaign_id, s.supplier_id, count(*) AS sales, sum(s.price) AS spend,
                sum(s.payout) AS payout, sum(s.margin) AS margin, count(*) FILTER (WHERE s.status = 'RETURNED') AS returns
           FROM sales s WHERE s.status <> 'PENDING' GROUP BY 1, 2, 3
       ), roll AS (
         SELECT day, campaign_id, supplier_id, sum(sales) AS sales, sum(spend) AS spend, sum(payout) AS payout, sum(margin) AS margin,
                sum(returns) AS returns FROM report_sales_daily GROUP BY 1, 2, 3 HAVING sum(sales) <> 0
       )
       SELECT * FROM (SELECT * FROM raw EXCEPT SELECT * FROM roll) x UNION ALL SELECT * FROM (SELECT * FROM roll EXCEPT SELECT * FROM raw) y`,
    );
    expect(diff.rows).toEqual([]);
  });

  it('the lead and latency rollups equal a fresh aggregate too, after leads change status through the exchange', async () => {
    // Leads sold and unsold through the real intake (stored processing, then updated), on top of the fixtures.
    const vertical = await createTestVertical(db);
    const supplier = await createTestSupplier(db);
    await createTestCampaign(db, { buyerId: await createTestBuyer(db), vertical, bid: '7.00', filters: [{ field: 'state', op: 'EQ', value: 'FL' }] });
    await syncExchange();
    const auth = { authorization: `Bearer ${supplier.apiKey}` };
    for (const state of ['FL', 'TX', 'FL', 'GA']) expect((await postJson(`${exchangeUrl}/v1/leads`, autoLead(vertical, { state }), auth)).status).toBe(200);
    const leads = await db.query(
      `WITH raw AS (
         SELECT (created_at AT TIME ZONE 'UTC')::date AS day, supplier_id, vertical_key, coalesce(fields->>'state', '') AS state,
                coalesce(source->>'sub_id', '') AS sub_id, count(*) AS posted, count(*) FILTER (WHERE status = 'sold') AS sold,
                count(*) FILTER (WHERE status = 'unsold') AS unsold, count(*) FILTER (WHERE status = 'processing') AS processing
           FROM leads GROUP BY 1, 2, 3, 4, 5
       ), roll AS (
         SELECT day, supplier_id, vertical_key, state, sub_id, sum(posted), sum(sold), sum(unsold), sum(processing)
           FROM report_leads_daily GROUP BY 1, 2, 3, 4, 5 HAVING sum(posted) <> 0
       )
       SELECT * FROM (SELECT * FROM raw EXCEPT SELECT * FROM roll) x UNION ALL SELECT * FROM (SELECT * FROM roll EXCEPT SELECT * FROM raw) y`,
    );
    expect(leads.rows).toEqual([]);
    const mine = await db.query(`SELECT sum(posted)::int AS posted, sum(sold)::int AS sold FROM report_leads_daily WHERE vertical_key = $1`, [vertical]);
    expect(mine.rows[0]).toEqual({ posted: 4, sold: 2 });
    const latency = await db.query(
      `SELECT (SELECT count(*) FROM sales WHERE status <> 'PENDING')::int AS sales,
              (SELECT sum(n) FROM report_latency_daily WHERE metric = 'capture_to_sale')::int AS folded`,
    );
    expect(latency.rows[0].folded).toBe(latency.rows[0].sales);
  });
});
