import type { INestApplication } from '@nestjs/common';
import type { Client } from 'pg';
import { PortalClient, startPortal } from '../../../libs/testing/src/portal-client';
import { insertPortalAdmin, insertPortalBuyerUser, insertPortalUser, openPortalTestDb, PortalTestUser } from '../../../libs/testing/src/portal-factories';

describe('portal sign-in', () => {
  let app: INestApplication;
  let client: PortalClient;
  let db: Client;
  let admin: PortalTestUser;

  beforeAll(async () => {
    ({ app, client } = await startPortal());
    db = await openPortalTestDb();
    admin = await insertPortalAdmin(db);
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
  });

  const LOGIN = `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token user { id email role buyerId } } }`;

  it('signs in with the right password and the token works for me', async () => {
    const r = await client.gql(LOGIN, { email: admin.email.toUpperCase(), password: admin.password });
    expect(r.errors).toBeUndefined();
    expect(r.data.login.user).toEqual({ id: admin.id, email: admin.email, role: 'ADMIN', buyerId: null });
    expect(r.data.login.token.split('.')).toHaveLength(3);

    const me = await client.gqlOk(`{ me { id email role buyerId } }`, {}, r.data.login.token);
    expect(me.me).toEqual({ id: admin.id, email: admin.email, role: 'ADMIN', buyerId: null });
  });

  it('a BUYER user sees its buyer id on me', async () => {
    const buyer = await insertPortalBuyerUser(db);
    const token = await client.login(buyer.email, buyer.password);
    const me = await client.gqlOk(`{ me { role buyerId } }`, {}, token);
    expect(me.me).toEqual({ role: 'BUYER', buyerId: buyer.buyerId });
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const wrong = await client.gql(LOGIN, { email: admin.email, password: 'not-the-password' });
    expect(wrong.data).toBeNull();
    expect(wrong.errors).toHaveLength(1);
    expect(wrong.errors![0].extensions?.code).toBe('unauthorized');
    expect(wrong.errors![0].message).toBe('Invalid email or password');

    const unknown = await client.gql(LOGIN, { email: 'nobody-here@example.test', password: 'whatever-password' });
    expect(unknown.errors![0].extensions?.code).toBe('unauthorized');
    expect(unknown.errors![0].message).toBe('Invalid email or password');
  });

  it('answers unauthorized without a token or with a bad one, and never leaks a stack', async () => {
    const none = await client.gql(`{ me { id } }`);
    expect(none.errors![0].extensions?.code).toBe('unauthorized');
    expect(none.data).toBeNull();

    const forged = await client.gql(`{ campaigns { id } }`, {}, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad');
    expect(forged.errors![0].extensions?.code).toBe('unauthorized');
    expect(JSON.stringify(forged.errors)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });

  it('answers forbidden for a signed-in user with the wrong role', async () => {
    const finance = await insertPortalUser(db, { role: 'FINANCE' });
    const token = await client.login(finance.email, finance.password);
    const r = await client.gql(`mutation { createBuyer(input: { name: "nope" }) { id } }`, {}, token);
    expect(r.errors![0].extensions?.code).toBe('forbidden');
    const count = await db.query(`SELECT count(*)::int AS n FROM buyers WHERE name = 'nope'`);
    expect(count.rows[0].n).toBe(0);
  });

  it('keeps a given x-request-id and makes one otherwise', async () => {
    const given = await fetch(`${client.baseUrl}/health`, { headers: { 'x-request-id': 'req-abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('req-abc-123');
    const made = await fetch(`${client.baseUrl}/health`);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
