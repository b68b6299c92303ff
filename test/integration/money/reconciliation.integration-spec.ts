import { execFile, execSync } from 'child_process';
import { randomUUID } from 'crypto';
import { existsSync } from 'fs';
import { join } from 'path';
import { Client } from 'pg';
import { formatReconciliation, reconcileLedger, ReconciliationReport } from '@leadex/persistence';
import { createTestCampaign } from '@leadex/testing';
import { createBuyer, createMarket, createScratchDb, Market, requestReturn, sellLead } from './money-fixtures';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'tools', 'reconcile.js');

/** `npm run reconcile`'s core on a database of its own: a clean ledger passes; each kind of break fails, named. */
describe('reconciliation', () => {
  let db: Client;
  let drop: () => Promise<void>;
  let url: string;
  let market: Market;
  let buyer: string;

  const failed = (r: ReconciliationReport) => r.checks.filter((c) => !c.ok).map((c) => c.name);

  beforeAll(async () => {
    ({ db, drop } = await createScratchDb());
    url = `${(process.env.LEADEX_TEST_DATABASE_URL ?? process.env.DATABASE_URL)!.replace(/\/[^/]+$/, '')}/${db.database}`;
    market = await createMarket(db);
    buyer = await createBuyer(db, { creditLimit: '500.00' });
    // every kind of movement: sales, a deposit, adjustments both ways, an approved, a rejected and a pending return, a hold still pending
    const sold = [];
    for (const price of ['10.00', '7.77', '0.01', '123.45']) sold.push(await sellLead(db, market, buyer, price));
    await db.query(`SELECT leadex_record_deposit($1, $2, '300.00', 'wire 1')`, [randomUUID(), buyer]);
    await db.query(`SELECT leadex_record_adjustment($1, $2, '15.00', 'goodwill')`, [randomUUID(), buyer]);
    await db.query(`SELECT leadex_record_adjustment($1, $2, '-4.44', 'correction')`, [randomUUID(), buyer]);
    await db.query(`SELECT leadex_approve_return($1, NULL, NULL)`, [(await requestReturn(db, sold[0].leadId, buyer)).id]);
    await db.query(`SELECT leadex_reject_return($1, NULL, NULL)`, [(await requestReturn(db, sold[1].leadId, buyer)).id]);
    await requestReturn(db, sold[2].leadId, buyer);
    const held = randomUUID();
    const lead = randomUUID();
    await db.query(`SELECT leadex_store_lead($1, $2, $3, NULL, false, '{}'::jsonb, NULL, NULL, NULL, NULL, 0, 1, 'h', '{}', '{}')`, [lead, market.supplierId, market.vertical]);
    const campaign = await createTestCampaign(db, { buyerId: buyer, vertical: market.vertical, bid: '20.00' });
    await db.query(`SELECT leadex_hold_sale($1, $2, $3, $4, '20.00', '14.00', '6.00', '[]'::jsonb, NULL)`, [held, lead, campaign, buyer]);
  });
  afterAll(() => drop());

  it('passes a clean ledger with sales, deposits, adjustments, returns and a pending hold', async () => {
    const report = await reconcileLedger(db);
    expect(failed(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.totals.debits).toBe(report.totals.credits);
    expect(formatReconciliation(report)).toMatch(/RECONCILED: every check holds/);
  });

  it('names a buyer whose balance was changed behind the ledger', async () => {
    await db.query(`UPDATE buyers SET balance = balance + 0.01 WHERE id = $1`, [buyer]);
    try {
      const report = await reconcileLedger(db);
      expect(report.ok).toBe(false);
      const broken = report.checks.filter((c) => !c.ok);
      expect(broken.map((c) => c.name)).toEqual([expect.stringMatching(/buyer's balance equals its ledger/)]);
      expect(broken[0].breaks).toEqual([expect.stringContaining(`buyer ${buyer}`)]);
      expect(broken[0].breaks[0]).toMatch(/difference 0\.01/);
      expect(formatReconciliation(report)).toMatch(/NOT RECONCILED: 1 check\(s\) broke/);
    } finally {
      await db.query(`UPDATE buyers SET balance = balance - 0.01 WHERE id = $1`, [buyer]);
    }
  });

  it('names a sale without its SALE transaction, and a sale marked RETURNED without a refund', async () => {
    const other = await createBuyer(db);
    const sold = await sellLead(db, market, other, '8.00');
    const campaign = (await db.query(`SELECT campaign_id FROM sales WHERE id = $1`, [sold.saleId])).rows[0].campaign_id;
    const orphan = (
      await db.query(
        `INSERT INTO sales (lead_id, campaign_id, buyer_id, supplier_id, vertical_key, price, payout, margin, sold_at)
         VALUES ($1, $2, $3, $4, $5, '8.00', '5.60', '2.40', now()) RETURNING id`,
        [sold.leadId, campaign, buyer, market.supplierId, market.vertical],
      )
    ).rows[0].id;
    await db.query(`UPDATE sales SET status = 'RETURNED', returned_at = now() WHERE id = $1`, [sold.saleId]);
    try {
      const report = await reconcileLedger(db);
      const saleCheck = report.checks.find((c) => /exactly one SALE transaction/.test(c.name))!;
      const returnCheck = report.checks.find((c) => /exactly one RETURN transaction/.test(c.name))!;
      expect(saleCheck.breaks).toEqual([expect.stringContaining(`sale ${orphan}`)]);
      expect(saleCheck.breaks[0]).toMatch(/0 SALE transaction/);
      expect(returnCheck.breaks).toEqual([expect.stringContaining(`sale ${sold.saleId}`)]);
      expect(report.ok).toBe(false);
    } finally {
      await db.query(`UPDATE sales SET status = 'SOLD', returned_at = NULL WHERE id = $1`, [sold.saleId]);
      await db.query(`DELETE FROM sales WHERE id = $1`, [orphan]);
    }
    expect((await reconcileLedger(db)).ok).toBe(true);
  });

  it('names an unbalanced transaction that slipped past the commit check', async () => {
    // only a superuser switching the guard off can write one; reconciliation must still see it
    await db.query(`ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_balanced`);
    const txn = randomUUID();
    try {
      await db.query(`INSERT INTO ledger_transactions (id, kind, memo) VALUES ($1, 'ADJUSTMENT', 'bad')`, [txn]);
      await db.query(`INSERT INTO ledger_entries (transaction_id, account_type, direction, amount) VALUES ($1, 'CASH', 'DEBIT', 5)`, [txn]);
    } finally {
      await db.query(`ALTER TABLE ledger_entries ENABLE TRIGGER ledger_entries_balanced`);
    }
    const report = await reconcileLedger(db);
    expect(failed(report)).toEqual([
      'Σ debits = Σ credits over the whole ledger',
      'every ledger transaction balances (debits = credits) and has entries',
    ]);
    expect(report.checks[1].breaks).toEqual([expect.stringContaining(`ADJUSTMENT transaction ${txn}: debits 5`)]);
  });

  it('the CLI prints the report and exits non-zero on a break', async () => {
    if (!existsSync(CLI)) execSync('npm run build', { cwd: ROOT, stdio: 'inherit' });
    const run = () =>
      new Promise<{ code: number; out: string }>((resolve) => {
        execFile(process.execPath, [CLI], { env: { ...process.env, DATABASE_URL: url } }, (err, stdout, stderr) =>
          resolve({ code: err ? ((err as any).code as number) : 0, out: stdout + stderr }),
        );
      });
    const broken = await run(); // the unbalanced transaction of the test before is still there
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/FAIL every ledger transaction balances/);
    expect(broken.out).toMatch(/NOT RECONCILED/);
  });
});
