import Decimal from 'decimal.js';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { LeadStatus } from '@leadex/contracts';
import { moneyColumn } from '../money.transformer';

/** A consumer lead as a supplier posted it, whatever became of it (sold, unsold, duplicate). */
@Entity('leads')
export class LeadEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'supplier_id' }) supplierId: string;
  @Column('text', { name: 'vertical_key' }) vertical: string;
  @Column('text', { name: 'external_id', nullable: true }) externalId: string | null;
  @Column('boolean') test: boolean;
  @Column('text') status: LeadStatus;
  @Column('jsonb') fields: Record<string, unknown>;
  @Column('jsonb', { nullable: true }) consent: Record<string, unknown> | null;
  @Column('jsonb', { nullable: true }) source: Record<string, unknown> | null;
  @Column('text', { name: 'phone_key', nullable: true }) phoneKey: string | null;
  @Column('text', { name: 'email_key', nullable: true }) emailKey: string | null;
  @Column('uuid', { name: 'duplicate_of', nullable: true }) duplicateOf: string | null;
  @Column('int', { name: 'max_sales' }) maxSales: number;
  @Column('int', { name: 'sales_count' }) salesCount: number;
  @Column({ ...moneyColumn, name: 'payout_total' }) payoutTotal: Decimal;
  @Column({ ...moneyColumn, name: 'price_total' }) priceTotal: Decimal;
  @Column('jsonb', { nullable: true }) response: Record<string, unknown> | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz', { name: 'sold_at', nullable: true }) soldAt: Date | null;
}
