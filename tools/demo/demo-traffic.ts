import Decimal from 'decimal.js';
import { performance } from 'perf_hooks';
import { Pool } from 'pg';
import { LeadGenerator } from '../bench/lead-generator';
import { AUTO_INSURANCE_PII } from '../bench/ping-load';
import { DemoSupplier } from './demo-market';

/**
 * Simulated suppliers: leads arrive at random (Poisson) at `rate` per second, as a mix of direct
 * posts and ping → post, with some posts that do not match their ping and a few duplicates (a
 * phone already sold). One line per lead says what happened and to whom; every `summaryEveryS` a
 * summary counts outcomes, money and latency. Who bought and what the buyers answered are read from
 * the database (the supplier API, rightly, does not say which buyer bought).
 */

type Flow = 'direct' | 'ping-post' | 'mismatch' | 'duplicate';

/** Share of each kind of lead. */
const MIX: [Flow, number][] = [
  ['direct', 0.35],
  ['ping-post', 0.5],
  ['mismatch', 0.07],
  ['duplicate', 0.08],
];
const MAX_IN_FLIGHT = 200;
const LOOKUP_DELAY_MS = 300; // the exchange writes a lead's timeline just after answering

interface Counts {
  leads: number;
  statuses: Record<string, number>;
  payouts: Decimal;
  latency: { direct: number[]; ping: number[]; post: number[] };
  errors: number;
  skipped: number;
}

const emptyCounts = (): Counts => ({ leads: 0, statuses: {}, payouts: new Decimal(0), latency: { direct: [], ping: [], post: [] }, errors: 0, skipped: 0 });

interface Answer {
  status: number;
  body: Record<string, any>;
  ms: number;
}

export interface LeadStreamOptions {
  exchangeUrl: string;
  suppliers: DemoSupplier[];
  databaseUrl: string;
  rate: number;
  summaryEveryS: number;
  /** Live campaign id → "A".."D". */
  liveLetters: Map<string, string>;
  print: (line: string) => void;
}

interface SentLead {
  n: number;
  phone: string;
}

export class LeadStream {
  private readonly leads = new LeadGenerator({ runId: `demo${Date.now().toString(36)}`, seed: Date.now() % 2 ** 31 });
  private readonly db: Pool;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly recent: SentLead[] = [];
  private interval = emptyCounts();
  private total = emptyCounts();
  private n = 0;
  private running = false;
  private arrivalTimer: NodeJS.Timeout | null = null;
  private summaryTimer: NodeJS.Timeout | null = null;
  private startedAt = Date.now();
  private intervalStartedAt = new Date();
  /** A lead worth looking at with GET /v1/leads/:id, shown once. */
  private example: { leadId: string; supplier: DemoSupplier } | null = null;
  private exampleShown = false;

  constructor(private readonly opts: LeadStreamOptions) {
    this.db = new Pool({ connectionString: opts.databaseUrl, max: 4, application_name: 'leadex-demo' });
  }

  start(): void {
    this.running = true;
    this.startedAt = Date.now();
    this.intervalStartedAt = new Date();
    this.scheduleNext();
    this.summaryTimer = setInterval(() => void this.printSummary(), this.opts.summaryEveryS * 1000);
  }

  /** Stops new leads, lets those under way finish (at most `graceMs`), prints the final summary. */
  async stop(graceMs = 5000): Promise<void> {
    this.running = false;
    if (this.arrivalTimer) clearTimeout(this.arrivalTimer);
    if (this.summaryTimer) clearInterval(this.summaryTimer);
    await Promise.race([Promise.all([...this.inFlight]), new Promise((r) => setTimeout(r, graceMs))]);
    await this.printSummary(true);
    await this.db.end().catch(() => undefined);
  }

  private scheduleNext(): void {
    if (!this.running) return;
    const gapMs = (-Math.log(1 - Math.random()) / this.opts.rate) * 1000; // Poisson arrivals
    this.arrivalTimer = setTimeout(() => {
      this.launch();
      this.scheduleNext();
    }, gapMs);
  }

