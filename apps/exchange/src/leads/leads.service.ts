import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Decimal from 'decimal.js';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { formatMoney, parseMoney } from '@leadex/auction-core';
import { LeadexConfig } from '@leadex/config';
import { DomainException, ErrorCode, LeadStatus } from '@leadex/contracts';
import { pgPoolOf } from '@leadex/persistence';
import { LiveAuctionService, SalePlanOfLead } from '../auction/live-auction.service';
import { LeadForSale, WaterfallService } from '../auction/waterfall.service';
import { CatalogService } from '../market/catalog.service';
import { SupplierProfile, VerticalProfile } from '../market/catalog.types';
import { LeadEvent, LeadEventsService } from '../timeline/lead-events.service';
import { DirectPostDto } from './dto/direct-post.dto';
import { IdempotencyService } from './idempotency.service';
import { LeadIntakeService } from './lead-intake.service';
import { requestHash } from './request-hash.util';
import { SaleService } from './sale.service';

/** The fields a buyer may see before it buys: everything but the vertical's PII. */
export function withoutPii(fields: Record<string, unknown>, vertical: VerticalProfile): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (!vertical.validator.piiFields.has(k)) out[k] = v;
  return out;
}

export interface SupplierAnswer {
  replayed: boolean;
  body: Record<string, unknown>;
}

