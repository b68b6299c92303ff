import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Decimal from 'decimal.js';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { Cap, CapPeriod, compileFilters, FilterRule, Schedule } from '@leadex/auction-core';
import { LeadexConfig } from '@leadex/config';
import { CHANGES_CHANNEL } from '@leadex/contracts';
import { pgPoolOf } from '@leadex/persistence';
import { BuyerTemplate, validateBuyerTemplate } from '@leadex/buyer-protocol';
import { LeadFieldsValidator } from '../verticals/lead-fields.validator';
import { CampaignProfile, SupplierProfile, VerticalProfile } from './catalog.types';

const SUPPLIER_SQL = `SELECT id, name, api_key_hash, status, payout_percent, fixed_payout, allowed_verticals,
  blocked_buyer_ids, rate_limit_per_sec,
  (SELECT coalesce(jsonb_object_agg(vertical_key, min_payout), '{}') FROM supplier_floors f WHERE f.supplier_id = suppliers.id) AS floors
  FROM suppliers`;
const VERTICAL_SQL = `SELECT key, name, description, active, max_sales, duplicate_window_days, return_window_days,
  floor_price, distribution_mode, schema FROM verticals`;
const CAMPAIGN_SQL = `SELECT id, buyer_id, name, vertical_key, bid, status, priority, filters, caps, schedule,
  excluded_supplier_ids, last_won_at, ping_url, post_url, timeout_ms, template, weight, purchase_mode FROM campaigns`;

/**
 * The exchange's in-memory catalog: suppliers, verticals and campaigns (filters compiled once).
 * Loaded at boot, then kept current through PostgreSQL LISTEN/NOTIFY: a trigger announces
 * every change, so each exchange process sees it within milliseconds, never per-lead queries.
 */
