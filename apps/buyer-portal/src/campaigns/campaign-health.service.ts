import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CampaignHealthModel } from './campaign.output';

/** GraphQL Int is 32-bit; a counter past it is shown as the largest Int rather than failing the response. */
const INT_MAX = 2_147_483_647;

interface HealthRow {
  campaign_id: string;
  pings: string;
  on_time: string;
  consecutive_failures: number;
  last_failure_at: Date | null;
  last_failure_reason: string | null;
}

/** A campaign never pinged: no campaign_health row yet. */
export const NO_HEALTH: Readonly<CampaignHealthModel> = Object.freeze({
  pings: 0,
  onTimeRate: null,
  consecutiveFailures: 0,
  lastFailureAt: null,
  lastFailureReason: null,
});

/** Reads the endpoint health the exchange keeps per campaign (campaign_health), many campaigns per query. */
@Injectable()
export class CampaignHealthService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The health of each campaign that has a row, by campaign id; callers treat a missing id as NO_HEALTH. */
  async healthOf(campaignIds: readonly string[]): Promise<Map<string, CampaignHealthModel>> {
    if (!campaignIds.length) return new Map();
    const rows: HealthRow[] = await this.dataSource.query(
      `SELECT campaign_id, pings::text AS pings, on_time::text AS on_time, consecutive_failures, last_failure_at, last_failure_reason
         FROM campaign_health WHERE campaign_id = ANY($1::uuid[])`,
      [campaignIds],
    );
    return new Map(rows.map((r) => [r.campaign_id, toHealth(r)]));
  }
}

function toHealth(r: HealthRow): CampaignHealthModel {
  const pings = Number(r.pings);
  return {
    pings: Math.min(pings, INT_MAX),
    onTimeRate: pings > 0 ? Number(r.on_time) / pings : null,
    consecutiveFailures: r.consecutive_failures,
    lastFailureAt: r.last_failure_at,
    lastFailureReason: r.last_failure_reason,
  };
}
