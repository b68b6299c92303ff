import type { INestApplication } from '@nestjs/common';
import type { Client } from 'pg';
import { PortalClient, startPortal } from '../../../libs/testing/src/portal-client';
import {
  insertPortalBuyerUser,
  insertPortalCampaign,
  insertPortalSupplier,
  insertPortalUser,
  openPortalTestDb,
  portalUnique,
} from '../../../libs/testing/src/portal-factories';
import { approvedReturn, parseCsv, soldLead } from './sales-fixture';

const HEADER =
  'lead_id,sold_at,vertical,supplier_id,supplier_name,sub_id,buyer_id,buyer_name,campaign_id,campaign_name,price,payout,margin,status,returned_at,return_reason';

/** This suite's sales live in May 2031, a month no other suite writes to (they share the database). */
describe('finance export: GET /exports/billing.csv', () => {
  let app: INestApplication;
  let url: string;
  let client: PortalClient;
  let db: Client;
  let tokens: { admin: string; finance: string; a: string; b: string };
  let a: { buyerId: string; campaignId: string };
  let b: { buyerId: string; campaignId: string };
  let supplierId: string;
  let supplierName: string;
  const inRange: { leadId: string; saleId: string; buyer: 'a' | 'b'; price: string }[] = [];
  let returnedLeadId: string;

  const csv = async (path: string, token?: string) => {
    const res = await fetch(`${url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), text: await res.text() };
  };

  beforeAll(async () => {
    ({ app, url, client } = await startPortal());
    db = await openPortalTestDb();
    supplierName = `${portalUnique('Acme, "Leads"')}`; // a comma and quotes: the CSV must quote them
    supplierId = await insertPortalSupplier(db, { name: supplierName });
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
    const sell = async (who: 'a' | 'b', price: string, soldAt: string, extra: { subId?: string | null; status?: 'PENDING' } = {}) => {
      const o = who === 'a' ? a : b;
      return soldLead(db, { supplierId, buyerId: o.buyerId, campaignId: o.campaignId, price, soldAt, ...extra });
    };
    // the range's first and last microsecond are in; the instants either side are out
    for (const [who, price, at, subId] of [
      ['a', '12.50', '2031-05-01T00:00:00.000Z', 'fb-7'],
      ['a', '0.01', '2031-05-15T10:20:30.456Z', null],
      ['b', '1234567.89', '2031-05-20T08:00:00.000Z', 'g-1'],
      ['a', '7.35', '2031-05-31T23:59:59.999Z', 'fb-7'],
    ] as const) {
      inRange.push({ ...(await sell(who, price, at, { subId })), buyer: who, price });
    }
    await sell('a', '99.00', '2031-04-30T23:59:59.999Z');
    await sell('a', '98.00', '2031-06-01T00:00:00.000Z');
    await sell('a', '97.00', '2031-05-10T00:00:00.000Z', { status: 'PENDING' }); // a hold is never billed
    const returned = await sell('b', '40.00', '2031-05-21T12:00:00.000Z');
    await approvedReturn(db, returned.saleId, 'FRAUD');
    inRange.push({ ...returned, buyer: 'b', price: '40.00' });
    returnedLeadId = returned.leadId;
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  it('FINANCE gets every billed sale of the period, with the exact header, in sold_at order', async () => {
    const r = await csv('/exports/billing.csv?from=2031-05-01&to=2031-05-31', tokens.finance);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^text\/csv/);
    expect(r.disposition).toBe('attachment; filename="billing-2031-05-01-to-2031-05-31.csv"');
    const rows = parseCsv(r.text);
    expect(r.text.split('\n')[0]).toBe(HEADER);
    const body = rows.slice(1);
    expect(body.map((x) => x[0])).toEqual([0, 1, 2, 4, 3].map((i) => inRange[i].leadId)); // by sold_at
    expect(body.map((x) => x[1])).toEqual([
      '2031-05-01T00:00:00.000Z', '2031-05-15T10:20:30.456Z', '2031-05-20T08:00:00.000Z', '2031-05-21T12:00:00.000Z', '2031-05-31T23:59:59.999Z',
    ]);
    const first = Object.fromEntries(HEADER.split(',').map((k, i) => [k, body[0][i]]));
    expect(first).toMatchObject({
      vertical: 'auto-insurance', supplier_id: supplierId, supplier_name: supplierName, sub_id: 'fb-7', buyer_id: a.buyerId,
      campaign_id: a.campaignId, price: '12.50', payout: '8.75', margin: '3.75', status: 'SOLD', returned_at: '', return_reason: '',
    });
    expect(body[1].slice(11, 13)).toEqual(['0.01', '0.00']); // payout 70% of a cent, half-even
    expect(body[2][10]).toBe('1234567.89');
    const ret = body.find((x) => x[0] === returnedLeadId)!;
    expect(ret[13]).toBe('RETURNED');
    expect(ret[14]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(ret[15]).toBe('FRAUD');
    expect(r.text.endsWith('\n')).toBe(true);
  });

  it('ADMIN gets the same file; ADMIN may narrow to one buyer', async () => {
    const all = await csv('/exports/billing.csv?from=2031-05-01&to=2031-05-31', tokens.admin);
    expect(all.status).toBe(200);
    expect(parseCsv(all.text)).toHaveLength(1 + inRange.length);
    const one = await csv(`/exports/billing.csv?from=2031-05-01&to=2031-05-31&buyer_id=${b.buyerId}`, tokens.admin);
    expect(parseCsv(one.text).slice(1).map((x) => x[6])).toEqual([b.buyerId, b.buyerId]);
  });

  it("a BUYER gets its own sales only, whatever buyer_id it asks for", async () => {
    const own = await csv(`/exports/billing.csv?from=2031-05-01&to=2031-05-31&buyer_id=${b.buyerId}`, tokens.a);
    expect(own.status).toBe(200);
    const rows = parseCsv(own.text).slice(1);
    expect(rows.map((x) => x[0]).sort()).toEqual(inRange.filter((x) => x.buyer === 'a').map((x) => x.leadId).sort());
    expect(rows.every((x) => x[6] === a.buyerId)).toBe(true);
  });

  it('an empty period is the header alone', async () => {
    const r = await csv('/exports/billing.csv?from=2031-07-01&to=2031-07-02', tokens.finance);
    expect(r.status).toBe(200);
    expect(r.text).toBe(`${HEADER}\n`);
  });

  it('bad or missing dates are a 400 naming the parameter; no token is a 401', async () => {
    const cases: [string, string[]][] = [
      ['', ['from', 'to']],
      ['?from=2031-05-01', ['to']],
      ['?from=2031-02-30&to=2031-05-01', ['from']],
      ['?from=05/01/2031&to=2031-05-01', ['from']],
      ['?from=2031-05-02&to=2031-05-01', ['to']],
      ['?from=2020-01-01&to=2031-05-01', ['to']], // over EXPORT_MAX_DAYS
    ];
    for (const [q, fields] of cases) {
      const r = await client.get(`/exports/billing.csv${q}`, { authorization: `Bearer ${tokens.finance}` });
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('validation_failed');
      expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(fields);
    }
    expect((await client.get('/exports/billing.csv?from=2031-05-01&to=2031-05-31')).status).toBe(401);
    expect((await client.get(`/exports/billing.csv?from=2031-05-01&to=2031-05-31&buyer_id=nope`, { authorization: `Bearer ${tokens.admin}` })).status).toBe(400);
  });

  it('export totals equal the ledger: Σ price of the rows = Σ BUYER DEBIT of the SALE transactions of those sales', async () => {
    const r = await csv('/exports/billing.csv?from=2031-05-01&to=2031-05-31', tokens.finance);
    const rows = parseCsv(r.text).slice(1);
    const cents = (s: string) => BigInt(s.replace('.', ''));
    const exported = rows.reduce((acc, x) => acc + cents(x[10]), 0n);
    const payouts = rows.reduce((acc, x) => acc + cents(x[11]), 0n);
    const { rows: ledger } = await db.query(
      `SELECT coalesce(sum(e.amount) FILTER (WHERE e.account_type = 'BUYER' AND e.direction = 'DEBIT'), 0)::text AS debit,
              coalesce(sum(e.amount) FILTER (WHERE e.account_type = 'SUPPLIER' AND e.direction = 'CREDIT'), 0)::text AS credit
         FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
         JOIN sales s ON s.id = t.sale_id
        WHERE t.kind = 'SALE' AND s.sold_at >= '2031-05-01T00:00:00Z' AND s.sold_at < '2031-06-01T00:00:00Z'`,
    );
    expect(exported).toBe(cents(ledger[0].debit));
    expect(payouts).toBe(cents(ledger[0].credit));
    expect(exported).toBe(cents('1234627.75')); // 12.50 + 0.01 + 1234567.89 + 7.35 + 40.00
  });

  it('payouts.csv: one row per supplier, net of returns; FINANCE and ADMIN only', async () => {
    const r = await csv('/exports/payouts.csv?from=2031-05-01&to=2031-05-31', tokens.finance);
    expect(r.status).toBe(200);
    const rows = parseCsv(r.text);
    expect(rows[0]).toEqual(['supplier_id', 'supplier_name', 'sales', 'gross_payout', 'returned_payout', 'net_payout']);
    // payouts: 8.75 + 0.01(0.007→0.01) + 864197.52 + 5.14(5.145→5.14) + 28.00
    expect(rows.slice(1)).toEqual([[supplierId, supplierName, '5', '864239.42', '28.00', '864211.42']]);
    expect((await csv('/exports/payouts.csv?from=2031-05-01&to=2031-05-31', tokens.a)).status).toBe(403);
  });

  it('the GraphQL billing connection pages the same rows, keyset', async () => {
    const Q = `query($after: String) { billing(from: "2031-05-01", to: "2031-05-31", first: 2, after: $after) {
      edges { cursor node { leadId soldAt price payout margin status returnReason subId supplierName } } pageInfo { hasNextPage endCursor } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const d: any = await client.gqlOk(Q, { after }, tokens.finance);
      seen.push(...d.billing.edges.map((e: any) => e.node.leadId));
      if (!d.billing.pageInfo.hasNextPage) break;
      after = d.billing.pageInfo.endCursor;
    }
    const file = parseCsv((await csv('/exports/billing.csv?from=2031-05-01&to=2031-05-31', tokens.finance)).text).slice(1);
    expect(seen).toEqual(file.map((x) => x[0]));
    const mine: any = await client.gqlOk(`{ billing(from: "2031-05-01", to: "2031-05-31", first: 50) { edges { node { buyerId price } } } }`, {}, tokens.b);
    expect(mine.billing.edges.map((e: any) => e.node.price)).toEqual(['1234567.89', '40.00']);
  });
});
