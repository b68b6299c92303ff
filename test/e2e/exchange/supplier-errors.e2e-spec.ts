import { Client } from 'pg';
import { autoLead, connectTestDb, createTestSupplier, createTestVertical, postJson, startExchange } from '@leadex/testing';

/** Every error row of the contract's supplier API, with its body shape. */
describe('supplier API errors', () => {
  let db: Client;
  let ex: Awaited<ReturnType<typeof startExchange>>;
  let vertical: string;
  let auth: Record<string, string>;

  beforeAll(async () => {
    db = await connectTestDb();
    ex = await startExchange();
    vertical = await createTestVertical(db);
    const supplier = await createTestSupplier(db);
    auth = { authorization: `Bearer ${supplier.apiKey}` };
  });
  afterAll(async () => {
    await ex.app.close();
    await db.end();
  });

  const rejected = (error: string) => ({ status: 'rejected', error, message: expect.any(String), errors: expect.any(Array) });

  it('400 validation_failed for malformed JSON', async () => {
    const res = await postJson(`${ex.url}/v1/leads`, '{"vertical": "auto-insurance", ', auth);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(rejected('validation_failed'));
  });

  it('400 validation_failed for an unknown vertical, naming the field', async () => {
    const res = await postJson(`${ex.url}/v1/leads`, autoLead('no-such-vertical'), auth);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'vertical', message: expect.stringContaining('unknown vertical') }]);
  });

  it('400 lists every bad field', async () => {
    const body = autoLead(vertical, { zip: '331', state: 'ZZ', age: 12, phone: '555', email: 'nope' });
    delete (body.fields as any).first_name;
    const res = await postJson(`${ex.url}/v1/leads`, body, auth);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('validation_failed');
    expect(res.body.errors.map((e: any) => e.field).sort()).toEqual(
      ['fields.age', 'fields.email', 'fields.first_name', 'fields.phone', 'fields.state', 'fields.zip'].sort(),
    );
  });

  it('400 for a bad envelope field and an unknown top-level property', async () => {
    const res = await postJson(`${ex.url}/v1/leads`, { ...autoLead(vertical), source: { ip: 'not-an-ip' }, colour: 'red' }, auth);
    expect(res.status).toBe(400);
    const fields = res.body.errors.map((e: any) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['source.ip', 'colour']));
  });

  it('401 unauthorized without a key and with a wrong key', async () => {
    const none = await postJson(`${ex.url}/v1/leads`, autoLead(vertical));
    expect(none.status).toBe(401);
    expect(none.body).toEqual(rejected('unauthorized'));
    const wrong = await postJson(`${ex.url}/v1/leads`, autoLead(vertical), { authorization: 'Bearer lx_wrong' });
    expect(wrong.status).toBe(401);
  });

  it('403 forbidden for a paused supplier and for a vertical it may not sell', async () => {
    const paused = await createTestSupplier(db, { status: 'PAUSED' });
    const res = await postJson(`${ex.url}/v1/leads`, autoLead(vertical), { authorization: `Bearer ${paused.apiKey}` });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(rejected('forbidden'));
    const mortgageOnly = await createTestSupplier(db, { allowedVerticals: ['mortgage'] });
    const res2 = await postJson(`${ex.url}/v1/leads`, autoLead(vertical), { authorization: `Bearer ${mortgageOnly.apiKey}` });
    expect(res2.status).toBe(403);
    expect(res2.body.message).toContain(vertical);
  });

  it('413 payload_too_large over 64 KiB', async () => {
    const res = await postJson(`${ex.url}/v1/leads`, autoLead(vertical, { current_insurer: 'x'.repeat(70 * 1024) }), auth);
    expect(res.status).toBe(413);
    expect(res.body).toEqual(rejected('payload_too_large'));
  });

  it('429 rate_limited with Retry-After over the supplier rate', async () => {
    const slow = await createTestSupplier(db, { rateLimitPerSec: 2 });
    const h = { authorization: `Bearer ${slow.apiKey}` };
    // the rate is counted per second: 12 requests span at most three windows, so at most 6 pass
    const results = await Promise.all(Array.from({ length: 12 }, () => postJson(`${ex.url}/v1/leads`, autoLead(vertical, { state: 'CA' }), h)));
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(6);
    expect(limited[0].body).toEqual(rejected('rate_limited'));
    expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('404 for an unknown lead id, in the same body shape', async () => {
    const res = await fetch(`${ex.url}/v1/leads/00000000-0000-0000-0000-000000000000`, { headers: auth });
    expect(res.status).toBe(404);
    expect(JSON.parse(await res.text())).toEqual(rejected('not_found'));
  });

  it('serves the vertical schema with pii flags and the OpenAPI document', async () => {
    const v: any = await (await fetch(`${ex.url}/v1/verticals/auto-insurance`, { headers: auth })).json();
    const byName = Object.fromEntries(v.fields.map((f: any) => [f.name, f]));
    expect(byName.phone).toMatchObject({ pii: true, required: true });
    expect(byName.zip).toMatchObject({ pii: false, required: true });
    const list: any = await (await fetch(`${ex.url}/v1/verticals`, { headers: auth })).json();
    expect(list.map((x: any) => x.key)).toEqual(expect.arrayContaining(['auto-insurance', 'mortgage', 'solar']));
    const docs = await fetch(`${ex.url}/docs/json`);
    expect(docs.status).toBe(200);
    expect(Object.keys(((await docs.json()) as any).paths)).toEqual(expect.arrayContaining(['/v1/leads', '/v1/leads/{id}', '/v1/verticals']));
  });

  it('health answers ok when PostgreSQL and Redis answer', async () => {
    const res = await fetch(`${ex.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', postgres: 'up', redis: 'up' });
  });
});
