import Decimal from 'decimal.js';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { SaleStatus } from '@leadex/contracts';
import { moneyColumn } from '../money.transformer';

/** One buyer's purchase of one lead: price = payout + margin, to the cent. */
@Entity('sales')
export class SaleEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'lead_id' }) leadId: string;
  @Column('uuid', { name: 'campaign_id' }) campaignId: string;
  @Column('uuid', { name: 'buyer_id' }) buyerId: string;
  @Column('uuid', { name: 'supplier_id' }) supplierId: string;
  @Column('text', { name: 'vertical_key' }) vertical: string;
  @Column(moneyColumn) price: Decimal;
  @Column(moneyColumn) payout: Decimal;
  @Column(moneyColumn) margin: Decimal;
  @Column('text') status: SaleStatus;
  @Column('timestamptz', { name: 'sold_at' }) soldAt: Date;
  /** When an approved return reversed the sale (status RETURNED); null otherwise. */
  @Column('timestamptz', { name: 'returned_at', nullable: true }) returnedAt: Date | null;
}