/** Sends an answer as the body, marking a replay with the contract's Idempotent-Replayed header. */
export function sendAnswer(reply: { header(name: string, value: string): unknown }, answer: SupplierAnswer): Record<string, unknown> {
  if (answer.replayed) reply.header('Idempotent-Replayed', 'true');
  return answer.body;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The direct post, end to end: validate, store and deduplicate, auction, reserve, answer. */
@Injectable()
export class LeadsService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(LeadsService.name);
  private readonly pool: Pool;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly config: LeadexConfig,
    private readonly catalog: CatalogService,
    private readonly idempotency: IdempotencyService,
    private readonly intake: LeadIntakeService,
    private readonly sales: SaleService,
    private readonly auction: LiveAuctionService,
    private readonly waterfall: WaterfallService,
    private readonly events: LeadEventsService,
  ) {
    this.pool = pgPoolOf(dataSource);
  }

  onModuleInit(): void {
    const sweep = () =>
      Promise.all([
        this.sales.releaseAbandonedHolds(this.config.IDEMPOTENCY_STALE_MS),
        this.intake.closeAbandoned(this.config.IDEMPOTENCY_STALE_MS),
        this.idempotency.deleteExpired(),
      ]).catch(
        (e) => this.log.warn(`closing abandoned leads failed: ${e.message}`),
      );
    this.sweeper = setInterval(sweep, 60_000);
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  /** Checks that the supplier may sell this vertical; returns the vertical. */
  sellableVertical(supplier: SupplierProfile, key: string): VerticalProfile {
    const vertical = this.catalog.vertical(key);
    if (!vertical || !vertical.active) {
      throw DomainException.validation([{ field: 'vertical', message: `unknown vertical "${key}"; see GET /v1/verticals` }]);
    }
    if (!supplier.active) throw new DomainException(ErrorCode.Forbidden, 'Your supplier account is paused');
    if (supplier.allowedVerticals && !supplier.allowedVerticals.has(key)) {
      throw new DomainException(ErrorCode.Forbidden, `You may not sell leads of vertical "${key}"`);
    }
    return vertical;
  }

  async directPost(supplier: SupplierProfile, dto: DirectPostDto, idempotencyHeader?: string): Promise<SupplierAnswer> {
    const arrivedAt = Date.now();
    const vertical = this.sellableVertical(supplier, dto.vertical);
    const checked = vertical.validator.validate(dto.fields);
    if (!checked.ok) throw DomainException.validation(checked.errors);

    const keys = IdempotencyService.keysFor(idempotencyHeader, dto.external_id);
    const hash = requestHash('POST /v1/leads', dto);
    const claim = await this.idempotency.claim(supplier.id, keys, 'POST /v1/leads', hash);
    if (claim.kind === 'replay') return { replayed: true, body: claim.body };

    const { fields, phoneKey, emailKey } = checked.value;
    let stored;
    try {
      stored = await this.intake.store({
        supplierId: supplier.id,
        vertical,
        externalId: dto.external_id ?? null,
        test: dto.test ?? false,
        fields,
        consent: dto.consent ? { ...dto.consent } : null,
        source: dto.source ? { ...dto.source } : null,
        phoneKey,
        emailKey,
        requestHash: hash,
        idempotencyKeys: claim.keys,
      });
    } catch (e) {
      await this.idempotency.release(supplier.id, claim.keys).catch(() => undefined);
      throw e;
    }
    const { leadId } = stored;
    if (stored.duplicateOf) return { replayed: false, body: { lead_id: leadId, status: LeadStatus.DUPLICATE, sales: 0 } };
    if (dto.test) return { replayed: false, body: { lead_id: leadId, status: LeadStatus.UNSOLD, sales: 0 } };

    const body = await this.sell(leadId, dto, fields, vertical, supplier, claim.keys, arrivedAt);
    return { replayed: false, body };
  }

  /** Auctions a stored lead (live buyers pinged without PII) and sells it down the plan. */
  private async sell(
    leadId: string,
    dto: DirectPostDto,
    fields: Record<string, unknown>,
    vertical: VerticalProfile,
    supplier: SupplierProfile,
    keys: string[],
    arrivedAt: number,
  ): Promise<Record<string, unknown>> {
    const { plan, events } = await this.auction.run({
      arrivedAt,
      pingId: leadId,
      lead: { supplierId: supplier.id, fields, source: dto.source as Record<string, unknown> | undefined },
      pingFields: withoutPii(fields, vertical),
      vertical,
      supplier,
      minPayout: dto.min_price ? parseMoney(dto.min_price) : null,
    });
    for (const e of events) e.leadId = leadId;
    const consent = dto.consent ? { ...dto.consent } : null;
    return this.sellDown({ leadId, pingId: leadId, vertical: vertical.key, supplier, fields, consent, idempotencyKeys: keys }, plan, vertical, events);
  }

  /** Sells a stored lead down its plan (for a direct post or a post) and stores the supplier's answer. */
  async sellDown(
    lead: Omit<LeadForSale, 'answer'>,
    plan: SalePlanOfLead,
    vertical: VerticalProfile,
    events: LeadEvent[],
  ): Promise<Record<string, unknown>> {
    const answer = (payout: Decimal, sales: number) => ({ lead_id: lead.leadId, status: LeadStatus.SOLD, price: formatMoney(payout), sales });
    try {
      const result = await this.waterfall.sell({ ...lead, answer }, plan, vertical.maxSales, events);
      if (result.sales > 0) {
        const sold = answer(result.payout, result.sales);
        // an exclusive sale stored its answer with the sale; a shared one is answered once its set is sold
        if (plan.shared) await this.intake.finish(lead.leadId, lead.supplier.id, lead.idempotencyKeys, sold);
        return sold;
      }
      const unsold = { lead_id: lead.leadId, status: LeadStatus.UNSOLD, sales: 0 };
      await this.intake.finish(lead.leadId, lead.supplier.id, lead.idempotencyKeys, unsold);
      return unsold;
    } finally {
      this.events.recordLater(events);
    }
  }

  /** A supplier's own lead, as it stands. */
  async findOwn(supplier: SupplierProfile, id: string): Promise<Record<string, unknown>> {
    const notFound = new DomainException(ErrorCode.NotFound, `No lead ${id} of yours`);
    if (!UUID.test(id)) throw notFound;
    const { rows } = await this.pool.query(
      `SELECT id, vertical_key, external_id, test, status, sales_count, payout_total, fields, consent, source,
              duplicate_of, created_at, sold_at, ping_id
         FROM leads WHERE id = $1 AND supplier_id = $2`,
      [id, supplier.id],
    );
    const l = rows[0];
    if (!l) throw notFound;
    // the supplier sees what happened and how fast, not which buyer bid what
    const timeline = (await this.events.timeline(l.id, l.ping_id)).map(({ at, kind, outcome, latency_ms }) => ({ at, kind, outcome, latency_ms }));
    return {
      lead_id: l.id,
      vertical: l.vertical_key,
      external_id: l.external_id,
      test: l.test,
      status: l.status,
      ...(l.status === LeadStatus.SOLD ? { price: formatMoney(l.payout_total) } : {}),
      sales: l.sales_count,
      duplicate_of: l.duplicate_of,
      created_at: l.created_at.toISOString(),
      sold_at: l.sold_at ? l.sold_at.toISOString() : null,
      ping_id: l.ping_id,
      fields: l.fields,
      source: l.source,
      consent: l.consent,
      timeline,
    };
  }
}
