import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/current-user.decorator';
import { decodeLeadCursor, encodeLeadCursor } from '../leads/lead-cursor.util';
import { LeadsService } from '../leads/leads.service';
import { BillingExportService } from './billing-export.service';
import { BillingConnection } from './billing.output';

@Resolver()
export class BillingResolver {
  constructor(
    private readonly exports: BillingExportService,
    private readonly leads: LeadsService,
  ) {}

  @Query(() => BillingConnection, {
    description:
      'The billing export paged: one edge per billed sale (SOLD or RETURNED) sold from `from` to `to` (YYYY-MM-DD, UTC, inclusive), ' +
      'oldest first, keyset-paged. ADMIN, FINANCE: every buyer (or `buyerId`); BUYER: its own purchases. ' +
      '`first` defaults to 20, clamped to LEADS_PAGE_MAX.',
  })
  async billing(
    @CurrentUser() user: AuthUser,
    @Args('from') from: string,
    @Args('to') to: string,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('buyerId', { type: () => ID, nullable: true }) buyerId: string | null,
  ): Promise<BillingConnection> {
    const range = this.exports.range(from, to);
    const scope = this.exports.scope(user, buyerId);
    const limit = this.leads.pageSize(first);
    const rows = limit ? await this.exports.page(range, scope, limit + 1, after ? decodeLeadCursor(after) : null) : [];
    const edges = rows.slice(0, limit).map((r) => ({
      cursor: encodeLeadCursor({ soldAt: r.cursor_at, saleId: r.sale_id }),
      node: {
        leadId: r.lead_id!, saleId: r.sale_id, soldAt: r.sold_at!, vertical: r.vertical!, supplierId: r.supplier_id!,
        supplierName: r.supplier_name!, subId: r.sub_id, buyerId: r.buyer_id!, buyerName: r.buyer_name!,
        campaignId: r.campaign_id!, campaignName: r.campaign_name!, price: r.price!, payout: r.payout!, margin: r.margin!,
        status: r.status!, returnedAt: r.returned_at, returnReason: r.return_reason,
      },
    }));
    return { edges, pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.length ? edges[edges.length - 1].cursor : null } };
  }
}
