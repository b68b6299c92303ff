import { InitialSchema1763800000000 } from '../../../migrations/1763800000000-initial-schema';
import { BuiltInVerticals1763800000100 } from '../../../migrations/1763800000100-built-in-verticals';
import { SaleFunctions1763800000200 } from '../../../migrations/1763800000200-sale-functions';
import { LivePingPost1763800000300 } from '../../../migrations/1763800000300-live-ping-post';
import { OnePhaseSaleAndKeyLookups1763800000400 } from '../../../migrations/1763800000400-one-phase-sale-and-key-lookups';
import { RoutingFloorsAndBuyerHealth1763800000500 } from '../../../migrations/1763800000500-routing-floors-and-buyer-health';
import { LeadTimelineFunction1763800000600 } from '../../../migrations/1763800000600-lead-timeline-function';
import { DeliveryOutboxNotificationsDispositions1763800000700 } from '../../../migrations/1763800000700-delivery-outbox-notifications-dispositions';
import { ReturnsDepositsAndReconciliation1763800000800 } from '../../../migrations/1763800000800-returns-deposits-and-reconciliation';
import { ReportRollups1763800000900 } from '../../../migrations/1763800000900-report-rollups';
import { BuyerSettingsAndAdjustments1763800001000 } from '../../../migrations/1763800001000-buyer-settings-and-adjustments';

/** Every migration in order; listed explicitly so the same list runs from TypeScript and from dist. */
export const MIGRATIONS = [
  InitialSchema1763800000000,
  BuiltInVerticals1763800000100,
  SaleFunctions1763800000200,
  LivePingPost1763800000300,
  OnePhaseSaleAndKeyLookups1763800000400,
  RoutingFloorsAndBuyerHealth1763800000500,
  LeadTimelineFunction1763800000600,
  DeliveryOutboxNotificationsDispositions1763800000700,
  ReturnsDepositsAndReconciliation1763800000800,
  ReportRollups1763800000900,
  BuyerSettingsAndAdjustments1763800001000,
];
