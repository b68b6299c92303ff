import { registerEnumType } from '@nestjs/graphql';
import { CampaignStatus } from '@leadex/contracts';

/** GraphQL mirrors of the auction-core vocabularies (FILTER_OPS, CAP_PERIODS, WEEKDAYS); a spec keeps them equal. */
export enum FilterOp {
  EQ = 'EQ',
  NEQ = 'NEQ',
  IN = 'IN',
  NOT_IN = 'NOT_IN',
  GT = 'GT',
  GTE = 'GTE',
  LT = 'LT',
  LTE = 'LTE',
  BETWEEN = 'BETWEEN',
  EXISTS = 'EXISTS',
  NOT_EXISTS = 'NOT_EXISTS',
  CONTAINS = 'CONTAINS',
  STARTS_WITH = 'STARTS_WITH',
}

export enum CapPeriod {
  HOUR = 'HOUR',
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
  TOTAL = 'TOTAL',
}

export enum Weekday {
  MON = 'MON',
  TUE = 'TUE',
  WED = 'WED',
  THU = 'THU',
  FRI = 'FRI',
  SAT = 'SAT',
  SUN = 'SUN',
}

/** Whether a campaign buys a lead only alone, alongside other buyers of a shared vertical, or either. */
export enum PurchaseMode {
  EXCLUSIVE = 'EXCLUSIVE',
  SHARED = 'SHARED',
  BOTH = 'BOTH',
}

registerEnumType(FilterOp, {
  name: 'FilterOp',
  description: 'BETWEEN takes [low, high] inclusive; IN/NOT_IN take arrays; EXISTS/NOT_EXISTS take no value; string comparisons ignore case.',
});
registerEnumType(CapPeriod, { name: 'CapPeriod', description: "Cap periods run in the campaign schedule's time zone (UTC without a schedule)." });
registerEnumType(Weekday, { name: 'Weekday' });
registerEnumType(CampaignStatus, { name: 'CampaignStatus' });
registerEnumType(PurchaseMode, {
  name: 'PurchaseMode',
  description: 'EXCLUSIVE: buys a lead only as its one buyer. SHARED: buys only leads sold to several buyers. BOTH: either.',
  valuesMap: {
    EXCLUSIVE: { description: 'Only leads sold to this buyer alone.' },
    SHARED: { description: 'Only leads sold to several buyers (verticals with maxSales > 1).' },
    BOTH: { description: 'Exclusive or shared.' },
  },
});
