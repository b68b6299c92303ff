import { Client } from 'pg';
import {
  autoLead, connectTestDb, createTestBuyer, createTestCampaign, createTestSupplier, createTestVertical, DeliveryWorkerProcess, eventually,
  OwnTestDatabase, postJson, ReceivedEmail, SmtpReceiver, spawnDeliveryWorker, startExchange, startSmtpReceiver, useOwnTestDatabase,
} from '@leadex/testing';

/**
 * Email over a real SMTP peer (the smtp-server package, no TLS or auth): EMAIL deliveries of sold
 * leads to a buyer's sales reps, notifications emailed to a buyer's notify address, and a mail server
 * that refuses the recipients (the attempt logged FAILED, then retried).
 */
describe('email delivery and notification emails', () => {
  let ownDb: OwnTestDatabase;
  let db: Client;
  let ex: Awaited<ReturnType<typeof startExchange>>;
  let worker: DeliveryWorkerProcess;
  let smtp: SmtpReceiver;
  let vertical: string;
  let supplier: { id: string; apiKey: string };

  const sellOne = async (state: string) => {
    const lead = autoLead(vertical, { state });
    const res = await postJson(`${ex.url}/v1/leads`, lead, { authorization: `Bearer ${supplier.apiKey}` });
    expect(res.body).toMatchObject({ status: 'sold' });
    return { leadId: res.body.lead_id as string, phone: lead.fields.phone };
  };
  const deliveryOf = async (leadId: string) => (await db.query(`SELECT * FROM deliveries WHERE lead_id = $1 AND kind = 'LEAD'`, [leadId])).rows[0];
  const attemptsOf = async (deliveryId: string) =>
    (await db.query(`SELECT attempt, outcome, status_code, response_snippet, error FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id`, [deliveryId])).rows;
  const mailTo = (address: string) => eventually(async () => smtp.received.find((m) => m.to.includes(address)), 20_000, `an email to ${address}`);

  beforeAll(async () => {
    // Its own database: other suites' workers must not take this suite's deliveries, nor its worker theirs.
    ownDb = await useOwnTestDatabase();
    db = await connectTestDb();
    smtp = await startSmtpReceiver();
    ex = await startExchange();
    worker = await spawnDeliveryWorker({
      SMTP_URL: smtp.url,
      SMTP_FROM: 'Leadex <leads@leadex.test>',
      NOTIFICATION_EMAIL_INTERVAL_MS: '100',
      DELIVERY_RELAY_INTERVAL_MS: '50',
      DELIVERY_BACKOFF_BASE_MS: '100',
      DELIVERY_BACKOFF_MAX_MS: '300',
      DELIVERY_RETRY_WINDOW_MS: '120000',
    });
    vertical = await createTestVertical(db);
    supplier = await createTestSupplier(db);
  });
  afterAll(async () => {
    if (process.env.SHOW_WORKER_OUTPUT) console.log(worker?.output());
    await worker?.stop(); // first: it holds SMTP connections the server would wait for
    await smtp?.close();
    await ex?.app.close();
    await db?.end();
    await ownDb?.drop();
  });

  it("emails a sold lead to the campaign's addresses, with the phone and the price, and logs the attempt", async () => {
    const buyerId = await createTestBuyer(db);
    await createTestCampaign(db, {
      buyerId, vertical, bid: '12.50', filters: [{ field: 'state', op: 'EQ', value: 'FL' }],
      delivery: { method: 'EMAIL', email: 'rep.one@crm.example, rep.two@crm.example' },
    });
    await ex.sync();
    const { leadId, phone } = await sellOne('FL');

    const mail: ReceivedEmail = await mailTo('rep.one@crm.example');
    const d = await eventually(async () => {
      const row = await deliveryOf(leadId);
      return row?.status === 'DELIVERED' && row;
    }, 20_000, 'the delivery to be recorded');
    expect(mail.to.sort()).toEqual(['rep.one@crm.example', 'rep.two@crm.example']);
    expect(mail.from).toBe('leads@leadex.test');
    expect(mail.headers['message-id']).toContain(d.id);
    expect(mail.headers['x-leadex-delivery-id']).toBe(d.id);
    expect(mail.headers.subject).toContain(leadId);
    expect(mail.text).toContain(`phone: ${phone}`);
    expect(mail.text).toContain('12.50');
    expect(mail.text).toContain(leadId);
    expect(smtp.received.filter((m) => m.headers['message-id']?.includes(d.id))).toHaveLength(1);

    expect(d.attempts).toBe(1);
    const attempts = await attemptsOf(d.id);
    expect(attempts).toEqual([{ attempt: 1, outcome: 'DELIVERED', status_code: null, response_snippet: expect.stringMatching(/^250\b/), error: null }]);
  });

  it("emails the CAP_REACHED notification to the buyer's notify address and marks it emailed", async () => {
    const buyerId = await createTestBuyer(db);
    await db.query(`UPDATE buyers SET notify_email = 'owner@buyer.example' WHERE id = $1`, [buyerId]);
    const campaignId = await createTestCampaign(db, {
      buyerId, vertical, bid: '8.00', filters: [{ field: 'state', op: 'EQ', value: 'GA' }], caps: [{ period: 'DAY', maxLeads: 1 }],
    });
    const { name } = (await db.query(`SELECT name FROM campaigns WHERE id = $1`, [campaignId])).rows[0];
    await ex.sync();
    await sellOne('GA');

    const mail = await mailTo('owner@buyer.example');
    expect(mail.to).toEqual(['owner@buyer.example']);
    expect(mail.headers.subject).toBe('Leadex: cap reached');
    expect(mail.text).toContain(`Campaign "${name}" reached its day cap`);
    const notices = await eventually(async () => {
      const { rows } = await db.query(`SELECT kind, emailed_at FROM notifications WHERE buyer_id = $1`, [buyerId]);
      return rows.length > 0 && rows.every((n) => n.emailed_at) && rows;
    }, 10_000, 'the notification to be marked emailed');
    expect(notices).toEqual([{ kind: 'CAP_REACHED', emailed_at: expect.any(Date) }]);
    expect(smtp.received.filter((m) => m.to.includes('owner@buyer.example'))).toHaveLength(1);
  });

  it('logs a refused email as a FAILED attempt and retries it until the mail server takes it', async () => {
    let refusing = true;
    smtp.configure({ rejectRecipients: (address) => refusing && address.startsWith('bounce') });
    const buyerId = await createTestBuyer(db);
    await createTestCampaign(db, {
      buyerId, vertical, bid: '9.50', filters: [{ field: 'state', op: 'EQ', value: 'TX' }],
      delivery: { method: 'EMAIL', email: 'bounce@crm.example' },
    });
    await ex.sync();
    const { leadId } = await sellOne('TX');

    const failing = await eventually(async () => {
      const row = await deliveryOf(leadId);
      return row && row.attempts >= 2 && row;
    }, 20_000, 'two refused attempts');
    expect(failing.status).not.toBe('DELIVERED');
    expect(failing.last_error).toMatch(/550/);
    const refused = await attemptsOf(failing.id);
    expect(refused.slice(0, 2)).toEqual([
      { attempt: 1, outcome: 'FAILED', status_code: null, response_snippet: null, error: expect.stringMatching(/550/) },
      { attempt: 2, outcome: 'FAILED', status_code: null, response_snippet: null, error: expect.stringMatching(/550/) },
    ]);
    expect(smtp.received.filter((m) => m.to.includes('bounce@crm.example'))).toEqual([]);

    refusing = false;
    const d = await eventually(async () => {
      const row = await deliveryOf(leadId);
      return row.status === 'DELIVERED' && row;
    }, 20_000, 'the delivery once the mail server takes it');
    const log = await attemptsOf(d.id);
    expect(log.length).toBe(d.attempts);
    expect(log.slice(0, -1).every((a) => a.outcome === 'FAILED')).toBe(true);
    expect(log.at(-1)).toMatchObject({ attempt: d.attempts, outcome: 'DELIVERED' });
    const mails = smtp.received.filter((m) => m.to.includes('bounce@crm.example'));
    expect(mails).toHaveLength(1);
    expect(mails[0].headers['message-id']).toContain(d.id);
  });
});
