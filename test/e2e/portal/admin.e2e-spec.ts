import { createHash } from 'crypto';
import type { INestApplication } from '@nestjs/common';
import type { Client } from 'pg';
import { PortalClient, startPortal } from '../../../libs/testing/src/portal-client';
import { insertPortalAdmin, insertPortalBuyerUser, insertPortalUser, openPortalTestDb, portalEmail, portalUnique } from '../../../libs/testing/src/portal-factories';

const CREATE_SUPPLIER = `mutation($input: CreateSupplierInput!) {
  createSupplier(input: $input) { apiKey supplier { id name status payoutPercent fixedPayout allowedVerticals rateLimitPerSec apiKeyPrefix } }
}`;
const CREATE_BUYER = `mutation($input: CreateBuyerInput!) { createBuyer(input: $input) { id name balance creditLimit } }`;
const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) { id email role buyerId } }`;

describe('portal administration: suppliers, buyers, users', () => {
  let app: INestApplication;
  let client: PortalClient;
  let db: Client;
  let adminToken: string;

  beforeAll(async () => {
    ({ app, client } = await startPortal());
    db = await openPortalTestDb();
    const admin = await insertPortalAdmin(db);
    adminToken = await client.login(admin.email, admin.password);
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  describe('createSupplier', () => {
    it('shows an lx_ API key once and stores only its SHA-256 and prefix', async () => {
      const name = portalUnique('Acme Leads');
      const data = await client.gqlOk(CREATE_SUPPLIER, { input: { name } }, adminToken);
      const { apiKey, supplier } = data.createSupplier;
      expect(apiKey).toMatch(/^lx_[A-Za-z0-9_-]{43}$/);
      expect(supplier).toEqual({
        id: expect.any(String),
        name,
        status: 'ACTIVE',
        payoutPercent: '70',
        fixedPayout: null,
        allowedVerticals: null,
        rateLimitPerSec: null,
        apiKeyPrefix: apiKey.slice(0, 10),
      });
      const { rows } = await db.query(`SELECT api_key_hash, api_key_prefix, payout_percent::text AS pct FROM suppliers WHERE id = $1`, [supplier.id]);
      expect(rows[0].api_key_hash).toBe(createHash('sha256').update(apiKey).digest('hex'));
      expect(rows[0].api_key_hash).not.toContain(apiKey);
      expect(rows[0].api_key_prefix).toBe(apiKey.slice(0, 10));
      expect(rows[0].pct).toBe('70.0000');
      // The row holds nothing from which the key could be read back.
      const whole = await db.query(`SELECT row_to_json(s)::text AS j FROM suppliers s WHERE id = $1`, [supplier.id]);
      expect(whole.rows[0].j).not.toContain(apiKey.slice(3));

      const listed = await client.gqlOk(`{ suppliers { id name apiKeyPrefix } }`, {}, adminToken);
      expect(listed.suppliers).toContainEqual({ id: supplier.id, name, apiKeyPrefix: apiKey.slice(0, 10) });
      expect(JSON.stringify(listed)).not.toContain(apiKey);
    });

    it('takes a payout percent, a fixed payout, allowed verticals and a rate limit', async () => {
      const data = await client.gqlOk(
        CREATE_SUPPLIER,
        { input: { name: portalUnique('s'), payoutPercent: '72.5', fixedPayout: '4.25', allowedVerticals: ['mortgage', 'solar'], rateLimitPerSec: 50 } },
        adminToken,
      );
      expect(data.createSupplier.supplier).toMatchObject({ payoutPercent: '72.5', fixedPayout: '4.25', allowedVerticals: ['mortgage', 'solar'], rateLimitPerSec: 50 });
      const { rows } = await db.query(`SELECT payout_percent::text AS pct, fixed_payout::text AS fixed FROM suppliers WHERE id = $1`, [data.createSupplier.supplier.id]);
      expect(rows[0]).toEqual({ pct: '72.5000', fixed: '4.25' });
    });

    it('rejects a bad payout percent, money with 3 decimals and an unknown vertical, naming each', async () => {
      const pct = await client.gql(CREATE_SUPPLIER, { input: { name: 'x', payoutPercent: '100.5' } }, adminToken);
      expect(pct.errors![0].extensions?.code).toBe('validation_failed');
      expect(pct.errors![0].extensions?.errors).toEqual([{ field: 'input.payoutPercent', message: expect.stringContaining('between 0 and 100') }]);

      const money = await client.gql(CREATE_SUPPLIER, { input: { name: 'x', fixedPayout: '1.005' } }, adminToken);
      expect(money.errors![0].extensions?.code).toBe('validation_failed');
      expect(money.errors![0].extensions?.errors?.[0].field).toBe('input.fixedPayout');
      expect(money.errors![0].message).toContain('"1.005"');

      const vertical = await client.gql(CREATE_SUPPLIER, { input: { name: 'x', allowedVerticals: ['solar', 'no-such-vertical'] } }, adminToken);
      expect(vertical.errors![0].extensions?.errors).toEqual([{ field: 'input.allowedVerticals[1]', message: 'unknown vertical "no-such-vertical"' }]);
    });
  });

  describe('createBuyer and buyers', () => {
    it('creates a buyer with and without a credit limit, money as two-place strings', async () => {
      const limited = await client.gqlOk(CREATE_BUYER, { input: { name: portalUnique('Buyer'), creditLimit: '1500.5' } }, adminToken);
      expect(limited.createBuyer).toMatchObject({ balance: '0.00', creditLimit: '1500.50' });
      const unlimited = await client.gqlOk(CREATE_BUYER, { input: { name: portalUnique('Buyer') } }, adminToken);
      expect(unlimited.createBuyer).toMatchObject({ balance: '0.00', creditLimit: null });
      const { rows } = await db.query(`SELECT credit_limit::text AS cl FROM buyers WHERE id = $1`, [limited.createBuyer.id]);
      expect(rows[0].cl).toBe('1500.50');
    });

    it('refuses a negative credit limit and a JSON-number amount', async () => {
      const negative = await client.gql(CREATE_BUYER, { input: { name: 'b', creditLimit: '-5.00' } }, adminToken);
      expect(negative.errors![0].extensions?.code).toBe('validation_failed');
      expect(negative.errors![0].extensions?.errors?.[0].field).toBe('input.creditLimit');
      const number = await client.gql(CREATE_BUYER, { input: { name: 'b', creditLimit: 12.5 } }, adminToken);
      expect(number.errors![0].extensions?.code).toBe('validation_failed');
      expect(number.errors![0].message).toContain('Money must be a string');
    });

    it('lets FINANCE list buyers; a BUYER reads only its own buyer', async () => {
      const finance = await insertPortalUser(db, { role: 'FINANCE' });
      const financeToken = await client.login(finance.email, finance.password);
      const a = await insertPortalBuyerUser(db);
      const b = await insertPortalBuyerUser(db);
      const listed = await client.gqlOk(`{ buyers { id } }`, {}, financeToken);
      expect(listed.buyers.map((x: any) => x.id)).toEqual(expect.arrayContaining([a.buyerId, b.buyerId]));

      const aToken = await client.login(a.email, a.password);
      expect((await client.gqlOk(`query($id: ID!) { buyer(id: $id) { id balance } }`, { id: a.buyerId }, aToken)).buyer).toEqual({ id: a.buyerId, balance: '0.00' });
      expect((await client.gqlOk(`query($id: ID!) { buyer(id: $id) { id } }`, { id: b.buyerId }, aToken)).buyer).toBeNull();
      expect((await client.gql(`{ buyers { id } }`, {}, aToken)).errors![0].extensions?.code).toBe('forbidden');
    });
  });

  describe('createUser', () => {
    it('creates users of every role; the email is lowercased and the new user can sign in', async () => {
      const buyer = await client.gqlOk(CREATE_BUYER, { input: { name: portalUnique('Buyer') } }, adminToken);
      const email = portalEmail('Mixed.Case').replace('mixed', 'MiXeD');
      const created = await client.gqlOk(
        CREATE_USER,
        { input: { email, password: 'correct horse battery', role: 'BUYER', buyerId: buyer.createBuyer.id } },
        adminToken,
      );
      expect(created.createUser).toEqual({ id: expect.any(String), email: email.toLowerCase(), role: 'BUYER', buyerId: buyer.createBuyer.id });
      const token = await client.login(email.toLowerCase(), 'correct horse battery');
      expect((await client.gqlOk(`{ me { id } }`, {}, token)).me.id).toBe(created.createUser.id);

      const hash = await db.query(`SELECT password_hash FROM users WHERE id = $1`, [created.createUser.id]);
      expect(hash.rows[0].password_hash).toMatch(/^\$argon2id\$/);

      const finance = await client.gqlOk(CREATE_USER, { input: { email: portalEmail('fin'), password: 'long-enough-pw', role: 'FINANCE' } }, adminToken);
      expect(finance.createUser).toMatchObject({ role: 'FINANCE', buyerId: null });
    });

    it('names every bad field: email syntax and a short password', async () => {
      const r = await client.gql(CREATE_USER, { input: { email: 'not-an-email', password: 'short', role: 'FINANCE' } }, adminToken);
      expect(r.errors![0].extensions?.code).toBe('validation_failed');
      const fields = r.errors![0].extensions!.errors!.map((e) => e.field).sort();
      expect(fields).toEqual(['input.email', 'input.password']);
    });

    it('requires an existing buyer for BUYER users and refuses one for other roles', async () => {
      const missing = await client.gql(CREATE_USER, { input: { email: portalEmail(), password: 'long-enough-pw', role: 'BUYER' } }, adminToken);
      expect(missing.errors![0].extensions?.errors).toEqual([{ field: 'input.buyerId', message: 'is required for a BUYER user' }]);
      const ghost = await client.gql(
        CREATE_USER,
        { input: { email: portalEmail(), password: 'long-enough-pw', role: 'BUYER', buyerId: '00000000-0000-4000-8000-000000000000' } },
        adminToken,
      );
      expect(ghost.errors![0].extensions?.errors?.[0]).toEqual({ field: 'input.buyerId', message: 'no buyer with id 00000000-0000-4000-8000-000000000000' });
      const b = await insertPortalBuyerUser(db);
      const adminWithBuyer = await client.gql(CREATE_USER, { input: { email: portalEmail(), password: 'long-enough-pw', role: 'ADMIN', buyerId: b.buyerId } }, adminToken);
      expect(adminWithBuyer.errors![0].extensions?.errors?.[0]).toEqual({ field: 'input.buyerId', message: 'must be empty unless role is BUYER' });
    });

    it('answers conflict naming the email when it is taken (whatever its case)', async () => {
      const email = portalEmail('dup');
      await client.gqlOk(CREATE_USER, { input: { email, password: 'long-enough-pw', role: 'FINANCE' } }, adminToken);
      const again = await client.gql(CREATE_USER, { input: { email: email.toUpperCase(), password: 'long-enough-pw', role: 'FINANCE' } }, adminToken);
      expect(again.errors![0].extensions?.code).toBe('conflict');
      expect(again.errors![0].message).toContain(email);
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM users WHERE email = $1`, [email]);
      expect(rows[0].n).toBe(1);
    });

    it('is ADMIN only', async () => {
      const b = await insertPortalBuyerUser(db);
      const token = await client.login(b.email, b.password);
      for (const [query, input] of [
        [CREATE_USER, { email: portalEmail(), password: 'long-enough-pw', role: 'ADMIN' }],
        [CREATE_SUPPLIER, { name: 'x' }],
        [CREATE_BUYER, { name: 'x' }],
      ] as const) {
        const r = await client.gql(query, { input }, token);
        expect(r.errors![0].extensions?.code).toBe('forbidden');
      }
    });
  });
});
