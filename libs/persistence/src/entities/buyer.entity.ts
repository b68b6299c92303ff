import Decimal from 'decimal.js';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { moneyColumn, rateColumn } from '../money.transformer';

/** An advertiser buying leads; its balance may go down to −creditLimit (no limit when null). */
@Entity('buyers')
export class BuyerEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column({ ...moneyColumn, name: 'credit_limit', nullable: true }) creditLimit: Decimal | null;
  @Column({ ...moneyColumn }) balance: Decimal;
  /** Available funds (balance + credit limit) under this raise one LOW_BALANCE notice per episode; null = none. */
  @Column({ ...moneyColumn, name: 'low_balance_threshold', nullable: true }) lowBalanceThreshold: Decimal | null;
  /** Most returns, in percent of purchases, this buyer may have in the rate window; null = the configured default. */
  @Column({ ...rateColumn, name: 'max_return_percent', nullable: true }) maxReturnPercent: Decimal | null;
  /** Where notifications are also emailed (needs SMTP_URL); null = the portal only. */
  @Column('text', { name: 'notify_email', nullable: true }) notifyEmail: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
