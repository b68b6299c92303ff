import { Module } from '@nestjs/common';
import { BuyerUrlGuard } from '@leadex/buyer-protocol';
import { CampaignHealthService } from './campaign-health.service';
import { CampaignsResolver } from './campaigns.resolver';
import { CampaignsService } from './campaigns.service';

/** BuyerUrlGuard is the exchange's own SSRF guard (from @leadex/buyer-protocol), so both apps refuse the same URLs. */
@Module({ providers: [CampaignsService, CampaignHealthService, CampaignsResolver, BuyerUrlGuard], exports: [CampaignsService] })
export class CampaignsModule {}
