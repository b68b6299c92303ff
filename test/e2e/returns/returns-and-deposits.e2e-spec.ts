import type { INestApplication } from '@nestjs/common';
import Decimal from 'decimal.js';
import type { Client } from 'pg';
import { PortalClient, startPortal } from '../../../libs/testing/src/portal-client';
import { insertPortalUser, openPortalTestDb } from '../../../libs/testing/src/portal-factories';
import { createBuyer, createMarket, Market, sellLead } from '../../integration/money/money-fixtures';

const REQUEST = `mutation($leadId: ID!, $reason: ReturnReason!, $note: String) {
  requestReturn(leadId: $leadId, reason: $reason, note: $note) { id leadId status reason amount note buyerId }
}`;
const DECIDE = `mutation($id: ID!, $approve: Boolean!, $note: String) { decideReturn(id: $id, approve: $approve, note: $note) { id status amount decisionNote } }`;
const RETURNS = `query($status: ReturnStatus, $first: Int, $after: String) {
  returns(status: $status, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id leadId status } } }
}`;
const BUYER = `query($id: ID!) { buyer(id: $id) { id balance creditLimit } }`;
const DEPOSIT = `mutation($buyerId: ID!, $amount: Money!, $reference: String) { recordDeposit(buyerId: $buyerId, amount: $amount, reference: $reference) { id balance } }`;

