import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How a campaign's buyer endpoint answers, kept by the exchange; no row = never pinged. */
@Entity('campaign_health')
export class CampaignHealthEntity {
  @PrimaryColumn('uuid', { name: 'campaign_id' }) campaignId: string;
  /** bigint: read as a string by pg. */
  @Column('bigint') pings: string;
  @Column('bigint', { name: 'on_time' }) onTime: string;
  @Column('int', { name: 'consecutive_failures' }) consecutiveFailures: number;
  @Column('timestamptz', { name: 'last_failure_at', nullable: true }) lastFailureAt: Date | null;
  @Column('text', { name: 'last_failure_reason', nullable: true }) lastFailureReason: string | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}
