import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Decimal from 'decimal.js';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { CapPeriod, CapUsage, MarketView } from '@leadex/auction-core';
import { LeadexConfig } from '@leadex/config';
import { pgPoolOf } from '@leadex/persistence';
import { CatalogService } from './catalog.service';

interface BuyerFunds {
  balance: Decimal;
  creditLimit: Decimal | null;
}

const NO_USAGE: CapUsage = Object.freeze({ leads: 0, spend: new Decimal(0) }) as CapUsage;
const usageKey = (campaignId: string, period: string, periodStart: Date | number) =>
  `${campaignId}|${period}|${typeof periodStart === 'number' ? periodStart : periodStart.getTime()}`;

/**
 * What the auction needs to know of the moving parts of the market — cap usage, buyers' funds,
 * last wins — held in memory and refreshed from PostgreSQL every MARKET_REFRESH_MS, and updated
 * at once by this process's own sales. It is a fast pre-filter only: the sale transaction's
 * conditional updates are what guarantee caps and credit limits, across every process.
 */
@Injectable()
export class MarketStateService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(MarketStateService.name);
  private readonly pool: Pool;
  private funds = new Map<string, BuyerFunds>();
  private usage = new Map<string, CapUsage>();
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly catalog: CatalogService,
    private readonly config: LeadexConfig,
  ) {
    this.pool = pgPoolOf(dataSource);
  }

  async onModuleInit(): Promise<void> {
    // a new buyer or a changed credit limit must count before the next periodic refresh
    this.catalog.onChange((changes) => {
      if (changes.some((c) => c.startsWith('buyers:'))) this.refresh().catch(() => undefined);
    });
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((e) => this.log.warn(`market refresh failed: ${e.message}`));
    }, this.config.MARKET_REFRESH_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** A view of the market at `now`, for the pure auction. */
  view(now: Date, supplierBlockedBuyers?: ReadonlySet<string>): MarketView {
    return {
      now,
      capUsage: (campaignId: string, period: CapPeriod, periodStart: Date) =>
        this.usage.get(usageKey(campaignId, period, periodStart)) ?? NO_USAGE,
      availableFunds: (buyerId: string) => this.availableFunds(buyerId),
      supplierBlocksBuyer: supplierBlockedBuyers?.size ? (_s: string, buyerId: string) => supplierBlockedBuyers.has(buyerId) : undefined,
    };
  }

  availableFunds(buyerId: string): Decimal | null {
    const f = this.funds.get(buyerId);
    if (!f) return new Decimal(0); // unknown buyer (created a moment ago): wait for the refresh
    return f.creditLimit === null ? null : f.balance.plus(f.creditLimit);
  }

  /** Counts this process's own sale at once, before the next refresh. */
  recordSale(campaignId: string, buyerId: string, price: Decimal, caps: { period: CapPeriod; periodStart: Date }[], at: Date): void {
    for (const cap of caps) {
      const key = usageKey(campaignId, cap.period, cap.periodStart);
      const u = this.usage.get(key) ?? NO_USAGE;
      this.usage.set(key, { leads: u.leads + 1, spend: u.spend.plus(price) });
    }
    const f = this.funds.get(buyerId);
    if (f) f.balance = f.balance.minus(price);
    const c = this.catalog.campaign(campaignId);
    if (c) c.lastWonAt = Math.max(c.lastWonAt, at.getTime());
  }

  /** A held sale was released: give its counts back until the next refresh confirms. */
  undoSale(campaignId: string, buyerId: string, price: Decimal, caps: { period: CapPeriod; periodStart: Date }[]): void {
    for (const cap of caps) {
      const key = usageKey(campaignId, cap.period, cap.periodStart);
      const u = this.usage.get(key);
      if (u) this.usage.set(key, { leads: Math.max(0, u.leads - 1), spend: Decimal.max(0, u.spend.minus(price)) });
    }
    const f = this.funds.get(buyerId);
    if (f) f.balance = f.balance.plus(price);
  }

  /** The database refused a cap: hold it as full here until the next refresh says otherwise. */
  markCapFull(campaignId: string, period: CapPeriod, periodStart: Date): void {
    this.usage.set(usageKey(campaignId, period, periodStart), { leads: Number.MAX_SAFE_INTEGER, spend: new Decimal('1e15') });
  }

  /** The database refused the buyer's funds: hold the buyer as empty until the next refresh. */
  markOutOfFunds(buyerId: string): void {
    const f = this.funds.get(buyerId);
    if (f && f.creditLimit !== null) f.balance = f.creditLimit.negated();
  }

  /** Reads cap counters of current periods, buyers' funds and last wins (one refresh at a time). */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async load(): Promise<void> {
    const [buyers, counters, wins] = await Promise.all([
      this.pool.query(`SELECT id, balance, credit_limit FROM buyers`),
      this.pool.query(
        `SELECT campaign_id, period, period_start, leads_count, spend FROM cap_counters
          WHERE period = 'TOTAL' OR period_start > now() - interval '32 days'`,
      ),
      this.pool.query(`SELECT id, last_won_at FROM campaigns WHERE last_won_at > now() - interval '1 day'`),
    ]);
    const funds = new Map<string, BuyerFunds>();
    for (const b of buyers.rows) {
      funds.set(b.id, { balance: new Decimal(b.balance), creditLimit: b.credit_limit === null ? null : new Decimal(b.credit_limit) });
    }
    const usage = new Map<string, CapUsage>();
    for (const r of counters.rows) {
      usage.set(usageKey(r.campaign_id, r.period, new Date(r.period_start)), { leads: r.leads_count, spend: new Decimal(r.spend) });
    }
    this.funds = funds;
    this.usage = usage;
    for (const w of wins.rows) {
      const c = this.catalog.campaign(w.id);
      if (c) c.lastWonAt = Math.max(c.lastWonAt, new Date(w.last_won_at).getTime());
    }
  }
}
