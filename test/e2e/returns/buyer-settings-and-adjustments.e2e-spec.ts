import Decimal from 'decimal.js';
import type { INestApplication } from '@nestjs/common';
import type { Client } from 'pg';
import { reconcileLedger } from '@leadex/persistence';
import { OwnTestDatabase, useOwnTestDatabase } from '@leadex/testing';
import { PortalClient, startPortal } from '../../../libs/testing/src/portal-client';
import { insertPortalUser, openPortalTestDb } from '../../../libs/testing/src/portal-factories';
import { createBuyer, createMarket, Market, sellLead } from '../../integration/money/money-fixtures';

const UPDATE_BUYER = `mutation($id: ID!, $input: UpdateBuyerInput!) {
  updateBuyer(id: $id, input: $input) { id name balance creditLimit maxReturnPercent lowBalanceThreshold notifyEmail }
}`;
const BUYER = `query($id: ID!) { buyer(id: $id) { id name balance creditLimit maxReturnPercent lowBalanceThreshold notifyEmail } }`;
const ADJUST = `mutation($buyerId: ID!, $amount: SignedMoney!, $reason: String!) {
  recordAdjustment(buyerId: $buyerId, amount: $amount, reason: $reason) { id balance }
}`;
const UPDATE_VERTICAL = `mutation($key: String!, $input: UpdateVerticalInput!) { updateVertical(key: $key, input: $input) { key returnAutoApproveReasons } }`;
const REQUEST = `mutation($leadId: ID!, $reason: ReturnReason!) { requestReturn(leadId: $leadId, reason: $reason) { id status } }`;

/**
 * What operators could only do with SQL before: a buyer's settings, a vertical's auto-approved return reasons
 * and manual balance adjustments, over GraphQL, across roles. On a database of its own, so the whole ledger
 * can be reconciled at the end (the run's shared database holds other suites' hand-made sales).
 */