  private launch(): void {
    if (this.inFlight.size >= MAX_IN_FLIGHT) {
      this.interval.skipped++;
      this.total.skipped++;
      return;
    }
    const n = ++this.n;
    const p = this.runLead(n).catch((e) => {
      this.count((c) => c.errors++);
      this.opts.print(`${tag(n)} error: ${(e as Error).message}`);
    });
    this.inFlight.add(p);
    p.finally(() => this.inFlight.delete(p));
  }

  private count(f: (c: Counts) => void): void {
    f(this.interval);
    f(this.total);
  }

  private status(s: string): void {
    this.count((c) => (c.statuses[s] = (c.statuses[s] ?? 0) + 1));
  }

  private pickFlow(): Flow {
    let r = Math.random();
    for (const [flow, share] of MIX) if ((r -= share) < 0) return flow;
    return 'direct';
  }

  private async call(path: string, supplier: DemoSupplier, body: unknown): Promise<Answer> {
    const t0 = performance.now();
    const res = await fetch(`${this.opts.exchangeUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${supplier.apiKey}` },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    let json: Record<string, any>;
    try {
      json = JSON.parse(text);
    } catch {
      json = { raw: text.slice(0, 200) };
    }
    return { status: res.status, body: json, ms: performance.now() - t0 };
  }

  private async runLead(n: number): Promise<void> {
    this.count((c) => c.leads++);
    const supplier = this.opts.suppliers[Math.floor(Math.random() * this.opts.suppliers.length)];
    const flow = this.pickFlow();
    const lead = this.leads.next() as { fields: Record<string, any> } & Record<string, any>;
    const who = `${tag(n)} ${supplier.name.split(' ')[0].padEnd(11)}`;
    let dupOf: SentLead | undefined;
    if (flow === 'duplicate' && this.recent.length) {
      dupOf = this.recent[Math.floor(Math.random() * this.recent.length)];
      lead.fields.phone = dupOf.phone;
    }
    lead.source = { ...lead.source, user_agent: 'leadex-demo' };
    lead.external_id = `${supplier.name.split(' ')[0].toLowerCase()}-${this.startedAt.toString(36)}-${n}`;
    // only a sold or unsold lead is an original: a duplicate, mismatch or expired one is not (leadex_store_lead)
    const remember = (status: string) => {
      if (dupOf || (status !== 'sold' && status !== 'unsold')) return;
      this.recent.push({ n, phone: String(lead.fields.phone) });
      if (this.recent.length > 100) this.recent.shift();
    };
    const dupNote = dupOf ? ` (same phone as ${tag(dupOf.n)})` : '';

    // a third of the duplicates come as direct posts, the rest through ping → post
    if (flow === 'direct' || (flow === 'duplicate' && n % 3 === 0)) {
      const a = await this.call('/v1/leads', supplier, lead);
      this.count((c) => c.latency.direct.push(a.ms));
      if (a.status !== 200) return this.rejected(who, 'direct', a);
      remember(a.body.status);
      this.status(a.body.status);
      if (a.body.status === 'sold') this.count((c) => (c.payouts = c.payouts.plus(a.body.price)));
      await sleep(LOOKUP_DELAY_MS);
      const detail = a.body.status === 'sold' ? await this.saleDetail(a.body.lead_id) : '';
      const bids = await this.liveBids('lead_id', a.body.lead_id);
      const price = a.body.status === 'sold' ? ` ${a.body.price}` : '';
      this.opts.print(`${who} direct       ${a.body.status}${price}${dupNote}${detail}${bids ? ` · ${bids}` : ''}   ${ms(a.ms)}`);
      return;
    }

    const pingFields = Object.fromEntries(Object.entries(lead.fields).filter(([k]) => !AUTO_INSURANCE_PII.has(k)));
    // now and then a supplier asks for a minimum payout the buyers rarely reach
    const minPrice = flow === 'ping-post' && Math.random() < 0.08 ? '18.00' : undefined;
    const ping = await this.call('/v1/ping', supplier, { vertical: lead.vertical, source: lead.source, fields: pingFields, min_price: minPrice });
    this.count((c) => c.latency.ping.push(ping.ms));
    if (ping.status !== 200) return this.rejected(who, 'ping', ping);
    if (ping.body.status !== 'bid') {
      this.status('no_bid');
      await sleep(LOOKUP_DELAY_MS);
      const bids = await this.liveBids('ping_id', ping.body.ping_id);
      const why = [bids, minPrice ? `none pays the min_price ${minPrice}` : ''].filter(Boolean).join(', ');
      this.opts.print(`${who} ping no bid${why ? ` (${why})` : ''} → not posted   ${ms(ping.ms)}`);
      return;
    }
    await sleep(100 + Math.random() * 500); // the consumer finishes the form
    const postFields = { ...lead.fields };
    let change = '';
    if (flow === 'mismatch') {
      const before = postFields.age as number;
      postFields.age = before >= 100 ? before - 1 : before + 1;
      change = ` (age ${before} in the ping, ${postFields.age} in the post)`;
    }
    const post = await this.call('/v1/post', supplier, { ping_id: ping.body.ping_id, external_id: lead.external_id, fields: postFields, consent: lead.consent });
    this.count((c) => c.latency.post.push(post.ms));
    const pingBids = await this.liveBids('ping_id', ping.body.ping_id);
    const pingNote = [minPrice ? `min_price ${minPrice}` : '', pingBids].filter(Boolean).join(', ');
    const pinged = `${who} ping bid ${ping.body.price}${pingNote ? ` (${pingNote})` : ''}`;
    if (post.status !== 200) return this.rejected(pinged, 'post', post);
    remember(post.body.status);
    this.status(post.body.status);
    if (post.body.status === 'sold') {
      this.count((c) => (c.payouts = c.payouts.plus(post.body.price)));
      if (!this.example) this.example = { leadId: post.body.lead_id, supplier };
    }
    await sleep(LOOKUP_DELAY_MS);
    const detail = post.body.status === 'sold' ? await this.saleDetail(post.body.lead_id) : await this.refusals(post.body.lead_id);
    const price = post.body.status === 'sold' ? ` ${post.body.price}` : '';
    this.opts.print(`${pinged} → post ${post.body.status}${price}${change}${dupNote}${detail}   ${ms(ping.ms)} + ${ms(post.ms)}`);
  }

