import { createServer, Server, Socket, connect } from 'net';
import { Client } from 'pg';
import { autoLead, connectTestDb, createTestSupplier, createTestVertical, postJson, startExchange } from '@leadex/testing';

/** A TCP relay to PostgreSQL that the test can cut, as a network failure would. */
function relay(target: URL): Promise<{ port: number; cut: () => void; server: Server }> {
  const sockets = new Set<Socket>();
  let open = true;
  const server = createServer((client) => {
    if (!open) return client.destroy();
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const cut = () => {
        open = false;
        for (const s of sockets) s.destroy();
      };
      resolve({ port: (server.address() as any).port, cut, server });
    }),
  );
}

describe('database unreachable', () => {
  let db: Client;
  let ex: Awaited<ReturnType<typeof startExchange>>;
  let link: Awaited<ReturnType<typeof relay>>;
  let vertical: string;
  let auth: Record<string, string>;
  const realUrl = process.env.DATABASE_URL!;

  beforeAll(async () => {
    db = await connectTestDb();
    vertical = await createTestVertical(db);
    const supplier = await createTestSupplier(db);
    auth = { authorization: `Bearer ${supplier.apiKey}` };
    const target = new URL(realUrl);
    link = await relay(target);
    const viaRelay = new URL(realUrl);
    viaRelay.port = String(link.port);
    process.env.DATABASE_URL = viaRelay.toString();
    ex = await startExchange();
  });
  afterAll(async () => {
    process.env.DATABASE_URL = realUrl;
    await ex.app.close().catch(() => undefined);
    link.server.close();
    await db.end();
  });

  it('answers 503 unavailable and accepts nothing', async () => {
    const ok = await postJson(`${ex.url}/v1/leads`, autoLead(vertical, { state: 'CA' }), auth);
    expect(ok.status).toBe(200);
    link.cut();
    const lead = autoLead(vertical, { state: 'CA' });
    const res = await postJson(`${ex.url}/v1/leads`, lead, auth);
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'rejected', error: 'unavailable' });
    const stored = await db.query(`SELECT count(*)::int AS n FROM leads WHERE fields->>'email' = $1`, [lead.fields.email]);
    expect(stored.rows[0].n).toBe(0);
    const health = await fetch(`${ex.url}/health`);
    expect(health.status).toBe(503);
  });
});
