import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'crypto';
import Decimal from 'decimal.js';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { formatMoney, parseMoney } from '@leadex/auction-core';
import { LeadexConfig } from '@leadex/config';
import { DomainException, ErrorCode, LeadStatus } from '@leadex/contracts';
import { PG_UNIQUE_VIOLATION, pgPoolOf } from '@leadex/persistence';
import { LiveAuctionService, SalePlanOfLead } from '../auction/live-auction.service';
import { SupplierProfile } from '../market/catalog.types';
import { IdempotencyService } from '../leads/idempotency.service';
import { LeadIntakeService } from '../leads/lead-intake.service';
import { LeadsService, SupplierAnswer } from '../leads/leads.service';
import { requestHash } from '../leads/request-hash.util';
import { LeadEventsService } from '../timeline/lead-events.service';
import { PingDto, PostDto } from './dto/ping-post.dto';

/** A bid of a ping's plan as kept in ping_offers.bids, with whether the plan sells the lead shared. */
interface StoredBid {
  campaignId: string;
  buyerId: string;
  price: string;
  bidId: string | null;
  live: boolean;
  shared: boolean;
}

/** Non-PII fields that differ between a ping and its post (a field present on one side only differs too). */
export function mismatchedFields(pinged: Record<string, unknown>, posted: Record<string, unknown>, pii: ReadonlySet<string>): string[] {
  const names = new Set([...Object.keys(pinged), ...Object.keys(posted)].filter((k) => !pii.has(k)));
  return [...names].filter((k) => JSON.stringify(pinged[k] ?? null) !== JSON.stringify(posted[k] ?? null)).sort();
}

/**
 * Ping-post: a ping (no PII) is auctioned and answered with the payout the supplier would get;
 * its bids are kept as a ping offer until expires_at. The post brings the full lead: it must match
 * the ping's non-PII fields, is stored and deduplicated, then sold down the ping's bids.
 */
