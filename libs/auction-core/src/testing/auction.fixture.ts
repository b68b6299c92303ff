import Decimal from 'decimal.js';
import { compileFilters } from '../filters.util';
import { CampaignSnapshot, CapPeriod, CapUsage, FilterRule, LeadView, MarketView } from '../types';

/** Wednesday 2026-07-01 11:00 in New York (EDT, UTC-4). */
export const NOW = new Date('2026-07-01T15:00:00Z');

export function money(s: string): Decimal {
  return new Decimal(s);
}

export function campaign(
  overrides: Partial<Omit<CampaignSnapshot, 'filter'>> & { rules?: FilterRule[] } = {},
): CampaignSnapshot {
  const { rules = [], ...rest } = overrides;
  return {
    id: 'camp-1',
    buyerId: 'buyer-1',
    vertical: 'auto-insurance',
    bid: money('10.00'),
    active: true,
    priority: 0,
    filter: compileFilters(rules),
    schedule: null,
    caps: [],
    excludedSupplierIds: new Set<string>(),
    lastWonAt: 0,
    ...rest,
  };
}

export function lead(fields: Record<string, unknown> = {}, overrides: Partial<LeadView> = {}): LeadView {
  return { supplierId: 'supplier-1', fields, source: null, ...overrides };
}

export interface FakeMarket extends MarketView {
  /** Every capUsage question asked, to check the period start the auction used. */
  asked: { campaignId: string; period: CapPeriod; periodStart: string }[];
}

/** A market whose usage and funds come from plain maps; unknown entries mean "nothing used" / "no limit". */
export function fakeMarket(
  opts: {
    now?: Date;
    usage?: Partial<Record<CapPeriod, CapUsage>>;
    funds?: Record<string, Decimal | null>;
    blocked?: [supplierId: string, buyerId: string][];
  } = {},
): FakeMarket {
  const asked: FakeMarket['asked'] = [];
  const market: FakeMarket = {
    now: opts.now ?? NOW,
    asked,
    capUsage(campaignId, period, periodStart) {
      asked.push({ campaignId, period, periodStart: periodStart.toISOString() });
      return opts.usage?.[period] ?? { leads: 0, spend: new Decimal(0) };
    },
    availableFunds(buyerId) {
      return opts.funds?.[buyerId] ?? null;
    },
  };
  if (opts.blocked !== undefined) {
    const blocked = new Set(opts.blocked.map(([s, b]) => `${s}|${b}`));
    market.supplierBlocksBuyer = (supplierId, buyerId) => blocked.has(`${supplierId}|${buyerId}`);
  }
  return market;
}
