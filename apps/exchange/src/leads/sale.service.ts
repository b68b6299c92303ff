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
import { inTransaction } from './lead-intake.service';

export interface SaleRequest {
  leadId: string;
  supplier: SupplierProfile;
  campaign: CampaignProfile;
  price: Decimal;
  idempotencyKeys: string[];
  /** The supplier's answer if this sale completes it; stored with the sale. */
  response: (payout: Decimal) => Record<string, unknown>;
}

export type SaleOutcome =
  | { sold: true; saleId: string; price: Decimal; payout: Decimal; margin: Decimal; soldAt: Date }
  | { sold: false; reason: 'cap_reached' | 'insufficient_funds' | 'lead_unavailable' };

class Refused extends Error {
  constructor(readonly reason: 'cap_reached' | 'insufficient_funds' | 'lead_unavailable') {
    super(reason);
  }
}

const CAP_SQL = `
  INSERT INTO cap_counters AS cc (campaign_id, period, period_start, leads_count, spend, max_leads, max_spend)
  SELECT $1, $2, $3, 1, $4, $5, $6
   WHERE ($5::int IS NULL OR $5::int >= 1) AND ($6::numeric IS NULL OR $4::numeric <= $6::numeric)
  ON CONFLICT (campaign_id, period, period_start) DO UPDATE
     SET leads_count = cc.leads_count + 1, spend = cc.spend + EXCLUDED.spend,
         max_leads = EXCLUDED.max_leads, max_spend = EXCLUDED.max_spend
   WHERE ($5::int IS NULL OR cc.leads_count < $5::int)
     AND ($6::numeric IS NULL OR cc.spend + EXCLUDED.spend <= $6::numeric)
  RETURNING leads_count`;

// The sale, its balanced ledger transaction, the campaign's last win and the idempotent answer, in one statement.
const SALE_SQL = `
  WITH lead AS (
    UPDATE leads SET status = 'sold', sales_count = sales_count + 1, payout_total = payout_total + $6,
                     price_total = price_total + $5, sold_at = coalesce(sold_at, now()), response = $10
     WHERE id = $2 AND sales_count < max_sales AND status IN ('processing', 'sold')
     RETURNING id, supplier_id, vertical_key
  ), sale AS (
    INSERT INTO sales (id, lead_id, campaign_id, buyer_id, supplier_id, vertical_key, price, payout, margin)
    SELECT $1, lead.id, $3, $4, lead.supplier_id, lead.vertical_key, $5, $6, $7 FROM lead
    RETURNING id, supplier_id, sold_at
  ), txn AS (
    INSERT INTO ledger_transactions (id, kind, sale_id, lead_id) SELECT $8, 'SALE', sale.id, $2 FROM sale RETURNING id
  ), entries AS (
    INSERT INTO ledger_entries (transaction_id, account_type, account_id, direction, amount)
    SELECT txn.id, e.account_type, e.account_id, e.direction, e.amount
      FROM txn, sale, LATERAL (VALUES
        ('BUYER', $4::uuid, 'DEBIT', $5::numeric),
        ('SUPPLIER', sale.supplier_id, 'CREDIT', $6::numeric),
        ('EXCHANGE_REVENUE', NULL::uuid, CASE WHEN $7::numeric < 0 THEN 'DEBIT' ELSE 'CREDIT' END, abs($7::numeric))
      ) AS e(account_type, account_id, direction, amount)
  ), won AS (
    UPDATE campaigns SET last_won_at = sale.sold_at FROM sale WHERE campaigns.id = $3
  ), answered AS (
    UPDATE idempotency_keys SET state = 'done', response_status = 200, response_body = $10
      FROM sale WHERE idempotency_keys.supplier_id = sale.supplier_id AND idempotency_keys.key = ANY($9)
  )
  SELECT sold_at FROM sale`;

const FUNDS_SQL = `
  UPDATE buyers SET balance = balance - $2
   WHERE id = $1 AND (credit_limit IS NULL OR balance - $2 >= -credit_limit)
  RETURNING balance`;

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

  async reserve(req: SaleRequest, now = new Date()): Promise<SaleOutcome> {
    const { campaign, price } = req;
    const { payout, margin } = computePayout(price, { payoutPercent: req.supplier.payoutPercent, fixedPayout: req.supplier.fixedPayout });
    const caps = campaign.caps.map((cap) => ({ ...cap, periodStart: capPeriodStart(cap.period, now, campaign.timezone) }));
    const response = req.response(payout);
    const saleId = randomUUID();
    const refused: { cap?: { period: CapPeriod; periodStart: Date } } = {};
    try {
      const soldAt = await inTransaction(this.pool, async (client) => {
        for (const cap of caps) {
          const r = await client.query(CAP_SQL, [
            campaign.id, cap.period, cap.periodStart, price.toFixed(2), cap.maxLeads ?? null, cap.maxSpend ? cap.maxSpend.toFixed(2) : null,
          ]);
          if (!r.rowCount) {
            refused.cap = cap;
            throw new Refused('cap_reached');
          }
        }
        const sale = await client.query(SALE_SQL, [
          saleId, req.leadId, campaign.id, campaign.buyerId, price.toFixed(2), payout.toFixed(2), margin.toFixed(2),
          randomUUID(), req.idempotencyKeys, response,
        ]);
        if (!sale.rowCount) throw new Refused('lead_unavailable');
        // funds last: the buyer's row is the most contended, so hold its lock the shortest time
        const funds = await client.query(FUNDS_SQL, [campaign.buyerId, price.toFixed(2)]);
        if (!funds.rowCount) throw new Refused('insufficient_funds');
        return new Date(sale.rows[0].sold_at);
      });
      this.market.recordSale(campaign.id, campaign.buyerId, price, caps, soldAt);
      return { sold: true, saleId, price, payout, margin, soldAt };
    } catch (e: any) {
      const reason = e instanceof Refused ? e.reason : e?.code === PG_CHECK_VIOLATION && /cap_counters/.test(e?.constraint ?? e?.message) ? 'cap_reached' : null;
      if (!reason) throw e;
      if (reason === 'cap_reached' && refused.cap) this.market.markCapFull(campaign.id, refused.cap.period, refused.cap.periodStart);
      if (reason === 'insufficient_funds') this.market.markOutOfFunds(campaign.buyerId);
      this.log.debug(`campaign ${campaign.id} could not take lead ${req.leadId}: ${reason}`);
      return { sold: false, reason };
    }
  }
}
