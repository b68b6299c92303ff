import '../../fast-check-setup';
import { randomUUID } from 'crypto';
import Decimal from 'decimal.js';
import fc from 'fast-check';
import { Client } from 'pg';
import { computePayout } from '@leadex/auction-core';
import { reconcileLedger } from '@leadex/persistence';
import { createTestCampaign } from '@leadex/testing';
import { createBuyer, createMarket, createScratchDb, Market, requestReturn } from './money-fixtures';

/**
 * Property: any stream of sales (some refused for funds), holds (confirmed, released or left pending),
 * deposits and returns (approved, rejected or left pending, some asked twice) leaves the ledger balanced,
 * every buyer's balance, every supplier's payable and the exchange's revenue equal to a Decimal model
 * of the same stream, and `reconcile` clean.
 */
type Command =
  | { kind: 'sale'; buyer: number; cents: number }
  | { kind: 'hold'; buyer: number; cents: number; then: 'confirm' | 'release' | 'leave' }
  | { kind: 'deposit'; buyer: number; cents: number }
  | { kind: 'return'; sale: number; decision: 'approve' | 'reject' | 'leave' };

const BUYERS = 3;
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('sale' as const), buyer: fc.nat(BUYERS - 1), cents: fc.integer({ min: 0, max: 40000 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('hold' as const), buyer: fc.nat(BUYERS - 1), cents: fc.integer({ min: 1, max: 40000 }),
      then: fc.constantFrom('confirm' as const, 'release' as const, 'leave' as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deposit' as const), buyer: fc.nat(BUYERS - 1), cents: fc.integer({ min: 1, max: 100000 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('return' as const), sale: fc.nat(50), decision: fc.constantFrom('approve' as const, 'reject' as const, 'leave' as const) }),
  },
);

interface ModelSale {
  leadId: string;
  buyer: number;
  price: Decimal;
  payout: Decimal;
  margin: Decimal;
  /** none: never asked; pending: a live request; returned: refunded. */
  state: 'none' | 'pending' | 'returned';
}

describe('the ledger under random streams of money movements', () => {
  let db: Client;
  let drop: () => Promise<void>;
  let market: Market;

  beforeAll(async () => {
    ({ db, drop } = await createScratchDb());
    market = await createMarket(db, { returnWindowDays: 7 });
  });
  afterAll(() => drop());

  const dec = (cents: number) => new Decimal(cents).div(100);
  const sum = async (sql: string, params: unknown[]) => new Decimal((await db.query(sql, params)).rows[0].v);

  it('keeps every balance exact and the ledger reconciled', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 30 }), fc.constantFrom('50.00', '500.00', null), async (commands, creditLimit) => {
        const buyers: string[] = [];
        const campaigns: string[] = [];
        for (let i = 0; i < BUYERS; i++) {
          buyers.push(await createBuyer(db, { creditLimit: i === 0 ? creditLimit : '300.00' }));
          campaigns.push(await createTestCampaign(db, { buyerId: buyers[i], vertical: market.vertical, bid: '1.00' }));
        }
        const limits = buyers.map((_, i) => (i === 0 ? creditLimit : '300.00'));
        const balance = buyers.map(() => new Decimal(0));
        const held = buyers.map(() => new Decimal(0));
        let payable = new Decimal(0);
        let revenue = new Decimal(0);
        const sales: ModelSale[] = [];
        const fits = (b: number, price: Decimal) => limits[b] === null || balance[b].minus(held[b]).minus(price).gte(new Decimal(limits[b]!).neg());

        const newLead = async () => {
          const id = randomUUID();
          await db.query(`SELECT leadex_store_lead($1, $2, $3, NULL, false, '{}'::jsonb, NULL, NULL, NULL, NULL, 0, 1, 'h', '{}', '{}')`, [id, market.supplierId, market.vertical]);
          return id;
        };

        for (const c of commands) {
          if (c.kind === 'deposit') {
            await db.query(`SELECT leadex_record_deposit($1, $2, $3, 'prop')`, [randomUUID(), buyers[c.buyer], dec(c.cents).toFixed(2)]);
            balance[c.buyer] = balance[c.buyer].plus(dec(c.cents));
          } else if (c.kind === 'sale' || c.kind === 'hold') {
            const price = dec(c.cents);
            const { payout, margin } = computePayout(price, { payoutPercent: '70' });
            const leadId = await newLead();
            const sale = randomUUID();
            const args = [sale, leadId, campaigns[c.buyer], buyers[c.buyer], price.toFixed(2), payout.toFixed(2), margin.toFixed(2)];
            const attempt =
              c.kind === 'sale'
                ? db.query(`SELECT leadex_reserve_sale($1, $8, $2, $3, $4, $5, $6, $7, '[]'::jsonb, '{}', '{"status":"sold"}'::jsonb)`, [...args, randomUUID()])
                : db.query(`SELECT leadex_hold_sale($1, $2, $3, $4, $5, $6, $7, '[]'::jsonb, NULL)`, args);
            if (!fits(c.buyer, price)) {
              await expect(attempt).rejects.toMatchObject({ code: 'LX003' });
              continue;
            }
            await attempt;
            const then = c.kind === 'sale' ? 'confirmed' : c.then;
            if (then === 'confirm') await db.query(`SELECT leadex_confirm_sale($1, $2, '{}', NULL)`, [sale, randomUUID()]);
            if (then === 'release') await db.query(`SELECT leadex_release_sale($1)`, [sale]);
            if (then === 'leave') {
              held[c.buyer] = held[c.buyer].plus(price);
            } else if (then !== 'release') {
              balance[c.buyer] = balance[c.buyer].minus(price);
              payable = payable.plus(payout);
              revenue = revenue.plus(margin);
              sales.push({ leadId, buyer: c.buyer, price, payout, margin, state: 'none' });
            }
          } else {
            if (!sales.length) continue;
            const s = sales[c.sale % sales.length];
            const asked = requestReturn(db, s.leadId, buyers[s.buyer], 'OTHER');
            if (s.state !== 'none') {
              await expect(asked).rejects.toMatchObject({ code: 'LXR03' });
              continue;
            }
            const { id } = await asked;
            s.state = 'pending';
            if (c.decision === 'reject') {
              await db.query(`SELECT leadex_reject_return($1, NULL, NULL)`, [id]);
              s.state = 'none';
            } else if (c.decision === 'approve') {
              await db.query(`SELECT leadex_approve_return($1, NULL, NULL)`, [id]);
              s.state = 'returned';
              balance[s.buyer] = balance[s.buyer].plus(s.price);
              payable = payable.minus(s.payout);
              revenue = revenue.minus(s.margin);
            }
          }
        }

        for (let i = 0; i < BUYERS; i++) {
          const stored = await sum(`SELECT balance AS v FROM buyers WHERE id = $1`, [buyers[i]]);
          const ledger = await sum(
            `SELECT coalesce(sum(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END), 0) AS v FROM ledger_entries WHERE account_type = 'BUYER' AND account_id = $1`,
            [buyers[i]],
          );
          expect(ledger.toFixed(2)).toBe(balance[i].toFixed(2));
          expect(stored.toFixed(2)).toBe(balance[i].minus(held[i]).toFixed(2)); // a pending hold has taken its funds already
        }
        const ourTxns = `t.lead_id IN (SELECT lead_id FROM sales WHERE buyer_id = ANY($1::uuid[]))`;
        const supplier = await sum(
          `SELECT coalesce(sum(CASE e.direction WHEN 'CREDIT' THEN e.amount ELSE -e.amount END), 0) AS v
             FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id WHERE e.account_type = 'SUPPLIER' AND ${ourTxns}`,
          [buyers],
        );
        const exchange = await sum(
          `SELECT coalesce(sum(CASE e.direction WHEN 'CREDIT' THEN e.amount ELSE -e.amount END), 0) AS v
             FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id WHERE e.account_type = 'EXCHANGE_REVENUE' AND ${ourTxns}`,
          [buyers],
        );
        expect(supplier.toFixed(2)).toBe(payable.toFixed(2));
        expect(exchange.toFixed(2)).toBe(revenue.toFixed(2));
        const report = await reconcileLedger(db);
        expect(report.checks.filter((k) => !k.ok)).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});