describe('buyer settings and balance adjustments in the portal', () => {
  let ownDb: OwnTestDatabase;
  let app: INestApplication;
  let client: PortalClient;
  let db: Client;
  let market: Market;
  let admin: string;
  let finance: string;
  let buyer: { id: string; token: string };

  type Gql = { errors?: { message: string; extensions?: { code?: string; errors?: { field: string; message: string }[] } }[] };
  const codeOf = (r: Gql) => r.errors?.[0]?.extensions?.code;
  const fieldsOf = (r: Gql) => r.errors?.[0]?.extensions?.errors?.map((e) => e.field);

  beforeAll(async () => {
    ownDb = await useOwnTestDatabase();
    ({ app, client } = await startPortal());
    db = await openPortalTestDb();
    market = await createMarket(db, { returnWindowDays: 7 });
    const login = async (role: 'ADMIN' | 'FINANCE' | 'BUYER', buyerId?: string) => {
      const u = await insertPortalUser(db, { role, buyerId });
      return client.login(u.email, u.password);
    };
    admin = await login('ADMIN');
    finance = await login('FINANCE');
    const id = await createBuyer(db, { creditLimit: '100.00' });
    buyer = { id, token: await login('BUYER', id) };
  });
  afterAll(async () => {
    await app?.close();
    await db?.end();
    await ownDb?.drop();
  });

  describe('updateBuyer', () => {
    it('lets an ADMIN change every setting; left-out fields stay, null clears; FINANCE and BUYER may not', async () => {
      const id = await createBuyer(db, { creditLimit: '100.00' });
      const set = { name: ' Acme Insurance ', creditLimit: '250.5', maxReturnPercent: '12.5', lowBalanceThreshold: '0.00', notifyEmail: ' Ops@Acme.Example ' };
      expect((await client.gqlOk(UPDATE_BUYER, { id, input: set }, admin)).updateBuyer).toEqual({
        id, name: 'Acme Insurance', balance: '0.00', creditLimit: '250.50', maxReturnPercent: '12.5', lowBalanceThreshold: '0.00', notifyEmail: 'ops@acme.example',
      });
      // FINANCE reads it as the operators do
      expect((await client.gqlOk(BUYER, { id }, finance)).buyer).toMatchObject({ creditLimit: '250.50', maxReturnPercent: '12.5', notifyEmail: 'ops@acme.example' });

      // one field changed, the rest kept
      expect((await client.gqlOk(UPDATE_BUYER, { id, input: { maxReturnPercent: '100' } }, admin)).updateBuyer).toMatchObject({
        name: 'Acme Insurance', creditLimit: '250.50', maxReturnPercent: '100', lowBalanceThreshold: '0.00', notifyEmail: 'ops@acme.example',
      });
      const cleared = { creditLimit: null, maxReturnPercent: null, lowBalanceThreshold: null, notifyEmail: null };
      expect((await client.gqlOk(UPDATE_BUYER, { id, input: cleared }, admin)).updateBuyer).toEqual({ id, name: 'Acme Insurance', balance: '0.00', ...cleared });
      const { rows } = await db.query(`SELECT credit_limit, max_return_percent, low_balance_threshold, notify_email FROM buyers WHERE id = $1`, [id]);
      expect(rows[0]).toEqual({ credit_limit: null, max_return_percent: null, low_balance_threshold: null, notify_email: null });

      for (const token of [finance, buyer.token]) {
        expect(codeOf(await client.gql(UPDATE_BUYER, { id: buyer.id, input: { name: 'mine now' } }, token))).toBe('forbidden');
      }
      expect((await client.gqlOk(BUYER, { id: buyer.id }, admin)).buyer.name).not.toBe('mine now');
    });

    it('names each bad field, and answers not_found for an unknown buyer', async () => {
      const bad = async (input: Record<string, unknown>) => {
        const r = await client.gql(UPDATE_BUYER, { id: buyer.id, input }, admin);
        expect(codeOf(r)).toBe('validation_failed');
        return fieldsOf(r);
      };
      expect(await bad({ name: '  ' })).toEqual(['input.name']);
      expect(await bad({ name: null })).toContain('input.name');
      expect(await bad({ creditLimit: '-5.00' })).toEqual(['input.creditLimit']);
      expect(await bad({ maxReturnPercent: '100.5' })).toEqual(['input.maxReturnPercent']);
      expect(await bad({ maxReturnPercent: '-1' })).toEqual(['input.maxReturnPercent']);
      expect(await bad({ lowBalanceThreshold: '-0.01' })).toEqual(['input.lowBalanceThreshold']);
      expect(await bad({ notifyEmail: 'not an address' })).toEqual(['input.notifyEmail']);
      // the balance is the ledger's, not a setting
      expect(codeOf(await client.gql(UPDATE_BUYER, { id: buyer.id, input: { balance: '1000000.00' } }, admin))).toBe('validation_failed');
      expect((await client.gqlOk(BUYER, { id: buyer.id }, admin)).buyer).toMatchObject({ balance: '0.00', creditLimit: '100.00', maxReturnPercent: null });

      for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
        expect(codeOf(await client.gql(UPDATE_BUYER, { id, input: { name: 'x' } }, admin))).toBe('not_found');
      }
    });

    it('refuses a credit limit below what the buyer already owes, naming input.creditLimit', async () => {
      const id = await createBuyer(db, { creditLimit: '100.00' });
      await sellLead(db, market, id, '60.00');
      expect((await client.gqlOk(BUYER, { id }, admin)).buyer.balance).toBe('-60.00');

      const r = await client.gql(UPDATE_BUYER, { id, input: { creditLimit: '59.99', name: 'renamed' } }, admin);
      expect(codeOf(r)).toBe('validation_failed');
      expect(r.errors![0].extensions!.errors).toEqual([{ field: 'input.creditLimit', message: expect.stringContaining('-60.00') }]);
      // nothing of the refused update was kept
      expect((await client.gqlOk(BUYER, { id }, admin)).buyer).toMatchObject({ name: expect.not.stringMatching('renamed'), creditLimit: '100.00' });

      expect((await client.gqlOk(UPDATE_BUYER, { id, input: { creditLimit: '60.00' } }, admin)).updateBuyer.creditLimit).toBe('60.00');
      expect((await client.gqlOk(UPDATE_BUYER, { id, input: { creditLimit: null } }, admin)).updateBuyer.creditLimit).toBeNull();
    });

    it('takes effect: a threshold above the funds notifies LOW_BALANCE, a 0% return rate refuses a return', async () => {
      const id = await createBuyer(db, { creditLimit: '50.00' });
      const user = await insertPortalUser(db, { role: 'BUYER', buyerId: id });
      const token = await client.login(user.email, user.password);
      const sold = await sellLead(db, market, id, '5.00');

      await client.gqlOk(UPDATE_BUYER, { id, input: { lowBalanceThreshold: '100.00' } }, admin);
      const notices = await db.query(`SELECT data FROM notifications WHERE buyer_id = $1 AND kind = 'LOW_BALANCE'`, [id]);
      expect(notices.rows.map((n) => n.data)).toEqual([expect.objectContaining({ available: '45.00', threshold: '100.00' })]);

      await client.gqlOk(UPDATE_BUYER, { id, input: { maxReturnPercent: '0' } }, admin);
      expect(codeOf(await client.gql(REQUEST, { leadId: sold.leadId, reason: 'OTHER' }, token))).toBe('return_rate_exceeded');
      await client.gqlOk(UPDATE_BUYER, { id, input: { maxReturnPercent: null } }, admin);
      expect((await client.gqlOk(REQUEST, { leadId: sold.leadId, reason: 'OTHER' }, token)).requestReturn.status).toBe('PENDING');
    });
  });

  describe('updateVertical returnAutoApproveReasons', () => {
    it('sets and clears the reasons approved on request (ADMIN only), and a return with one is approved at once', async () => {
      const m = await createMarket(db);
      expect((await client.gqlOk(UPDATE_VERTICAL, { key: m.vertical, input: { returnAutoApproveReasons: ['DUPLICATE', 'FRAUD', 'DUPLICATE'] } }, admin)).updateVertical).toEqual({
        key: m.vertical, returnAutoApproveReasons: ['DUPLICATE', 'FRAUD'],
      });
      const listed = (await client.gqlOk(`{ verticals { key returnAutoApproveReasons } }`, {}, buyer.token)).verticals;
      expect(listed.find((v: { key: string }) => v.key === m.vertical).returnAutoApproveReasons).toEqual(['DUPLICATE', 'FRAUD']);

      const dup = await sellLead(db, m, buyer.id, '2.00');
      const other = await sellLead(db, m, buyer.id, '2.00');
      expect((await client.gqlOk(REQUEST, { leadId: dup.leadId, reason: 'DUPLICATE' }, buyer.token)).requestReturn.status).toBe('APPROVED');
      expect((await client.gqlOk(REQUEST, { leadId: other.leadId, reason: 'OTHER' }, buyer.token)).requestReturn.status).toBe('PENDING');

      // left out: unchanged; [] clears
      expect((await client.gqlOk(UPDATE_VERTICAL, { key: m.vertical, input: { returnWindowDays: 5 } }, admin)).updateVertical.returnAutoApproveReasons).toEqual(['DUPLICATE', 'FRAUD']);
      expect((await client.gqlOk(UPDATE_VERTICAL, { key: m.vertical, input: { returnAutoApproveReasons: [] } }, admin)).updateVertical.returnAutoApproveReasons).toEqual([]);

      expect(codeOf(await client.gql(UPDATE_VERTICAL, { key: m.vertical, input: { returnAutoApproveReasons: ['OTHER'] } }, finance))).toBe('forbidden');
      const unknown = await client.gql(UPDATE_VERTICAL, { key: m.vertical, input: { returnAutoApproveReasons: ['BORED'] } }, admin);
      expect(codeOf(unknown)).toBe('validation_failed');
      expect(fieldsOf(unknown)).toEqual([expect.stringContaining('returnAutoApproveReasons')]);
      const { rows } = await db.query(`SELECT return_auto_approve_reasons FROM verticals WHERE key = $1`, [m.vertical]);
      expect(rows[0].return_auto_approve_reasons).toEqual([]);
    });
  });

  describe('recordAdjustment', () => {
    const adjustmentsOf = async (buyerId: string) =>
      (
        await db.query(
          `SELECT t.memo, e.account_type, e.account_id, e.direction, e.amount
             FROM ledger_transactions t JOIN ledger_entries e ON e.transaction_id = t.id
            WHERE t.kind = 'ADJUSTMENT' AND t.id IN (SELECT transaction_id FROM ledger_entries WHERE account_type = 'BUYER' AND account_id = $1)
            ORDER BY t.created_at, e.account_type`,
          [buyerId],
        )
      ).rows;

    it('credits and debits a buyer (ADMIN or FINANCE) against the exchange revenue, in balance and ledger alike', async () => {
      const id = await createBuyer(db, { creditLimit: '20.00' });
      const today = new Date().toISOString().slice(0, 10);
      const report = async () =>
        (await client.gqlOk(`query($d: String!) { operatorReport(from: $d, to: $d, groupBy: DAY) { adjustments adjustmentsRevenue } }`, { d: today }, finance)).operatorReport;
      const before = await report();
      expect((await client.gqlOk(ADJUST, { buyerId: id, amount: '25.00', reason: 'goodwill: outage on 3 May' }, finance)).recordAdjustment).toEqual({ id, balance: '25.00' });
      expect((await client.gqlOk(ADJUST, { buyerId: id, amount: '-40.5', reason: 'correction: double deposit' }, admin)).recordAdjustment).toEqual({ id, balance: '-15.50' });
      expect((await client.gqlOk(BUYER, { id }, finance)).buyer.balance).toBe('-15.50');

      expect(await adjustmentsOf(id)).toEqual([
        { memo: 'goodwill: outage on 3 May', account_type: 'BUYER', account_id: id, direction: 'CREDIT', amount: '25.00' },
        { memo: 'goodwill: outage on 3 May', account_type: 'EXCHANGE_REVENUE', account_id: null, direction: 'DEBIT', amount: '25.00' },
        { memo: 'correction: double deposit', account_type: 'BUYER', account_id: id, direction: 'DEBIT', amount: '40.50' },
        { memo: 'correction: double deposit', account_type: 'EXCHANGE_REVENUE', account_id: null, direction: 'CREDIT', amount: '40.50' },
      ]);
      const { rows } = await db.query(
        `SELECT coalesce(sum(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END), 0) AS net FROM ledger_entries WHERE account_type = 'BUYER' AND account_id = $1`,
        [id],
      );
      expect(rows[0].net).toBe('-15.50');
      // The operators' report shows them apart from the sales margin: −25.00 + 40.50 for the exchange.
      const after = await report();
      expect(after.adjustments - before.adjustments).toBe(2);
      expect(new Decimal(after.adjustmentsRevenue).minus(before.adjustmentsRevenue).toFixed(2)).toBe('15.50');

      expect(codeOf(await client.gql(ADJUST, { buyerId: buyer.id, amount: '5.00', reason: 'for me' }, buyer.token))).toBe('forbidden');
      expect((await client.gqlOk(BUYER, { id: buyer.id }, buyer.token)).buyer.balance).toBe((await client.gqlOk(BUYER, { id: buyer.id }, admin)).buyer.balance);
    });

    it('refuses a debit past the credit limit, naming amount, and leaves balance and ledger as they were', async () => {
      const id = await createBuyer(db, { creditLimit: '10.00' });
      await client.gqlOk(ADJUST, { buyerId: id, amount: '5.00', reason: 'goodwill' }, finance);
      const r = await client.gql(ADJUST, { buyerId: id, amount: '-15.01', reason: 'correction' }, finance);
      expect(codeOf(r)).toBe('validation_failed');
      expect(r.errors![0].extensions!.errors).toEqual([{ field: 'amount', message: expect.stringMatching(/below the credit limit of 10\.00 \(at most 15\.00 can be debited\)/) }]);
      expect((await client.gqlOk(BUYER, { id }, finance)).buyer.balance).toBe('5.00');
      expect(await adjustmentsOf(id)).toHaveLength(2);
      // exactly down to the limit is allowed; a buyer without a limit may go as low as it must
      expect((await client.gqlOk(ADJUST, { buyerId: id, amount: '-15.00', reason: 'correction' }, finance)).recordAdjustment.balance).toBe('-10.00');
      const unlimited = await createBuyer(db, { creditLimit: null });
      expect((await client.gqlOk(ADJUST, { buyerId: unlimited, amount: '-999.99', reason: 'correction' }, admin)).recordAdjustment.balance).toBe('-999.99');
    });

    it('names bad arguments: a zero or malformed amount, a missing or long reason, a bad buyer id; not_found for an unknown buyer', async () => {
      const fields = async (vars: Record<string, unknown>) => {
        const r = await client.gql(ADJUST, { buyerId: buyer.id, amount: '1.00', reason: 'why', ...vars }, finance);
        expect(codeOf(r)).toBe('validation_failed');
        return fieldsOf(r);
      };
      expect(await fields({ amount: '0.00' })).toEqual(['amount']);
      expect(await fields({ amount: '-0.00' })).toEqual(['amount']);
      expect(await fields({ amount: '-1.005' })).toEqual(['amount']);
      expect(await fields({ amount: '--1.00' })).toEqual(['amount']);
      expect(await fields({ reason: '   ' })).toEqual(['reason']);
      expect(await fields({ reason: 'x'.repeat(501) })).toEqual(['reason']);
      expect(await fields({ buyerId: 'nope', amount: '0.00' })).toEqual(['buyerId', 'amount']);
      expect(codeOf(await client.gql(ADJUST, { buyerId: '00000000-0000-4000-8000-000000000000', amount: '1.00', reason: 'why' }, finance))).toBe('not_found');
      expect((await client.gqlOk(ADJUST, { buyerId: buyer.id, amount: '1.00', reason: 'x'.repeat(500) }, finance)).recordAdjustment.id).toBe(buyer.id);
    });
  });

  it('leaves a ledger that reconciles: adjustments, sales, returns and settings changes together', async () => {
    const report = await reconcileLedger(db);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.ok).toBe(true);
    const adjustments = (await db.query(`SELECT count(*)::int AS n FROM ledger_transactions WHERE kind = 'ADJUSTMENT'`)).rows[0].n;
    expect(adjustments).toBe(6);
  });
});
