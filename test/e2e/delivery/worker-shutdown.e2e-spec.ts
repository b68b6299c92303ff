import { Client } from 'pg';
import {
  autoLead, connectTestDb, createTestBuyer, createTestCampaign, createTestSupplier, createTestVertical, DeliveryWorkerProcess, eventually,
  OwnTestDatabase, postJson, spawnDeliveryWorker, startExchange, startWebhookReceiver, useOwnTestDatabase, WebhookReceiver,
} from '@leadex/testing';

/**
 * A delivery worker stopped while a CRM has its request in hand: stopped gracefully (SIGTERM) it
 * finishes and records the delivery before it exits; killed outright (SIGKILL) it leaves the row
 * QUEUED under a lease, and another worker delivers it again (same Idempotency-Key) once the lease
 * runs out. Either way nothing is left stuck.
 */
describe('delivery worker shutdown', () => {
  let ownDb: OwnTestDatabase;
  let db: Client;
  let ex: Awaited<ReturnType<typeof startExchange>>;
  let supplier: { id: string; apiKey: string };
  const workers: DeliveryWorkerProcess[] = [];
  const receivers: WebhookReceiver[] = [];

  const worker = async (env: Record<string, string>) => {
    const w = await spawnDeliveryWorker({ DELIVERY_RELAY_INTERVAL_MS: '50', ...env });
    workers.push(w);
    return w;
  };
  const slowCrm = async () => {
    const r = await startWebhookReceiver({ delayMs: 1500 });
    receivers.push(r);
    return r;
  };
  /** A campaign of its own (own vertical) delivering to `url`; returns a function that sells it one lead. */
  const campaign = async (url: string) => {
    const vertical = await createTestVertical(db);
    const campaignId = await createTestCampaign(db, { buyerId: await createTestBuyer(db), vertical, bid: '15.00', delivery: { method: 'WEBHOOK', url } });
    await ex.sync();
    const sell = async () => {
      const res = await postJson(`${ex.url}/v1/leads`, autoLead(vertical), { authorization: `Bearer ${supplier.apiKey}` });
      expect(res.body).toMatchObject({ status: 'sold' });
      return res.body.lead_id as string;
    };
    return { campaignId, sell };
  };
  const deliveryOf = async (leadId: string) => (await db.query(`SELECT * FROM deliveries WHERE lead_id = $1 AND kind = 'LEAD'`, [leadId])).rows[0];
  const attemptsOf = async (deliveryId: string) =>
    (await db.query(`SELECT attempt, outcome, status_code FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id`, [deliveryId])).rows;
  const unfinished = async (campaignId: string) =>
    (await db.query(`SELECT id, status FROM deliveries WHERE campaign_id = $1 AND status IN ('PENDING', 'QUEUED')`, [campaignId])).rows;

  beforeAll(async () => {
    // Its own database: other suites' workers must not take this suite's deliveries, nor its worker theirs.
    ownDb = await useOwnTestDatabase();
    db = await connectTestDb();
    ex = await startExchange();
    supplier = await createTestSupplier(db);
  });
  afterAll(async () => {
    if (process.env.SHOW_WORKER_OUTPUT) for (const w of workers) console.log(w.output());
    await Promise.all(workers.map((w) => w.kill()));
    await Promise.all(receivers.map((r) => r.close()));
    await ex?.app.close();
    await db?.end();
    await ownDb?.drop();
  });

  it('SIGTERM mid-request: the worker finishes the delivery, records it, and exits 0', async () => {
    const crm = await slowCrm();
    const { campaignId, sell } = await campaign(crm.url);
    const w = await worker({});
    const leadId = await sell();
    await crm.waitFor(1); // the CRM has the request in hand, and answers in 1.5 s

    expect(await w.stop()).toBe(0);

    const d = await deliveryOf(leadId);
    expect(d).toMatchObject({ status: 'DELIVERED', attempts: 1, last_error: null });
    expect(await attemptsOf(d.id)).toEqual([{ attempt: 1, outcome: 'DELIVERED', status_code: 200 }]);
    expect(crm.received.map((r) => [r.headers['idempotency-key'], r.status])).toEqual([[d.id, 200]]);
    expect(await unfinished(campaignId)).toEqual([]);
  });

  it('SIGKILL mid-request: the row stays QUEUED, and a new worker delivers it again under the same key', async () => {
    const crm = await slowCrm();
    const { campaignId, sell } = await campaign(crm.url);
    // The lease outlasts the CRM's 1.5 s, so only the killing makes the delivery go out again.
    const doomed = await worker({ DELIVERY_LEASE_MS: '4000' });
    const leadId = await sell();
    await crm.waitFor(1);

    await doomed.kill();
    const left = await deliveryOf(leadId);
    expect(left).toMatchObject({ status: 'QUEUED', attempts: 0, delivered_at: null });

    await worker({ DELIVERY_LEASE_MS: '1000' });
    const d = await eventually(async () => {
      const row = await deliveryOf(leadId);
      return row.status === 'DELIVERED' && row;
    }, 30_000, 'the delivery after the lease ran out');
    expect(d.id).toBe(left.id);
    expect(d.enqueue_seq).toBeGreaterThan(left.enqueue_seq);
    // The killed worker's attempt was never recorded; the new worker's was.
    expect(d.attempts).toBe(1);
    expect(await attemptsOf(d.id)).toEqual([{ attempt: 1, outcome: 'DELIVERED', status_code: 200 }]);
    // The CRM saw the lead twice, both times as the same delivery: one it keeps, one it drops.
    await crm.waitFor(2);
    expect(crm.received.map((r) => r.headers['idempotency-key'])).toEqual([d.id, d.id]);
    expect(crm.uniqueKeys()).toEqual(new Set([d.id]));
    expect(await unfinished(campaignId)).toEqual([]);
  });
});
