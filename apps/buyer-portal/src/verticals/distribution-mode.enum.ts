import { registerEnumType } from '@nestjs/graphql';

/** How a vertical's leads are routed among the eligible campaigns (the verticals.distribution_mode CHECK). */
export enum DistributionMode {
  AUCTION = 'AUCTION',
  PRIORITY = 'PRIORITY',
  ROUND_ROBIN = 'ROUND_ROBIN',
  WEIGHTED = 'WEIGHTED',
}

registerEnumType(DistributionMode, {
  name: 'DistributionMode',
  description: 'How leads are routed among eligible campaigns at or above the floor.',
  valuesMap: {
    AUCTION: { description: 'Best price; ties to the campaign that least recently won, then higher priority.' },
    PRIORITY: { description: 'A waterfall by campaign priority (highest first), then price.' },
    ROUND_ROBIN: { description: 'The campaign that least recently won goes first.' },
    WEIGHTED: { description: 'A random order drawn in proportion to campaign weights.' },
  },
});
