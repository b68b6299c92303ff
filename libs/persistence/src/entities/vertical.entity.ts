import Decimal from 'decimal.js';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { moneyColumn } from '../money.transformer';

/** How a vertical's leads are routed among eligible campaigns. */
export type StoredDistributionMode = 'AUCTION' | 'PRIORITY' | 'ROUND_ROBIN' | 'WEIGHTED';

/** A kind of lead (auto insurance, mortgage...): its field schema and selling rules are data. */
@Entity('verticals')
export class VerticalEntity {
  @PrimaryColumn('text') key: string;
  @Column('text') name: string;
  @Column('text', { nullable: true }) description: string | null;
  /** JSON Schema of `fields`; personal properties carry "x-pii": true. */
  @Column('jsonb') schema: Record<string, any>;
  @Column('int', { name: 'max_sales' }) maxSales: number;
  @Column('int', { name: 'duplicate_window_days' }) duplicateWindowDays: number;
  @Column('int', { name: 'return_window_days' }) returnWindowDays: number;
  @Column({ ...moneyColumn, name: 'floor_price' }) floorPrice: Decimal;
  @Column('boolean') active: boolean;
  @Column('text', { name: 'distribution_mode', default: 'AUCTION' }) distributionMode: StoredDistributionMode;
  /** Return reasons approved as soon as a buyer asks (the verticals_return_auto_approve_reasons_known CHECK lists them). */
  @Column('text', { array: true, name: 'return_auto_approve_reasons', default: () => "'{}'" }) returnAutoApproveReasons: string[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
