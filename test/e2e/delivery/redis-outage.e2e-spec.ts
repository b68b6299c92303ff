import { Client } from 'pg';
import {
  autoLead, connectTestDb, createTestBuyer, createTestCampaign, createTestSupplier, createTestVertical, DeliveryWorkerProcess, eventually,
  OwnTestDatabase, postJson, RedisServerProcess, spawnDeliveryWorker, startExchange, startRedisServer, startWebhookReceiver,
  useOwnTestDatabase, WebhookReceiver,
} from '@leadex/testing';

const LEADS = 60;
const OUTAGE_FROM = 20; // Redis is killed before this lead is sold...
const OUTAGE_TO = 40; // ...and started again (empty) before this one.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The outbox under a Redis crash: the exchange and the worker share a private redis-server that is
 * SIGKILLed in the middle of a stream of sales (queued jobs, and the jobs in hand, lost with it) and
 * started again empty. Sales go on answering sold; every sold lead still reaches the buyer's CRM.
 */
describe('delivery through a Redis outage', () => {
  let ownDb: OwnTestDatabase;
  let db: Client;
  let redis: RedisServerProcess;
  let ex: Awaited<ReturnType<typeof startExchange>>;
  let worker: DeliveryWorkerProcess;
  let crm: WebhookReceiver;

  beforeAll(async () => {
    // Its own database: other suites' workers must not take this suite's deliveries, nor its worker theirs.
    ownDb = await useOwnTestDatabase();
    db = await connectTestDb();
    redis = await startRedisServer();
    const sharedRedis = process.env.REDIS_URL;
    process.env.REDIS_URL = redis.url;
    try {
      ex = await startExchange();
    } finally {
      if (sharedRedis === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = sharedRedis;
    }
    worker = await spawnDeliveryWorker({
      REDIS_URL: redis.url,
      // A job lost with Redis leaves its row QUEUED; a short lease has it queued again soon.
      DELIVERY_LEASE_MS: '2000',
      DELIVERY_RELAY_INTERVAL_MS: '50',
      DELIVERY_BACKOFF_BASE_MS: '100',
      DELIVERY_BACKOFF_MAX_MS: '300',
      // Two at a time to a CRM that takes 200 ms: slower than the sales come, so jobs pile up in Redis.
      DELIVERY_CONCURRENCY: '2',
    });
    crm = await startWebhookReceiver({ delayMs: 200 });
  });
  afterAll(async () => {
    if (process.env.SHOW_WORKER_OUTPUT) console.log(worker?.output());
    await worker?.stop();
    await ex?.app.close();
    await crm?.close();
    await redis?.stop();
    await db?.end();
    await ownDb?.drop();
  });

  it('sells through the outage and delivers every sold lead, each under one Idempotency-Key', async () => {
    const vertical = await createTestVertical(db);
    const supplier = await createTestSupplier(db);
    const buyerId = await createTestBuyer(db);
    const campaignId = await createTestCampaign(db, { buyerId, vertical, bid: '9.00', delivery: { method: 'WEBHOOK', url: crm.url } });
    await ex.sync();
    const auth = { authorization: `Bearer ${supplier.apiKey}` };

    const queuedCount = async () =>
      Number((await db.query(`SELECT count(*) FROM deliveries WHERE campaign_id = $1 AND status = 'QUEUED'`, [campaignId])).rows[0].count);
    // A supplier's stream goes on at its own pace whatever our latency: one lead every 50 ms, not
    // waiting for the previous answer (while Redis is down a sale may take longer; it must still sell).
    const sales: Promise<Awaited<ReturnType<typeof postJson>>>[] = [];
    let outageBegan = 0;
    for (let i = 0; i < LEADS; i++) {
      if (i === OUTAGE_FROM) {
        // Jobs waiting in Redis (more queued rows than the worker has in hand) are lost with it.
        await eventually(async () => (await queuedCount()) > 4, 20_000, 'a backlog of queued deliveries');
        await redis.stop();
        outageBegan = Date.now();
      }
      if (i === OUTAGE_TO) {
        // Long enough for the relay and the worker to run into the outage many times over.
        await sleep(Math.max(0, 1500 - (Date.now() - outageBegan)));
        await redis.start();
      }
      sales.push(postJson(`${ex.url}/v1/leads`, autoLead(vertical), auth));
      await sleep(50);
    }
    const answers = await Promise.all(sales);
    answers.forEach((res, i) => expect({ i, status: res.status, body: res.body }).toMatchObject({ i, status: 200, body: { status: 'sold' } }));
    const sold = answers.map((res) => res.body.lead_id as string);

    const rowsOf = async () =>
      (
        await db.query<{ id: string; lead_id: string; status: string; enqueue_seq: number }>(
          `SELECT id, lead_id, status, enqueue_seq FROM deliveries WHERE campaign_id = $1 AND kind = 'LEAD'`,
          [campaignId],
        )
      ).rows;
    const rows = await eventually(async () => {
      const r = await rowsOf();
      return r.length === LEADS && r.every((d) => d.status === 'DELIVERED') && r;
    }, 60_000, `all ${LEADS} deliveries to be DELIVERED`);

    // One delivery per sold lead, none for anything else.
    expect(new Set(rows.map((d) => d.lead_id))).toEqual(new Set(sold));
    // What a CRM that drops repeats keeps: exactly the deliveries of the sold leads.
    const ids = new Set(rows.map((d) => d.id));
    expect(crm.uniqueKeys()).toEqual(ids);
    // A repeat is the same delivery again: every request of a lead carries that lead's one key.
    const leadOf = new Map(rows.map((d) => [d.id, d.lead_id]));
    for (const r of crm.received) {
      expect({ key: r.headers['idempotency-key'], lead: r.json?.lead_id }).toEqual({ key: expect.any(String), lead: leadOf.get(String(r.headers['idempotency-key'])) });
    }
    // The fault really hit the outbox: the relay was refused, and deliveries were queued again.
    expect(worker.output()).toContain('Redis refused the jobs');
    expect(rows.some((d) => d.enqueue_seq > 1)).toBe(true);
  }, 120_000);
});
