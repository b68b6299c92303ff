import { Module } from '@nestjs/common';
import { BuyerBiddingService } from './buyer-bidding.service';
import { BuyerHttpClient } from './buyer-http.client';
import { BuyerUrlGuard } from '@leadex/buyer-protocol';

/**
 * Calls to buyers' own endpoints: live pings, posts of sold leads, and the SSRF guard on their URLs.
 * Needs the global LeadexConfigModule.
 */
@Module({
  providers: [BuyerUrlGuard, BuyerHttpClient, BuyerBiddingService],
  exports: [BuyerBiddingService, BuyerUrlGuard, BuyerHttpClient],
})
export class BuyersModule {}
