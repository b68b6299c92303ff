import { randomUUID } from 'crypto';
import { Client } from 'pg';
import { autoLead, connectTestDb, createTestBuyer, createTestCampaign, createTestSupplier, createTestVertical, postJson, startExchange } from '@leadex/testing';

describe('idempotency: a replay never sells a lead twice', () => {
  let db: Client;
  let ex: Awaited<ReturnType<typeof startExchange>>;
  let vertical: string;
  let supplier: { id: string; apiKey: string };
  let auth: Record<string, string>;

  beforeAll(async () => {
    db = await connectTestDb();
    ex = await startExchange();
    vertical = await createTestVertical(db);
    supplier = await createTestSupplier(db);
    auth = { authorization: `Bearer ${supplier.apiKey}` };
    await createTestCampaign(db, { buyerId: await createTestBuyer(db), vertical, bid: '9.99' });
    await ex.sync();
  });
  afterAll(async () => {
    await ex.app.close();
    await db.end();
  });

  const salesOf = async (leadId: string) => (await db.query(`SELECT count(*)::int AS n FROM sales WHERE lead_id = $1`, [leadId])).rows[0].n;

  it('replays the first answer for the same Idempotency-Key, with Idempotent-Replayed', async () => {
    const body = autoLead(vertical);
    const headers = { ...auth, 'idempotency-key': randomUUID() };
    const first = await postJson(`${ex.url}/v1/leads`, body, headers);
    expect(first.body).toMatchObject({ status: 'sold', price: '6.99', sales: 1 }); // 70% of 9.99 = 6.993
    const again = await postJson(`${ex.url}/v1/leads`, body, headers);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await salesOf(first.body.lead_id)).toBe(1);
  });

  it('replays concurrent copies: one sale, every answer the same lead', async () => {
    const body = autoLead(vertical);
    const headers = { ...auth, 'idempotency-key': randomUUID() };
    const results = await Promise.all(Array.from({ length: 8 }, () => postJson(`${ex.url}/v1/leads`, body, headers)));
    const ok = results.filter((r) => r.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    expect(new Set(ok.map((r) => r.body.lead_id)).size).toBe(1);
    expect(await salesOf(ok[0].body.lead_id)).toBe(1);
  });

  it('treats a repeated external_id as a replay', async () => {
    const body = autoLead(vertical, {}, { external_id: `ext-${randomUUID()}` });
    const first = await postJson(`${ex.url}/v1/leads`, body, auth);
    const again = await postJson(`${ex.url}/v1/leads`, body, auth);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('422 for the same key with a different body', async () => {
    const headers = { ...auth, 'idempotency-key': randomUUID() };
    await postJson(`${ex.url}/v1/leads`, autoLead(vertical), headers);
    const other = await postJson(`${ex.url}/v1/leads`, autoLead(vertical), headers);
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ status: 'rejected', error: 'idempotency_mismatch' });
  });

  it('409 while the first request with the key is still running', async () => {
    const key = randomUUID();
    const body = autoLead(vertical);
    // the first request is mid-flight: its claim is held, nothing answered yet
    const { requestHash } = await import('../../../apps/exchange/src/leads/request-hash.util');
    const { plainToInstance } = await import('class-transformer');
    const { DirectPostDto } = await import('../../../apps/exchange/src/leads/dto/direct-post.dto');
    const hash = requestHash('POST /v1/leads', plainToInstance(DirectPostDto, body));
    await db.query(
      `INSERT INTO idempotency_keys (supplier_id, key, endpoint, request_hash, state, expires_at)
       VALUES ($1, $2, 'POST /v1/leads', $3, 'running', now() + interval '1 day')`,
      [supplier.id, `header:${key}`, hash],
    );
    const res = await postJson(`${ex.url}/v1/leads`, body, { ...auth, 'idempotency-key': key });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ status: 'rejected', error: 'idempotency_in_progress' });
  });

  it('400 for an Idempotency-Key over 255 characters', async () => {
    const res = await postJson(`${ex.url}/v1/leads`, autoLead(vertical), { ...auth, 'idempotency-key': 'k'.repeat(256) });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('Idempotency-Key');
  });
});