@Injectable()
export class CatalogService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(CatalogService.name);
  private readonly pool: Pool;
  private suppliersByHash = new Map<string, SupplierProfile>();
  private suppliersById = new Map<string, SupplierProfile & { hash: string }>();
  private verticals = new Map<string, VerticalProfile>();
  private campaigns = new Map<string, CampaignProfile>();
  private byVertical = new Map<string, CampaignProfile[]>();
  private listener: Client | null = null;
  private pending = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private unknownKeys = new Map<string, number>();
  private changeListeners: ((changes: string[]) => void)[] = [];

  constructor(@InjectDataSource() dataSource: DataSource, private readonly config: LeadexConfig) {
    this.pool = pgPoolOf(dataSource);
  }

  async onModuleInit(): Promise<void> {
    await this.reloadAll();
    await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    await this.listener?.end().catch(() => undefined);
  }

  /** Called after each batch of announced changes ("table:id") has been applied. */
  onChange(listener: (changes: string[]) => void): void {
    this.changeListeners.push(listener);
  }

  /**
   * The supplier owning an API key. A miss is looked up in PostgreSQL once (a supplier created a
   * moment ago, before its notification arrived); unknown keys are remembered briefly as unknown.
   */
  async supplierByKeyHash(hash: string): Promise<SupplierProfile | undefined> {
    const known = this.suppliersByHash.get(hash);
    if (known) return known;
    const missedAt = this.unknownKeys.get(hash);
    if (missedAt && Date.now() - missedAt < 1000) return undefined;
    const { rows } = await this.pool.query(`${SUPPLIER_SQL} WHERE api_key_hash = $1`, [hash]);
    if (!rows[0]) {
      if (this.unknownKeys.size > 10_000) this.unknownKeys.clear();
      this.unknownKeys.set(hash, Date.now());
      return undefined;
    }
    this.putSupplier(rows[0]);
    return this.suppliersByHash.get(hash);
  }

  supplier(id: string): SupplierProfile | undefined {
    return this.suppliersById.get(id);
  }

  vertical(key: string): VerticalProfile | undefined {
    return this.verticals.get(key);
  }

  allVerticals(): VerticalProfile[] {
    return [...this.verticals.values()].sort((a, b) => a.key.localeCompare(b.key));
  }

  campaign(id: string): CampaignProfile | undefined {
    return this.campaigns.get(id);
  }

  campaignsOf(vertical: string): readonly CampaignProfile[] {
    return this.byVertical.get(vertical) ?? [];
  }

  allCampaigns(): IterableIterator<CampaignProfile> {
    return this.campaigns.values();
  }

  /** Loads everything afresh (boot, and after the notification channel was lost). */
  async reloadAll(): Promise<void> {
    const [suppliers, verticals, campaigns] = await Promise.all([
      this.pool.query(SUPPLIER_SQL),
      this.pool.query(VERTICAL_SQL),
      this.pool.query(CAMPAIGN_SQL),
    ]);
    this.suppliersByHash = new Map();
    this.suppliersById = new Map();
    for (const row of suppliers.rows) this.putSupplier(row);
    const nextVerticals = new Map<string, VerticalProfile>();
    for (const row of verticals.rows) nextVerticals.set(row.key, this.toVertical(row, this.verticals.get(row.key)));
    this.verticals = nextVerticals;
    this.campaigns = new Map();
    for (const row of campaigns.rows) this.campaigns.set(row.id, this.toCampaign(row));
    this.regroup();
  }

  /** Reloads the named rows now; used by notifications and by tests that cannot wait. */
  async reload(changes: Iterable<string>): Promise<void> {
    const ids: Record<string, string[]> = { campaigns: [], suppliers: [], verticals: [], buyers: [] };
    for (const change of changes) {
      const [table, id] = change.split(':', 2);
      // a supplier's floors are part of its profile
      const into = table === 'supplier_floors' ? 'suppliers' : table;
      if (ids[into] && id) ids[into].push(id);
    }
    if (ids.suppliers.length) {
      const { rows } = await this.pool.query(`${SUPPLIER_SQL} WHERE id = ANY($1::uuid[])`, [ids.suppliers]);
      for (const id of ids.suppliers) this.dropSupplier(id);
      for (const row of rows) this.putSupplier(row);
    }
    if (ids.verticals.length) {
      const { rows } = await this.pool.query(`${VERTICAL_SQL} WHERE key = ANY($1)`, [ids.verticals]);
      for (const key of ids.verticals) if (!rows.some((r) => r.key === key)) this.verticals.delete(key);
      for (const row of rows) this.verticals.set(row.key, this.toVertical(row, this.verticals.get(row.key)));
    }
    if (ids.campaigns.length) {
      const { rows } = await this.pool.query(`${CAMPAIGN_SQL} WHERE id = ANY($1::uuid[])`, [ids.campaigns]);
      for (const id of ids.campaigns) this.campaigns.delete(id);
      for (const row of rows) this.campaigns.set(row.id, this.toCampaign(row));
      this.regroup();
    }
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: 'leadex-catalog-listener' });
    client.on('notification', (msg) => {
      if (msg.payload) this.pending.add(msg.payload);
      this.flushTimer ??= setTimeout(() => this.flush(), 10);
    });
    const lost = (err?: Error) => {
      if (this.stopped || this.listener !== client) return;
      this.log.warn(`change notifications lost (${err?.message ?? 'connection ended'}); reconnecting`);
      this.listener = null;
      client.end().catch(() => undefined);
      setTimeout(() => this.reconnect(), 1000).unref();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    this.listener = client;
  }

  private async reconnect(): Promise<void> {
    try {
      await this.listen();
      await this.reloadAll(); // whatever changed while we were deaf
    } catch (e) {
      this.log.warn(`reconnect failed: ${(e as Error).message}`);
      setTimeout(() => this.reconnect(), 2000).unref();
    }
  }

  private async flush(): Promise<void> {
    this.flushTimer = null;
    const batch = [...this.pending];
    this.pending.clear();
    try {
      await this.reload(batch);
      for (const listener of this.changeListeners) listener(batch);
    } catch (e) {
      this.log.error(`reloading ${batch.join(', ')} failed: ${(e as Error).message}`);
      for (const change of batch) this.pending.add(change);
      this.flushTimer = setTimeout(() => this.flush(), 1000);
    }
  }

  private regroup(): void {
    const byVertical = new Map<string, CampaignProfile[]>();
    for (const c of this.campaigns.values()) {
      if (!c.active) continue;
      const list = byVertical.get(c.vertical) ?? [];
      list.push(c);
      byVertical.set(c.vertical, list);
    }
    this.byVertical = byVertical;
  }

  private dropSupplier(id: string): void {
    const old = this.suppliersById.get(id);
    if (old) this.suppliersByHash.delete(old.hash);
    this.suppliersById.delete(id);
  }

  private putSupplier(row: any): void {
    this.dropSupplier(row.id);
    const profile = {
      id: row.id,
      name: row.name,
      hash: row.api_key_hash,
      active: row.status === 'ACTIVE',
      payoutPercent: new Decimal(row.payout_percent),
      fixedPayout: row.fixed_payout === null ? null : new Decimal(row.fixed_payout),
      allowedVerticals: row.allowed_verticals ? new Set<string>(row.allowed_verticals) : null,
      blockedBuyerIds: new Set<string>(row.blocked_buyer_ids ?? []),
      rateLimitPerSec: row.rate_limit_per_sec,
      floors: new Map(Object.entries<string>(row.floors ?? {}).map(([vertical, min]) => [vertical, new Decimal(min)])),
    };
    this.suppliersById.set(row.id, profile);
    this.suppliersByHash.set(row.api_key_hash, profile);
  }

  private toVertical(row: any, previous?: VerticalProfile): VerticalProfile {
    const sameSchema = previous && JSON.stringify(previous.schema) === JSON.stringify(row.schema);
    return {
      key: row.key,
      name: row.name,
      description: row.description,
      active: row.active,
      maxSales: row.max_sales,
      duplicateWindowDays: row.duplicate_window_days,
      returnWindowDays: row.return_window_days,
      floorPrice: new Decimal(row.floor_price),
      distributionMode: row.distribution_mode,
      schema: row.schema,
      validator: sameSchema ? previous.validator : new LeadFieldsValidator(row.key, row.schema),
    };
  }

  /** A stored template that does not validate leaves the campaign unable to bid, loudly. */
  private templateProblems(campaignId: string, template: BuyerTemplate | null): boolean {
    const problems = template ? validateBuyerTemplate(template) : [];
    if (problems.length) this.log.error(`campaign ${campaignId} has an invalid buyer template and will not bid: ${problems.join('; ')}`);
    return problems.length > 0;
  }

  /** A stored filter the core refuses (written around the portal's validation) buys nothing, loudly. */
  private compile(campaignId: string, rules: unknown): CampaignProfile['filter'] {
    try {
      return compileFilters((rules ?? []) as FilterRule[]);
    } catch (e) {
      this.log.error(`campaign ${campaignId} has invalid filters and will not bid: ${(e as Error).message}`);
      return () => false;
    }
  }

  private toCampaign(row: any): CampaignProfile {
    const previous = this.campaigns.get(row.id);
    const caps: Cap[] = (row.caps ?? []).map((c: any) => ({
      period: c.period as CapPeriod,
      maxLeads: c.maxLeads ?? null,
      maxSpend: c.maxSpend === null || c.maxSpend === undefined ? null : new Decimal(c.maxSpend),
    }));
    const schedule: Schedule | null = row.schedule ?? null;
    const lastWonAt = row.last_won_at ? new Date(row.last_won_at).getTime() : 0;
    const badTemplate = this.templateProblems(row.id, row.template);
    return {
      id: row.id,
      buyerId: row.buyer_id,
      name: row.name,
      vertical: row.vertical_key,
      bid: row.bid === null ? null : new Decimal(row.bid),
      active: row.status === 'ACTIVE' && !badTemplate,
      priority: row.priority,
      filter: this.compile(row.id, row.filters),
      pingUrl: row.ping_url,
      postUrl: row.post_url,
      timeoutMs: row.timeout_ms,
      template: row.template,
      weight: row.weight,
      purchaseMode: row.purchase_mode,
      schedule,
      timezone: schedule?.timezone ?? null,
      caps,
      excludedSupplierIds: new Set<string>(row.excluded_supplier_ids ?? []),
      // a local win may be newer than what PostgreSQL said when the row was read
      lastWonAt: Math.max(lastWonAt, previous?.lastWonAt ?? 0),
    };
  }
}
