import Decimal from 'decimal.js';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { LedgerAccountType } from '@leadex/contracts';
import { moneyColumn } from '../money.transformer';

/** A balanced set of ledger entries recording one money movement (sale, deposit, return...). */
@Entity('ledger_transactions')
export class LedgerTransactionEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') kind: 'SALE' | 'DEPOSIT' | 'RETURN' | 'ADJUSTMENT';
  @Column('uuid', { name: 'sale_id', nullable: true }) saleId: string | null;
  @Column('uuid', { name: 'lead_id', nullable: true }) leadId: string | null;
  @Column('text', { nullable: true }) memo: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

/** One immutable line of the ledger. */
@Entity('ledger_entries')
export class LedgerEntryEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'transaction_id' }) transactionId: string;
  @Column('text', { name: 'account_type' }) accountType: LedgerAccountType;
  @Column('uuid', { name: 'account_id', nullable: true }) accountId: string | null;
  @Column('text') direction: 'DEBIT' | 'CREDIT';
  @Column(moneyColumn) amount: Decimal;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
