import Decimal from 'decimal.js';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { moneyColumn } from '../money.transformer';

/** An advertiser buying leads; its balance may go down to −creditLimit (no limit when null). */
@Entity('buyers')
export class BuyerEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column({ ...moneyColumn, name: 'credit_limit', nullable: true }) creditLimit: Decimal | null;
  @Column({ ...moneyColumn }) balance: Decimal;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