  private rejected(who: string, what: string, a: Answer): void {
    this.count((c) => c.errors++);
    this.opts.print(`${who} ${what} HTTP ${a.status} ${a.body.error ?? ''} ${a.body.message ?? a.body.raw ?? ''}`.trimEnd());
  }

  /** "(live buyer B Beacon Insurance Group paid 9.26, after 1 refusal)" or "(fixed: Evergreen … paid 15.00)". */
  private async saleDetail(leadId: string): Promise<string> {
    const { rows } = await this.db.query(
      `SELECT b.name AS buyer, c.id AS campaign_id, c.ping_url IS NOT NULL AS live, s.price::text AS price
         FROM sales s JOIN campaigns c ON c.id = s.campaign_id JOIN buyers b ON b.id = s.buyer_id
        WHERE s.lead_id = $1 AND s.status = 'SOLD'`,
      [leadId],
    );
    if (!rows.length) return '';
    const refusals = await this.refusalCount(leadId);
    const sales = rows.map((r) => {
      const letter = this.opts.liveLetters.get(r.campaign_id);
      return `${r.live ? `live buyer ${letter ?? '?'}` : 'fixed'} ${r.buyer} paid ${r.price}`;
    });
    return ` (${sales.join('; ')}${refusals ? `, after ${plural(refusals, 'refusal')}` : ''})`;
  }

  private async refusalCount(leadId: string): Promise<number> {
    const { rows } = await this.db.query(`SELECT count(*)::int AS n FROM lead_events WHERE lead_id = $1 AND kind = 'post' AND outcome <> 'accepted'`, [leadId]);
    return rows[0].n;
  }

  private async refusals(leadId: string): Promise<string> {
    const n = await this.refusalCount(leadId);
    return n ? ` (${plural(n, 'buyer')} refused the post)` : '';
  }

  /** "3/4 live bids, 1 late" from the timeline of a ping (or of a direct post's live pings). */
  private async liveBids(column: 'ping_id' | 'lead_id', id: string): Promise<string> {
    const { rows } = await this.db.query(
      `SELECT count(*)::int AS n, (count(*) FILTER (WHERE outcome = 'bid'))::int AS bids, (count(*) FILTER (WHERE outcome = 'timeout'))::int AS late
         FROM lead_events WHERE ${column} = $1 AND kind = 'ping'`,
      [id],
    );
    const r = rows[0];
    if (!r?.n) return '';
    return `${r.bids}/${r.n} live bids${r.late ? `, ${r.late} late` : ''}`;
  }

