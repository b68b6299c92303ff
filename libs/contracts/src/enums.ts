export enum Role {
  ADMIN = 'ADMIN',
  FINANCE = 'FINANCE',
  BUYER = 'BUYER',
}

export enum CampaignStatus {
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
}

export enum SupplierStatus {
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
}

/** What happened to a lead, as its supplier sees it. */
export enum LeadStatus {
  PROCESSING = 'processing',
  SOLD = 'sold',
  UNSOLD = 'unsold',
  DUPLICATE = 'duplicate',
}

export enum SaleStatus {
  SOLD = 'SOLD',
  RETURNED = 'RETURNED',
}

export enum LedgerAccountType {
  BUYER = 'BUYER',
  SUPPLIER = 'SUPPLIER',
  EXCHANGE_REVENUE = 'EXCHANGE_REVENUE',
  CASH = 'CASH',
}

/** The PostgreSQL channel on which configuration changes are announced to every exchange process. */
export const CHANGES_CHANNEL = 'leadex_changes';
