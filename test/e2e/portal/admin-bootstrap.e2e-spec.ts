import * as argon2 from 'argon2';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '@leadex/config';
import { dataSourceOptions, migrate } from '@leadex/persistence';
import { bootstrapAdmin } from '../../../apps/buyer-portal/src/admin-bootstrap';

/**
 * bootstrapAdmin acts only when no admin exists, which the shared test database never guarantees:
 * this suite runs it against a database of its own, built by the real migrations.
 */
describe('bootstrapAdmin', () => {
  const shared = process.env.LEADEX_TEST_DATABASE_URL ?? process.env.DATABASE_URL!;
  const name = `leadex_portal_boot_${Date.now()}_${process.pid}`;
  const url = shared.replace(/\/[^/]*$/, `/${name}`);
  let ds: DataSource;

  async function adminDb<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const c = new Client({ connectionString: shared.replace(/\/[^/]*$/, '/postgres') });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => {
    await adminDb((c) => c.query(`CREATE DATABASE ${name}`));
    await migrate(url);
    ds = new DataSource(dataSourceOptions(url, 4, 'leadex-boot-test'));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    await adminDb((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });
  beforeEach(() => ds.query(`DELETE FROM users`));

  const admins = () => ds.query(`SELECT email, password_hash FROM users WHERE role = 'ADMIN'`) as Promise<{ email: string; password_hash: string }[]>;

  it('outside production creates admin@leadex.local with a printed random password, once, even when two processes race', async () => {
    const logs: string[] = [];
    const config = loadConfig({ NODE_ENV: 'development' });
    await Promise.all([bootstrapAdmin(ds, config, (m) => logs.push(m)), bootstrapAdmin(ds, config, (m) => logs.push(m))]);

    const rows = await admins();
    expect(rows).toHaveLength(1);
    expect(rows[0].email).toBe('admin@leadex.local');
    expect(logs).toHaveLength(1);
    const m = /^Admin user created: admin@leadex\.local \/ (\S{12,})$/.exec(logs[0]);
    expect(m).not.toBeNull();
    expect(await argon2.verify(rows[0].password_hash, m![1])).toBe(true);

    await bootstrapAdmin(ds, config, (msg) => logs.push(msg));
    expect(logs).toHaveLength(1);
    expect(await admins()).toHaveLength(1);
  });

  it('uses ADMIN_EMAIL and ADMIN_PASSWORD when given, and never prints that password', async () => {
    const logs: string[] = [];
    await bootstrapAdmin(ds, loadConfig({ NODE_ENV: 'development', ADMIN_EMAIL: 'Ops@Example.TEST', ADMIN_PASSWORD: 'a-long-admin-password' }), (m) => logs.push(m));
    const rows = await admins();
    expect(rows.map((r) => r.email)).toEqual(['ops@example.test']);
    expect(await argon2.verify(rows[0].password_hash, 'a-long-admin-password')).toBe(true);
    expect(logs).toEqual(['Admin user created: ops@example.test']);
  });

  it('in production requires both ADMIN_EMAIL and ADMIN_PASSWORD', async () => {
    const prod = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) };
    await expect(bootstrapAdmin(ds, loadConfig(prod), () => undefined)).rejects.toThrow(/set ADMIN_EMAIL and ADMIN_PASSWORD/);
    await expect(bootstrapAdmin(ds, loadConfig({ ...prod, ADMIN_EMAIL: 'ops@example.test' }), () => undefined)).rejects.toThrow(/ADMIN_PASSWORD/);
    expect(await admins()).toHaveLength(0);
    await bootstrapAdmin(ds, loadConfig({ ...prod, ADMIN_EMAIL: 'ops@example.test', ADMIN_PASSWORD: 'a-long-admin-password' }), () => undefined);
    expect((await admins()).map((r) => r.email)).toEqual(['ops@example.test']);
  });

  it('does nothing when an admin exists, and refuses a short ADMIN_PASSWORD', async () => {
    await expect(bootstrapAdmin(ds, loadConfig({ ADMIN_PASSWORD: 'short' }), () => undefined)).rejects.toThrow('ADMIN_PASSWORD must be at least 10 characters');
    await ds.query(`INSERT INTO users (email, password_hash, role) VALUES ('first@example.test', 'x', 'ADMIN')`);
    const logs: string[] = [];
    await bootstrapAdmin(ds, loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }), (m) => logs.push(m));
    expect(logs).toEqual([]);
    expect((await admins()).map((r) => r.email)).toEqual(['first@example.test']);
  });
});