  private async printSummary(final = false): Promise<void> {
    const c = final ? this.total : this.interval;
    const since = this.intervalStartedAt;
    this.interval = emptyCounts();
    this.intervalStartedAt = new Date();
    const elapsedS = Math.round((Date.now() - this.startedAt) / 1000);
    const s = c.statuses;
    const outcome = ['sold', 'unsold', 'duplicate', 'mismatch', 'expired', 'no_bid']
      .filter((k) => s[k])
      .map((k) => `${s[k]} ${k.replace('_', ' ')}`)
      .join(', ');
    const avg = (xs: number[]) => (xs.length ? `${Math.round(xs.reduce((a, b) => a + b, 0) / xs.length)} ms` : '–');
    const lines = [
      `── ${final ? `final, ${elapsedS} s` : `${elapsedS} s, last ${this.opts.summaryEveryS} s`}: ${c.leads} leads — ${outcome || 'nothing answered yet'}` +
        `${c.errors ? `, ${c.errors} errors` : ''}${c.skipped ? `, ${c.skipped} skipped (too many in flight)` : ''}`,
      `   supplier payouts ${money(c.payouts)} · avg latency: direct post ${avg(c.latency.direct)}, ping ${avg(c.latency.ping)}, post ${avg(c.latency.post)}`,
    ];
    try {
      const { rows } = await this.db.query(
        `SELECT count(*)::int AS sales, coalesce(sum(price), 0)::text AS price, coalesce(sum(payout), 0)::text AS payout, coalesce(sum(margin), 0)::text AS margin
           FROM sales WHERE status = 'SOLD'`,
      );
      const t = rows[0];
      lines.push(`   since start: ${t.sales} sales, buyers paid ${money(t.price)}, suppliers earn ${money(t.payout)}, exchange margin ${money(t.margin)}`);
      const deliveries = await this.db.query(
        `SELECT count(*) FILTER (WHERE status = 'DELIVERED')::int AS delivered, count(*) FILTER (WHERE status IN ('PENDING', 'QUEUED'))::int AS waiting,
                count(*) FILTER (WHERE status = 'FAILED')::int AS failed
           FROM deliveries WHERE kind = 'LEAD'`,
      );
      const d = deliveries.rows[0];
      if (d.delivered + d.waiting + d.failed > 0) {
        lines.push(`   deliveries to Fulcrum Media's CRM: ${d.delivered} delivered, ${d.waiting} on the way or waiting to retry, ${d.failed} failed`);
      }
      const buyers = await this.db.query(
        `SELECT campaign_id, count(*)::int AS n, (count(*) FILTER (WHERE outcome = 'bid'))::int AS bids,
                (count(*) FILTER (WHERE outcome = 'timeout'))::int AS late, round(avg(latency_ms))::int AS avg_ms
           FROM lead_events WHERE kind = 'ping' AND created_at >= $1 GROUP BY campaign_id`,
        [final ? new Date(this.startedAt) : since],
      );
      const live = buyers.rows
        .map((r) => ({ ...r, letter: this.opts.liveLetters.get(r.campaign_id) ?? '?' }))
        .sort((a, b) => a.letter.localeCompare(b.letter))
        .map((r) => `${r.letter} ${r.bids}/${r.n} bids${r.late ? `, ${r.late} late` : ''}, avg ${r.avg_ms} ms`);
      if (live.length) lines.push(`   live buyers: ${live.join(' · ')}`);
    } catch (e) {
      lines.push(`   (could not read totals: ${(e as Error).message})`);
    }
    if (this.example && !this.exampleShown) {
      this.exampleShown = true;
      lines.push(
        `   look at a sold lead and its timeline, as its supplier sees it:`,
        `     curl -s ${this.opts.exchangeUrl}/v1/leads/${this.example.leadId} -H 'authorization: Bearer ${this.example.supplier.apiKey}'`,
      );
    }
    this.opts.print(lines.join('\n'));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tag = (n: number) => `#${String(n).padStart(4, '0')}`;
const ms = (x: number) => `${Math.round(x)} ms`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const money = (x: Decimal | string) => `$${new Decimal(x).toFixed(2)}`;
