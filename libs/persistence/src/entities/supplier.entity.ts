import Decimal from 'decimal.js';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { moneyColumn, rateColumn } from '../money.transformer';

/** A publisher posting leads; authenticates with an API key of which only a hash is kept. */
@Entity('suppliers')
export class SupplierEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { name: 'api_key_hash' }) apiKeyHash: string;
  @Column('text', { name: 'api_key_prefix' }) apiKeyPrefix: string;
  @Column('text') status: 'ACTIVE' | 'PAUSED';
  @Column({ ...rateColumn, name: 'payout_percent' }) payoutPercent: Decimal;
  @Column({ ...moneyColumn, name: 'fixed_payout', nullable: true }) fixedPayout: Decimal | null;
  /** Verticals this supplier may sell; null = all. */
  @Column('text', { name: 'allowed_verticals', array: true, nullable: true }) allowedVerticals: string[] | null;
  @Column('uuid', { name: 'blocked_buyer_ids', array: true }) blockedBuyerIds: string[];
  @Column('int', { name: 'rate_limit_per_sec', nullable: true }) rateLimitPerSec: number | null;
  /** Told (POST) when one of the supplier's leads is sold or returned; null = no postbacks. */
  @Column('text', { name: 'postback_url', nullable: true }) postbackUrl: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
