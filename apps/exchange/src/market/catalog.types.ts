import Decimal from 'decimal.js';
import { CampaignSnapshot, DistributionMode } from '@leadex/auction-core';
import { BuyerTemplate } from '@leadex/buyer-protocol';
import { LeadFieldsValidator } from '../verticals/lead-fields.validator';

/** What the exchange keeps in memory of a supplier, looked up by API-key hash on every request. */
export interface SupplierProfile {
  id: string;
  name: string;
  active: boolean;
  payoutPercent: Decimal;
  fixedPayout: Decimal | null;
  /** null = every vertical. */
  allowedVerticals: ReadonlySet<string> | null;
  blockedBuyerIds: ReadonlySet<string>;
  rateLimitPerSec: number | null;
  /** The least payout this supplier takes, per vertical. */
  floors: ReadonlyMap<string, Decimal>;
}

/** A vertical with its field validator compiled once. */
export interface VerticalProfile {
  key: string;
  name: string;
  description: string | null;
  active: boolean;
  maxSales: number;
  duplicateWindowDays: number;
  returnWindowDays: number;
  floorPrice: Decimal;
  distributionMode: DistributionMode;
  schema: Record<string, any>;
  validator: LeadFieldsValidator;
}

/** A campaign snapshot plus what the sale needs that the pure auction does not. */
export interface CampaignProfile extends CampaignSnapshot {
  name: string;
  timezone: string | null;
  /** Live pricing: the buyer's ping endpoint answers each lead with a bid. */
  pingUrl: string | null;
  /** The buyer's post endpoint, which accepts or refuses the lead before the sale completes. */
  postUrl: string | null;
  /** This buyer's ping deadline (ms); null = the exchange default. */
  timeoutMs: number | null;
  /** The buyer's own wire format (JSONata expressions); null = the contract's default JSON. */
  template: BuyerTemplate | null;
  /** Relative share under WEIGHTED distribution. */
  weight: number;
  purchaseMode: 'EXCLUSIVE' | 'SHARED' | 'BOTH';
}
