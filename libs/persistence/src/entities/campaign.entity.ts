import Decimal from 'decimal.js';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CampaignStatus } from '@leadex/contracts';
import { moneyColumn } from '../money.transformer';

/** Stored shapes of a campaign's targeting; money inside JSON stays a string. */
export interface StoredFilterRule { field: string; op: string; value?: unknown }
export interface StoredCap { period: string; maxLeads?: number | null; maxSpend?: string | null }
export interface StoredSchedule { timezone: string; windows: { days: string[]; start: string; end: string }[] }
/** Whether a campaign buys a lead only alone, alongside other buyers, or either. */
export type StoredPurchaseMode = 'EXCLUSIVE' | 'SHARED' | 'BOTH';

/** A buyer's standing order for leads of one vertical: price, targeting, caps and hours. */
@Entity('campaigns')
export class CampaignEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'buyer_id' }) buyerId: string;
  @Column('text') name: string;
  @Column('text', { name: 'vertical_key' }) vertical: string;
  @Column({ ...moneyColumn, nullable: true }) bid: Decimal | null;
  @Column('text') status: CampaignStatus;
  @Column('int') priority: number;
  @Column('text', { name: 'ping_url', nullable: true }) pingUrl: string | null;
  @Column('text', { name: 'post_url', nullable: true }) postUrl: string | null;
  @Column('int', { name: 'timeout_ms', nullable: true }) timeoutMs: number | null;
  @Column('jsonb') filters: StoredFilterRule[];
  @Column('jsonb') caps: StoredCap[];
  @Column('jsonb', { nullable: true }) schedule: StoredSchedule | null;
  @Column('uuid', { name: 'excluded_supplier_ids', array: true }) excludedSupplierIds: string[];
  @Column('timestamptz', { name: 'last_won_at', nullable: true }) lastWonAt: Date | null;
  /** The buyer's wire template (JSONata expressions, see @leadex/buyer-protocol); null = the default JSON. */
  @Column('jsonb', { nullable: true }) template: Record<string, unknown> | null;
  @Column('text', { name: 'purchase_mode', default: 'EXCLUSIVE' }) purchaseMode: StoredPurchaseMode;
  /** Share of leads under WEIGHTED distribution, 0–1000. */
  @Column('int', { default: 1 }) weight: number;
  /** How sold leads reach the buyer: NONE (portal/API), WEBHOOK or EMAIL; copied onto each delivery at the sale. */
  @Column('jsonb', { default: () => `'{"method":"NONE"}'` }) delivery: StoredDelivery;
  /** Why the exchange paused the campaign (e.g. its endpoint kept failing); cleared when it is resumed. */
  @Column('text', { name: 'paused_reason', nullable: true }) pausedReason: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** A campaign's delivery config as stored (and snapshotted onto each delivery). */
export interface StoredDelivery {
  method: 'NONE' | 'WEBHOOK' | 'EMAIL';
  url?: string;
  email?: string;
  headers?: Record<string, string>;
  template?: Record<string, unknown>;
}