/** Returns and deposits over GraphQL, as buyers, finance and operators use them, across tenants and roles. */
describe('returns and deposits in the portal', () => {
  let app: INestApplication;
  let client: PortalClient;
  let db: Client;
  let market: Market;
  let admin: string;
  let finance: string;
  let a: { buyerId: string; token: string };
  let b: { buyerId: string; token: string };

  const codeOf = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;

  beforeAll(async () => {
    ({ app, client } = await startPortal());
    db = await openPortalTestDb();
    market = await createMarket(db, { returnWindowDays: 7 });
    const login = async (role: 'ADMIN' | 'FINANCE' | 'BUYER', buyerId?: string) => {
      const u = await insertPortalUser(db, { role, buyerId });
      return client.login(u.email, u.password);
    };
    admin = await login('ADMIN');
    finance = await login('FINANCE');
    const aId = await createBuyer(db, { creditLimit: '1000.00' });
    const bId = await createBuyer(db, { creditLimit: '1000.00' });
    a = { buyerId: aId, token: await login('BUYER', aId) };
    b = { buyerId: bId, token: await login('BUYER', bId) };
  });
  afterAll(async () => {
    await app.close();
    await db.end();
  });

  it('a buyer returns its lead inside the window; an admin approves; the buyer is refunded the price', async () => {
    const sold = await sellLead(db, market, a.buyerId, '12.50', { soldDaysAgo: 6 });
    const before = (await client.gqlOk(BUYER, { id: a.buyerId }, a.token)).buyer.balance;

    const asked = (await client.gqlOk(REQUEST, { leadId: sold.leadId, reason: 'INVALID_PHONE', note: 'disconnected' }, a.token)).requestReturn;
    expect(asked).toMatchObject({ leadId: sold.leadId, status: 'PENDING', reason: 'INVALID_PHONE', amount: '12.50', note: 'disconnected', buyerId: a.buyerId });

    // FINANCE reads money but decides nothing; a BUYER decides nothing either
    expect(codeOf(await client.gql(DECIDE, { id: asked.id, approve: true }, finance))).toBe('forbidden');
    expect(codeOf(await client.gql(DECIDE, { id: asked.id, approve: true }, a.token))).toBe('forbidden');

    const decided = (await client.gqlOk(DECIDE, { id: asked.id, approve: true, note: 'confirmed bad' }, admin)).decideReturn;
    expect(decided).toEqual({ id: asked.id, status: 'APPROVED', amount: '12.50', decisionNote: 'confirmed bad' });
    const after = (await client.gqlOk(BUYER, { id: a.buyerId }, a.token)).buyer.balance;
    expect(new Decimal(after).minus(before).toFixed(2)).toBe('12.50');

    const lead = (await client.gqlOk(`query($id: ID!) { lead(id: $id) { status } }`, { id: sold.leadId }, a.token)).lead;
    expect(lead.status).toBe('returned');
    // decided once only; returned once only
    expect(codeOf(await client.gql(DECIDE, { id: asked.id, approve: false }, admin))).toBe('conflict');
    expect(codeOf(await client.gql(REQUEST, { leadId: sold.leadId, reason: 'OTHER' }, a.token))).toBe('conflict');
  });

  it('refuses a return after the window with return_window_closed', async () => {
    const old = await sellLead(db, market, a.buyerId, '9.00', { soldDaysAgo: 8 });
    const r = await client.gql(REQUEST, { leadId: old.leadId, reason: 'NOT_IN_MARKET' }, a.token);
    expect(codeOf(r)).toBe('return_window_closed');
    expect(r.errors![0].message).toMatch(/window of 7 days closed/);
  });

  it('refuses a second request while the first is pending, and allows one again after a rejection', async () => {
    const sold = await sellLead(db, market, a.buyerId, '3.33');
    const first = (await client.gqlOk(REQUEST, { leadId: sold.leadId, reason: 'DUPLICATE' }, a.token)).requestReturn;
    expect(codeOf(await client.gql(REQUEST, { leadId: sold.leadId, reason: 'DUPLICATE' }, a.token))).toBe('conflict');
    expect((await client.gqlOk(DECIDE, { id: first.id, approve: false, note: 'not a duplicate' }, admin)).decideReturn.status).toBe('REJECTED');
    expect((await client.gqlOk(REQUEST, { leadId: sold.leadId, reason: 'FRAUD' }, a.token)).requestReturn.status).toBe('PENDING');
  });

  it("keeps buyers apart: another buyer's lead is not_found, its returns invisible", async () => {
    const sold = await sellLead(db, market, a.buyerId, '4.00');
    expect(codeOf(await client.gql(REQUEST, { leadId: sold.leadId, reason: 'OTHER' }, b.token))).toBe('not_found');
    expect(codeOf(await client.gql(REQUEST, { leadId: 'not-a-uuid', reason: 'OTHER' }, b.token))).toBe('not_found');
    const mine = (await client.gqlOk(REQUEST, { leadId: sold.leadId, reason: 'OTHER' }, a.token)).requestReturn;
    expect((await client.gqlOk(`query($id: ID!) { leadReturn(id: $id) { id } }`, { id: mine.id }, b.token)).leadReturn).toBeNull();
    expect((await client.gqlOk(RETURNS, {}, b.token)).returns.totalCount).toBe(0);
    const aList = (await client.gqlOk(RETURNS, { status: 'PENDING' }, a.token)).returns;
    expect(aList.edges.map((e: any) => e.node.id)).toContain(mine.id);
    expect(aList.edges.every((e: any) => e.node.status === 'PENDING')).toBe(true);
    // ADMIN and FINANCE see every buyer's
    expect((await client.gqlOk(RETURNS, { first: 100 }, finance)).returns.edges.map((e: any) => e.node.id)).toContain(mine.id);
    // only a BUYER asks for a return
    expect(codeOf(await client.gql(REQUEST, { leadId: sold.leadId, reason: 'OTHER' }, admin))).toBe('forbidden');
  });

  it('pages returns newest first with a cursor', async () => {
    for (let i = 0; i < 3; i++) {
      const s = await sellLead(db, market, b.buyerId, '1.00');
      await client.gqlOk(REQUEST, { leadId: s.leadId, reason: 'OTHER' }, b.token);
    }
    const p1 = (await client.gqlOk(RETURNS, { first: 2 }, b.token)).returns;
    expect(p1).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const p2 = (await client.gqlOk(RETURNS, { first: 2, after: p1.pageInfo.endCursor }, b.token)).returns;
    expect(p2.edges).toHaveLength(1);
    expect(p2.pageInfo.hasNextPage).toBe(false);
    expect(new Set([...p1.edges, ...p2.edges].map((e: any) => e.node.id)).size).toBe(3);
    expect(codeOf(await client.gql(RETURNS, { after: 'garbage' }, b.token))).toBe('validation_failed');
  });

  it('records deposits as FINANCE or ADMIN, never as a BUYER, and names bad fields', async () => {
    const buyer = await createBuyer(db, { creditLimit: null });
    expect((await client.gqlOk(DEPOSIT, { buyerId: buyer, amount: '100.10', reference: 'wire 7' }, finance)).recordDeposit).toEqual({ id: buyer, balance: '100.10' });
    expect((await client.gqlOk(DEPOSIT, { buyerId: buyer, amount: '0.90' }, admin)).recordDeposit.balance).toBe('101.00');
    expect(codeOf(await client.gql(DEPOSIT, { buyerId: a.buyerId, amount: '5.00' }, a.token))).toBe('forbidden');

    const zero = await client.gql(DEPOSIT, { buyerId: buyer, amount: '0.00' }, finance);
    expect(zero.errors![0].extensions).toMatchObject({ code: 'validation_failed', errors: [{ field: 'amount' }] });
    const badId = await client.gql(DEPOSIT, { buyerId: 'nope', amount: '1.00' }, finance);
    expect(badId.errors![0].extensions).toMatchObject({ code: 'validation_failed', errors: [{ field: 'buyerId' }] });
    const unknown = await client.gql(DEPOSIT, { buyerId: '00000000-0000-4000-8000-000000000000', amount: '1.00' }, finance);
    expect(codeOf(unknown)).toBe('not_found');
    const cents = await client.gql(DEPOSIT, { buyerId: buyer, amount: '1.005' }, finance);
    expect(codeOf(cents)).toBe('validation_failed');
    expect((await client.gqlOk(BUYER, { id: buyer }, finance)).buyer.balance).toBe('101.00');
  });

  it("states a supplier's payouts for a period from the ledger, returns clawed back", async () => {
    const m = await createMarket(db);
    const from = new Date(Date.now() - 60_000).toISOString();
    const x = await sellLead(db, m, a.buyerId, '10.00');
    await sellLead(db, m, a.buyerId, '20.00');
    const r = (await client.gqlOk(REQUEST, { leadId: x.leadId, reason: 'INVALID_EMAIL' }, a.token)).requestReturn;
    await client.gqlOk(DECIDE, { id: r.id, approve: true }, admin);
    const to = new Date(Date.now() + 60_000).toISOString();
    const Q = `query($s: ID!, $from: DateTime!, $to: DateTime!) { supplierStatement(supplierId: $s, from: $from, to: $to) {
      supplierId salesCount grossPayout returnsCount returnsClawedBack netPayout } }`;
    expect((await client.gqlOk(Q, { s: m.supplierId, from, to }, finance)).supplierStatement).toEqual({
      supplierId: m.supplierId, salesCount: 2, grossPayout: '21.00', returnsCount: 1, returnsClawedBack: '7.00', netPayout: '14.00',
    });
    expect(codeOf(await client.gql(Q, { s: m.supplierId, from, to }, a.token))).toBe('forbidden');
    expect(codeOf(await client.gql(Q, { s: m.supplierId, from: to, to: from }, admin))).toBe('validation_failed');
  });
});
