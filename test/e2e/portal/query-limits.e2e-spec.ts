import type { INestApplication } from '@nestjs/common';
import type { Client } from 'pg';
import { PortalClient, startPortal } from '../../../libs/testing/src/portal-client';
import { insertPortalBuyerUser, openPortalTestDb } from '../../../libs/testing/src/portal-factories';

/** This suite boots the portal with tight limits, to show each limit rejects what exceeds it. */
describe('GraphQL query limits', () => {
  const saved = {
    GRAPHQL_MAX_DEPTH: process.env.GRAPHQL_MAX_DEPTH,
    GRAPHQL_MAX_COMPLEXITY: process.env.GRAPHQL_MAX_COMPLEXITY,
    GRAPHQL_INTROSPECTION: process.env.GRAPHQL_INTROSPECTION,
  };
  let app: INestApplication;
  let client: PortalClient;
  let db: Client;
  let token: string;

  beforeAll(async () => {
    process.env.GRAPHQL_MAX_DEPTH = '4';
    process.env.GRAPHQL_MAX_COMPLEXITY = '60';
    process.env.GRAPHQL_INTROSPECTION = 'false';
    ({ app, client } = await startPortal());
    db = await openPortalTestDb();
    const u = await insertPortalBuyerUser(db);
    token = await client.login(u.email, u.password);
  });
  afterAll(async () => {
    await db?.end();
    await app?.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('rejects a query nested deeper than GRAPHQL_MAX_DEPTH before running it', async () => {
    const r = await client.gql(`{ leads { edges { node { campaign { id } } } } }`, {}, token);
    expect(r.status).toBe(400);
    expect(r.data).toBeUndefined();
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0].message).toBe('Query depth 5 exceeds the maximum of 4');
    expect(r.errors![0].extensions).toEqual({ code: 'validation_failed', reason: 'max_depth' });

    const ok = await client.gql(`{ leads(first: 5) { edges { node { id } } } }`, {}, token);
    expect(ok.errors).toBeUndefined();
    expect(ok.data.leads.edges).toEqual([]);
  });

  it('counts depth through fragments', async () => {
    const r = await client.gql(
      `query { leads { ...E } } fragment E on LeadConnection { edges { node { ...N } } } fragment N on Lead { campaign { id } }`,
      {},
      token,
    );
    expect(r.errors![0].extensions?.reason).toBe('max_depth');
  });

  it('rejects a query over GRAPHQL_MAX_COMPLEXITY, page sizes multiplying, variables included', async () => {
    const q = `query($n: Int) { leads(first: $n) { edges { node { id } } } }`;
    const small = await client.gql(q, { n: 5 }, token); // 1 + 5 × 3 = 16
    expect(small.errors).toBeUndefined();
    const big = await client.gql(q, { n: 50 }, token); // 1 + 50 × 3 = 151
    expect(big.status).toBe(400);
    expect(big.errors![0].message).toBe('Query complexity 151 exceeds the maximum of 60');
    expect(big.errors![0].extensions).toEqual({ code: 'validation_failed', reason: 'max_complexity' });
    const literal = await client.gql(`{ leads(first: 30) { edges { node { id } } } }`, {}, token);
    expect(literal.errors![0].extensions?.reason).toBe('max_complexity');
    // No `first`: the default page of 20 counts (1 + 20 × 3 = 61).
    const byDefault = await client.gql(`{ leads { edges { node { id } } } }`, {}, token);
    expect(byDefault.errors![0].message).toBe('Query complexity 61 exceeds the maximum of 60');
  });

  it('refuses introspection when GRAPHQL_INTROSPECTION is off', async () => {
    const r = await client.gql(`{ __schema { types { name } } }`, {}, token);
    expect(r.errors![0].extensions?.code).toBe('validation_failed');
    expect(r.errors![0].message).toContain('introspection');
  });
});
