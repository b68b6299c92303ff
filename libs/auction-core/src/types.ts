import Decimal from 'decimal.js';

/** Exact money in code: decimal.js, two places on the wire. */
export type Money = Decimal;

export const FILTER_OPS = [
  'EQ', 'NEQ', 'IN', 'NOT_IN', 'GT', 'GTE', 'LT', 'LTE', 'BETWEEN',
  'EXISTS', 'NOT_EXISTS', 'CONTAINS', 'STARTS_WITH',
] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

/** One targeting rule of a campaign; every rule of a campaign must hold. */
export interface FilterRule {
  /** A field of the lead: `zip`, `state` (vertical fields), or `source.sub_id`, `supplier_id`. */
  field: string;
  op: FilterOp;
  value?: unknown;
}

/** What the filters see of a lead. */
export interface LeadView {
  supplierId: string;
  fields: Record<string, unknown>;
  source?: Record<string, unknown> | null;
}

export type CompiledFilter = (lead: LeadView) => boolean;

export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface ScheduleWindow {
  days: Weekday[];
  /** "HH:MM" local time, inclusive. */
  start: string;
  /** "HH:MM" local time, exclusive; "24:00" allowed; end < start means the window runs past midnight. */
  end: string;
}

export interface Schedule {
  /** IANA time zone, e.g. "America/New_York". */
  timezone: string;
  windows: ScheduleWindow[];
}

export const CAP_PERIODS = ['HOUR', 'DAY', 'WEEK', 'MONTH', 'TOTAL'] as const;
export type CapPeriod = (typeof CAP_PERIODS)[number];

export interface Cap {
  period: CapPeriod;
  maxLeads?: number | null;
  maxSpend?: Money | null;
}

/** Sales and spend already counted against one cap in its current period. */
export interface CapUsage {
  leads: number;
  spend: Money;
}

/** A campaign as the auction holds it in memory: filters compiled once. */
export interface CampaignSnapshot {
  id: string;
  buyerId: string;
  vertical: string;
  /** Fixed price per lead; null when the campaign prices live via its ping URL. */
  bid: Money | null;
  active: boolean;
  priority: number;
  filter: CompiledFilter;
  schedule: Schedule | null;
  caps: Cap[];
  /** Suppliers whose leads this campaign never buys. */
  excludedSupplierIds: ReadonlySet<string>;
  /** Epoch ms of the campaign's last win; 0 when it never won. */
  lastWonAt: number;
}

/** What the auction must know of the market at the moment a lead arrives. */
export interface MarketView {
  now: Date;
  /** Usage of a campaign's cap in the period starting at periodStart. */
  capUsage(campaignId: string, period: CapPeriod, periodStart: Date): CapUsage;
  /** balance + credit limit of a buyer; null = no limit. */
  availableFunds(buyerId: string): Money | null;
  /** Buyers this supplier refuses to sell to. */
  supplierBlocksBuyer?(supplierId: string, buyerId: string): boolean;
}

export interface Bid {
  campaignId: string;
  buyerId: string;
  price: Money;
  priority: number;
  lastWonAt: number;
}
