/**
 * `npm run reconcile`: proves the ledger from DATABASE_URL — Σ debits = Σ credits, every transaction
 * balanced, each sale and return recorded exactly once and matching, each buyer's balance equal to its
 * entries. Prints a short report; exits 1 on any break (2 when it could not run), so CI and operators
 * can run it after a load or fault test.
 */
import { Client } from 'pg';
import { loadConfig } from '@leadex/config';
import { formatReconciliation, reconcileLedger } from '@leadex/persistence';

(async () => {
  const config = loadConfig();
  const db = new Client({ connectionString: config.DATABASE_URL, application_name: 'leadex-reconcile' });
  await db.connect();
  try {
    // one snapshot for every check, so a sale committing meanwhile cannot look like a break
    await db.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const report = await reconcileLedger(db);
    await db.query('COMMIT');
    console.log(formatReconciliation(report));
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await db.end();
  }
})().catch((e) => {
  console.error(`reconcile could not run: ${e.message}`);
  process.exit(2);
});
