import type { INestApplication } from '@nestjs/common';
import type { Client } from 'pg';
import { GqlError, PortalClient, startPortal } from '../../../libs/testing/src/portal-client';
import { insertPortalBuyerUser, openPortalTestDb, portalUnique } from '../../../libs/testing/src/portal-factories';

/**
 * With private buyer targets forbidden (production's default, ALLOW_PRIVATE_BUYER_URLS=false), the portal
 * refuses the campaign URLs the exchange's SSRF guard would refuse to call, when they are saved.
 */
const CREATE = `mutation($input: CampaignInput!) { createCampaign(input: $input) { id pingUrl postUrl } }`;
const UPDATE = `mutation($id: ID!, $input: CampaignUpdateInput!) { updateCampaign(id: $id, input: $input) { id pingUrl postUrl } }`;

function problems(errors: GqlError[] | undefined): Record<string, string> {
  expect(errors).toHaveLength(1);
  expect(errors![0].extensions?.code).toBe('validation_failed');
  return Object.fromEntries(errors![0].extensions!.errors!.map((e) => [e.field, e.message]));
}

describe('buyer URLs with private targets forbidden', () => {
  const saved = process.env.ALLOW_PRIVATE_BUYER_URLS;
  let app: INestApplication;
  let client: PortalClient;
  let db: Client;
  let token: string;

  const live = (over: Record<string, unknown>) => ({ name: portalUnique('ssrf'), vertical: 'solar', status: 'PAUSED', ...over });

  beforeAll(async () => {
    process.env.ALLOW_PRIVATE_BUYER_URLS = 'false'; // read once, when the app is built
    ({ app, client } = await startPortal());
    db = await openPortalTestDb();
    const u = await insertPortalBuyerUser(db);
    token = await client.login(u.email, u.password);
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.ALLOW_PRIVATE_BUYER_URLS;
    else process.env.ALLOW_PRIVATE_BUYER_URLS = saved;
    await db?.end();
    await app?.close();
  });

  it('refuses loopback, private and link-local (cloud metadata) addresses, naming each field', async () => {
    const name = portalUnique('ssrf');
    const r = await client.gql(CREATE, { input: live({ name, pingUrl: 'http://127.0.0.1:8080/ping', postUrl: 'http://169.254.169.254/latest/meta-data' }) }, token);
    expect(problems(r.errors)).toEqual({
      'input.pingUrl': '127.0.0.1 is a private, loopback or reserved address',
      'input.postUrl': '169.254.169.254 is a private, loopback or reserved address',
    });
    expect((await db.query(`SELECT count(*)::int AS n FROM campaigns WHERE name = $1`, [name])).rows[0].n).toBe(0);

    for (const url of ['http://10.1.2.3/ping', 'http://192.168.0.10/ping', 'http://[::1]/ping', 'http://[::ffff:10.0.0.1]/ping']) {
      const one = await client.gql(CREATE, { input: live({ pingUrl: url }) }, token);
      expect(Object.keys(problems(one.errors))).toEqual(['input.pingUrl']);
    }
  });

  it('resolves names: one that points at a private address is refused', async () => {
    const r = await client.gql(CREATE, { input: live({ pingUrl: 'http://localhost:9000/ping' }) }, token);
    expect(problems(r.errors)['input.pingUrl']).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a private, loopback or reserved address$/);
  });

  it('accepts a public address, and refuses an update to a private one, keeping the stored URL', async () => {
    const created = (await client.gqlOk(CREATE, { input: live({ pingUrl: 'https://93.184.216.34/ping', postUrl: 'https://93.184.216.34/post' }) }, token)).createCampaign;
    expect(created).toMatchObject({ pingUrl: 'https://93.184.216.34/ping', postUrl: 'https://93.184.216.34/post' });

    const r = await client.gql(UPDATE, { id: created.id, input: { postUrl: 'http://172.16.5.4/post' } }, token);
    expect(problems(r.errors)).toEqual({ 'input.postUrl': '172.16.5.4 is a private, loopback or reserved address' });
    const { rows } = await db.query(`SELECT ping_url, post_url FROM campaigns WHERE id = $1`, [created.id]);
    expect(rows[0]).toEqual({ ping_url: 'https://93.184.216.34/ping', post_url: 'https://93.184.216.34/post' });
  });
});
