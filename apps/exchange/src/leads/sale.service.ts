import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'crypto';
import Decimal from 'decimal.js';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { capPeriodStart, CapPeriod, computePayout } from '@leadex/auction-core';
import { PG_CHECK_VIOLATION, pgPoolOf } from '@leadex/persistence';
import { CampaignProfile, SupplierProfile } from '../market/catalog.types';
import { MarketStateService } from '../market/market-state.service';

export interface SaleRequest {
  leadId: string;
  supplier: SupplierProfile;
  campaign: CampaignProfile;
  price: Decimal;
  idempotencyKeys: string[];
  /** The buyer's own id for its bid, from its ping answer. */
  bidId?: string | null;
  /** The supplier's answer if this sale completes it, stored with the sale; null when more sales may follow. */
  response: (payout: Decimal) => Record<string, unknown> | null;
}

export type SaleOutcome =
  | { sold: true; saleId: string; price: Decimal; payout: Decimal; margin: Decimal; soldAt: Date; caps: CapHold[] }
  | { sold: false; reason: 'cap_reached' | 'insufficient_funds' | 'lead_unavailable' | 'buyer_refused' };

/** A cap counter a sale counted against, so a released hold can give it back. */
export interface CapHold {
  period: CapPeriod;
  periodStart: Date;
  maxLeads: number | null;
  maxSpend: string | null;
}

/** SQLSTATEs raised by leadex_reserve_sale when a rule refuses the reservation. */
const REFUSALS: Record<string, 'cap_reached' | 'lead_unavailable' | 'insufficient_funds'> = {
  LX001: 'cap_reached',
  LX002: 'lead_unavailable',
  LX003: 'insufficient_funds',
};

/**
 * Reserves a lead for one bid: the campaign's caps, the sale with its ledger entries and the buyer's
 * funds commit in one transaction of conditional updates, or not at all. Caps and credit limits hold
 * however many requests and exchange processes race, because PostgreSQL decides each update under
 * the row lock (and CHECK constraints back them up).
 */
@Injectable()
export class SaleService {
  private readonly log = new Logger(SaleService.name);
  private readonly pool: Pool;

  constructor(@InjectDataSource() dataSource: DataSource, private readonly market: MarketStateService) {
    this.pool = pgPoolOf(dataSource);
  }

  /** One-phase sale (no buyer answer awaited): hold and confirm in one round trip. */
  reserve(req: SaleRequest, now = new Date()): Promise<SaleOutcome> {
    return this.attempt(req, now, 'reserve');
  }

  /** Phase one for a buyer with a post endpoint: caps, funds and the lead held, no ledger yet. */
  hold(req: SaleRequest, now = new Date()): Promise<SaleOutcome> {
    return this.attempt(req, now, 'hold');
  }

  /** Phase two: the buyer accepted; the held sale becomes a sale with its ledger transaction. */
  async confirm(hold: Extract<SaleOutcome, { sold: true }>, req: SaleRequest): Promise<SaleOutcome> {
    try {
      const { rows } = await this.pool.query(`SELECT leadex_confirm_sale($1, $2, $3, $4) AS sold_at`, [
        hold.saleId, randomUUID(), req.idempotencyKeys, req.response(hold.payout),
      ]);
      return { ...hold, soldAt: new Date(rows[0].sold_at) };
    } catch (e: any) {
      if (e?.code === 'LX004') return { sold: false, reason: 'lead_unavailable' };
      throw e;
    }
  }

  /** The buyer refused or did not answer: the hold is undone, in this process's view too. */
  async release(hold: Extract<SaleOutcome, { sold: true }>, req: SaleRequest): Promise<void> {
    const { rows } = await this.pool.query(`SELECT leadex_release_sale($1) AS released`, [hold.saleId]);
    if (rows[0].released) this.market.undoSale(req.campaign.id, req.campaign.buyerId, hold.price, hold.caps);
  }

  /** Holds left PENDING by a process that died mid-post are released. */
  async releaseAbandonedHolds(olderThanMs: number): Promise<number> {
    const { rows } = await this.pool.query(
      `SELECT leadex_release_sale(id) FROM sales WHERE status = 'PENDING' AND sold_at < now() - make_interval(secs => $1::double precision / 1000)`,
      [olderThanMs],
    );
    return rows.length;
  }

  private async attempt(req: SaleRequest, now: Date, phase: 'reserve' | 'hold'): Promise<SaleOutcome> {
    const { campaign, price } = req;
    const { payout, margin } = computePayout(price, { payoutPercent: req.supplier.payoutPercent, fixedPayout: req.supplier.fixedPayout });
    const caps = campaign.caps.map((cap) => ({
      period: cap.period,
      periodStart: capPeriodStart(cap.period, now, campaign.timezone),
      maxLeads: cap.maxLeads ?? null,
      maxSpend: cap.maxSpend ? cap.maxSpend.toFixed(2) : null,
    }));
    const saleId = randomUUID();
    const money = [price.toFixed(2), payout.toFixed(2), margin.toFixed(2)];
    try {
      // one round trip, one implicit transaction: see leadex_hold_sale / leadex_reserve_sale in migrations/
      const { rows } =
        phase === 'reserve'
          ? await this.pool.query(`SELECT leadex_reserve_sale($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) AS sold_at`, [
              saleId, randomUUID(), req.leadId, campaign.id, campaign.buyerId, ...money, JSON.stringify(caps), req.idempotencyKeys,
              req.response(payout), req.bidId ?? null,
            ])
          : await this.pool.query(`SELECT leadex_hold_sale($1, $2, $3, $4, $5, $6, $7, $8, $9), now() AS sold_at`, [
              saleId, req.leadId, campaign.id, campaign.buyerId, ...money, JSON.stringify(caps), req.bidId ?? null,
            ]);
      const soldAt = new Date(rows[0].sold_at);
      this.market.recordSale(campaign.id, campaign.buyerId, price, caps, soldAt);
      return { sold: true, saleId, price, payout, margin, soldAt, caps };
    } catch (e: any) {
      const capViolation = e?.code === PG_CHECK_VIOLATION && /cap_counters/.test(e?.constraint ?? '');
      const reason = REFUSALS[e?.code] ?? (capViolation ? 'cap_reached' : undefined);
      if (!reason) throw e;
      if (reason === 'cap_reached') {
        for (const cap of caps) if (!e.detail || cap.period === e.detail) this.market.markCapFull(campaign.id, cap.period, cap.periodStart);
      }
      if (reason === 'insufficient_funds') this.market.markOutOfFunds(campaign.buyerId);
      this.log.debug(`campaign ${campaign.id} could not take lead ${req.leadId}: ${reason}`);
      return { sold: false, reason };
    }
  }
}