@Injectable()
export class PingPostService {
  private readonly pool: Pool;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly config: LeadexConfig,
    private readonly leads: LeadsService,
    private readonly idempotency: IdempotencyService,
    private readonly intake: LeadIntakeService,
    private readonly auction: LiveAuctionService,
    private readonly events: LeadEventsService,
  ) {
    this.pool = pgPoolOf(dataSource);
  }

  async ping(supplier: SupplierProfile, dto: PingDto, idempotencyHeader?: string): Promise<SupplierAnswer> {
    const arrivedAt = Date.now();
    const vertical = this.leads.sellableVertical(supplier, dto.vertical);
    const checked = vertical.validator.validateNonPii(dto.fields);
    if (!checked.ok) throw DomainException.validation(checked.errors);
    const keys = IdempotencyService.keysFor(idempotencyHeader, dto.external_id, 'ping:');
    const hash = requestHash('POST /v1/ping', dto);
    const claim = await this.idempotency.claim(supplier.id, keys, 'POST /v1/ping', hash);
    if (claim.kind === 'replay') return { replayed: true, body: claim.body };
    try {
      const pingId = randomUUID();
      const { fields } = checked.value;
      const source = dto.source ? { ...dto.source } : null;
      const { plan, events } = await this.auction.run({
        pingId,
        lead: { supplierId: supplier.id, fields, source },
        pingFields: fields,
        vertical,
        supplier,
        minPayout: dto.min_price ? parseMoney(dto.min_price) : null,
        fixedOnly: dto.test ?? false,
        arrivedAt,
      });
      const payout = plan.bids.length ? plan.payout : null;
      const expiresAt = new Date(Date.now() + this.config.PING_TTL_SECONDS * 1000);
      const body = {
        ping_id: pingId,
        status: payout ? 'bid' : 'no_bid',
        ...(payout ? { price: formatMoney(payout) } : {}),
        expires_at: expiresAt.toISOString(),
      };
      const stored: StoredBid[] = plan.bids.map((b) => ({ ...b, price: b.price.toFixed(2), shared: plan.shared }));
      await this.pool.query(
        `WITH offer AS (
           INSERT INTO ping_offers (id, supplier_id, vertical_key, fields, source, test, status, price, bids, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id)
         UPDATE idempotency_keys SET state = 'done', response_status = 200, response_body = $11
          WHERE supplier_id = $2 AND key = ANY($12) AND EXISTS (SELECT 1 FROM offer)`,
        [
          pingId, supplier.id, vertical.key, fields, source, dto.test ?? false, body.status, payout?.toFixed(2) ?? null,
          JSON.stringify(stored), expiresAt, body, claim.keys,
        ],
      );
      for (const e of events) e.pingId = pingId;
      this.events.recordLater(events);
      return { replayed: false, body };
    } catch (e) {
      await this.idempotency.release(supplier.id, claim.keys).catch(() => undefined);
      throw e;
    }
  }

  async post(supplier: SupplierProfile, dto: PostDto, idempotencyHeader?: string): Promise<SupplierAnswer> {
    const { rows } = await this.pool.query(
      `SELECT id, vertical_key, fields, source, test, status, bids, expires_at, lead_id FROM ping_offers WHERE id = $1 AND supplier_id = $2`,
      [dto.ping_id, supplier.id],
    );
    const offer = rows[0];
    if (!offer) throw new DomainException(ErrorCode.NotFound, `No ping ${dto.ping_id} of yours`, [{ field: 'ping_id', message: 'unknown ping' }]);
    const alreadyPosted = () =>
      new DomainException(ErrorCode.Conflict, `Ping ${offer.id} was already posted`, [{ field: 'ping_id', message: 'already posted' }]);
    const vertical = this.leads.sellableVertical(supplier, offer.vertical_key);
    const checked = vertical.validator.validate(dto.fields);
    if (!checked.ok) throw DomainException.validation(checked.errors);

    const keys = IdempotencyService.keysFor(idempotencyHeader, dto.external_id);
    const hash = requestHash('POST /v1/post', dto);
    const claim = await this.idempotency.claim(supplier.id, keys, 'POST /v1/post', hash);
    if (claim.kind === 'replay') return { replayed: true, body: claim.body };
    if (offer.status === 'posted') {
      await this.idempotency.release(supplier.id, claim.keys);
      throw alreadyPosted();
    }

    const { fields, phoneKey, emailKey } = checked.value;
    const mismatched = mismatchedFields(offer.fields, fields, vertical.validator.piiFields);
    const imposed = new Date(offer.expires_at).getTime() < Date.now() ? 'expired' : mismatched.length ? 'mismatch' : undefined;
    const consent = dto.consent ? { ...dto.consent } : null;
    let stored;
    try {
      stored = await this.intake.store({
        supplierId: supplier.id, vertical, externalId: dto.external_id ?? null, test: offer.test, fields, consent, source: offer.source,
        phoneKey, emailKey, requestHash: hash, idempotencyKeys: claim.keys, pingId: offer.id, status: imposed,
      });
    } catch (e: any) {
      await this.idempotency.release(supplier.id, claim.keys).catch(() => undefined);
      // two posts of one ping racing: the loser meets the one-lead-per-ping index or the offer's state
      if (e?.code === 'LX005' || (e?.code === PG_UNIQUE_VIOLATION && e?.constraint === 'leads_one_per_ping')) throw alreadyPosted();
      throw e;
    }
    const { leadId } = stored;
    if (imposed) {
      if (imposed === 'mismatch') this.events.recordLater([{ leadId, kind: 'note', outcome: 'mismatch', detail: { fields: mismatched }, at: new Date() }]);
      return { replayed: false, body: { lead_id: leadId, status: imposed, sales: 0 } };
    }
    if (stored.duplicateOf) return { replayed: false, body: { lead_id: leadId, status: LeadStatus.DUPLICATE, sales: 0 } };
    if (offer.test) return { replayed: false, body: { lead_id: leadId, status: LeadStatus.UNSOLD, sales: 0 } };

    const offered = offer.bids as StoredBid[];
    const plan: SalePlanOfLead = {
      shared: offered[0]?.shared ?? false,
      bids: offered.map(({ campaignId, buyerId, price, bidId, live }) => ({ campaignId, buyerId, price: new Decimal(price), bidId, live })),
      payout: new Decimal(0), // what the post actually pays is counted as it sells
    };
    const body = await this.leads.sellDown(
      { leadId, pingId: offer.id, vertical: vertical.key, supplier, fields, consent, idempotencyKeys: claim.keys },
      plan,
      vertical,
      [],
    );
    return { replayed: false, body };
  }
}
