import Decimal from 'decimal.js';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { moneyColumn } from '../money.transformer';

export type ReturnReasonValue = 'INVALID_PHONE' | 'INVALID_EMAIL' | 'DUPLICATE' | 'NOT_IN_MARKET' | 'FRAUD' | 'OTHER';
export type ReturnStatusValue = 'PENDING' | 'APPROVED' | 'REJECTED';

/**
 * A buyer's request to give back a lead it bought. Written and decided only by the PL/pgSQL functions
 * of migration 800 (leadex_request_return / approve / reject), which move the money with it.
 */
@Entity('lead_returns')
export class LeadReturnEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'sale_id' }) saleId: string;
  @Column('uuid', { name: 'lead_id' }) leadId: string;
  @Column('uuid', { name: 'buyer_id' }) buyerId: string;
  @Column('uuid', { name: 'campaign_id' }) campaignId: string;
  @Column('uuid', { name: 'supplier_id' }) supplierId: string;
  @Column('text') reason: ReturnReasonValue;
  @Column('text', { nullable: true }) note: string | null;
  @Column('text') status: ReturnStatusValue;
  @Column(moneyColumn) amount: Decimal;
  @Column('timestamptz', { name: 'requested_at' }) requestedAt: Date;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt: Date | null;
  @Column('uuid', { name: 'decided_by', nullable: true }) decidedBy: string | null;
  @Column('text', { name: 'decision_note', nullable: true }) decisionNote: string | null;
}
