import { Client } from 'pg';

describe('the migrated database', () => {
  let db: Client;
  beforeAll(async () => {
    db = new Client({ connectionString: process.env.LEADEX_TEST_DATABASE_URL });
    await db.connect();
  });
  afterAll(() => db.end());

  it('holds the three built-in verticals with PII flags', async () => {
    const { rows } = await db.query(`SELECT key, schema FROM verticals ORDER BY key`);
    expect(rows.map((r) => r.key)).toEqual(expect.arrayContaining(['auto-insurance', 'mortgage', 'solar']));
    const auto = rows.find((r) => r.key === 'auto-insurance').schema;
    expect(auto.properties.phone['x-pii']).toBe(true);
    expect(auto.properties.zip['x-pii']).toBeUndefined();
    expect(auto.required).toEqual(
      expect.arrayContaining(['first_name', 'last_name', 'email', 'phone', 'zip', 'state', 'age', 'credit_rating', 'homeowner', 'currently_insured']),
    );
  });

  it('refuses an unbalanced ledger transaction at commit', async () => {
    await db.query('BEGIN');
    const tx = await db.query(`INSERT INTO ledger_transactions (kind, memo) VALUES ('ADJUSTMENT', 'test') RETURNING id`);
    await db.query(
      `INSERT INTO ledger_entries (transaction_id, account_type, direction, amount) VALUES ($1, 'CASH', 'DEBIT', 5), ($1, 'EXCHANGE_REVENUE', 'CREDIT', 4)`,
      [tx.rows[0].id],
    );
    await expect(db.query('COMMIT')).rejects.toThrow(/unbalanced/);
  });

  it('keeps the ledger append-only', async () => {
    await db.query('BEGIN');
    const tx = await db.query(`INSERT INTO ledger_transactions (kind, memo) VALUES ('ADJUSTMENT', 'test') RETURNING id`);
    await db.query(
      `INSERT INTO ledger_entries (transaction_id, account_type, direction, amount) VALUES ($1, 'CASH', 'DEBIT', 5), ($1, 'EXCHANGE_REVENUE', 'CREDIT', 5)`,
      [tx.rows[0].id],
    );
    await db.query('COMMIT');
    await expect(db.query(`UPDATE ledger_entries SET amount = 6 WHERE transaction_id = $1`, [tx.rows[0].id])).rejects.toThrow(/append-only/);
  });

  it('never lets a buyer go past its credit limit', async () => {
    const b = await db.query(`INSERT INTO buyers (name, credit_limit, balance) VALUES ('Tight', 10, 0) RETURNING id`);
    await expect(db.query(`UPDATE buyers SET balance = -10.01 WHERE id = $1`, [b.rows[0].id])).rejects.toThrow(/buyers_within_credit_limit/);
  });
});

describe('the latest migration', () => {
  it('reverts and re-applies cleanly', async () => {
    const { DataSource } = await import('typeorm');
    const { dataSourceOptions } = await import('@leadex/persistence');
    // a scratch database of its own: reverting must not disturb the suites sharing the run's database
    const base = process.env.LEADEX_TEST_DATABASE_URL!.replace(/\/[^/]+$/, '');
    const name = `leadex_revert_${Date.now()}`;
    const admin = new Client({ connectionString: `${base}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const ds = new DataSource(dataSourceOptions(`${base}/${name}`, 2));
      await ds.initialize();
      await ds.runMigrations();
      await ds.undoLastMigration();
      const applied = await ds.runMigrations();
      expect(applied).toHaveLength(1);
      await ds.destroy();
    } finally {
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
