import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Decimal from 'decimal.js';
import { DataSource, In } from 'typeorm';
import { LeadexConfig } from '@leadex/config';
import { DomainException, Role } from '@leadex/contracts';
import { CampaignEntity } from '@leadex/persistence';
import { AuthUser } from '../auth/auth.types';
import { CampaignModel, toCampaignModel } from '../campaigns/campaign.output';
import { isUuid } from '../common/uuid.util';
import { decodeLeadCursor, encodeLeadCursor } from './lead-cursor.util';
import { LeadFilter } from './lead-filter.input';
import { LeadConnection, LeadModel } from './lead.output';

export const DEFAULT_LEADS_PAGE = 20;

interface SaleRow {
  sale_id: string;
  campaign_id: string;
  price: string;
  sold_at: Date;
  sold_at_key: string;
  lead_id: string;
  vertical_key: string;
  status: string;
  fields: Record<string, unknown>;
  consent: Record<string, unknown> | null;
  ping_id: string | null;
}

/** A lead with the sale that stands for it (null when an ADMIN or FINANCE reads an unsold lead). */
interface LeadRow {
  lead_id: string;
  vertical_key: string;
  status: string;
  fields: Record<string, unknown>;
  consent: Record<string, unknown> | null;
  ping_id: string | null;
  campaign_id: string | null;
  price: string | null;
  sold_at: Date | null;
}

/**
 * A sale still PENDING is a hold while the buyer's post endpoint decides: the buyer has not bought the
 * lead (it may refuse, and the hold is then undone), so it is not shown as bought.
 */
const BOUGHT = `s.status <> 'PENDING'`;

/**
 * Bought leads, one edge per sale, newest first. Keyset pagination on (sold_at, sale id), which for a
 * buyer walks the sales_buyer_sold_idx index; a BUYER sees only its own buyer's purchases.
 */
@Injectable()
export class LeadsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: LeadexConfig,
  ) {}

  /** The page size asked for, clamped to LEADS_PAGE_MAX. */
  pageSize(first: number | null | undefined): number {
    if (first === null || first === undefined) return Math.min(DEFAULT_LEADS_PAGE, this.config.LEADS_PAGE_MAX);
    if (first < 0) throw DomainException.validation([{ field: 'first', message: 'must be 0 or more' }]);
    return Math.min(first, this.config.LEADS_PAGE_MAX);
  }

  async bought(user: AuthUser, filter: LeadFilter | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<LeadConnection> {
    const limit = this.pageSize(first);
    const cursor = after ? decodeLeadCursor(after) : null;

    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    const where: string[] = [BOUGHT];
    if (user.role === Role.BUYER) where.push(`s.buyer_id = ${p(user.buyerId)}`);
    if (filter?.campaignId) where.push(`s.campaign_id = ${p(filter.campaignId)}`);
    if (filter?.from) where.push(`s.sold_at >= ${p(filter.from)}`);
    if (filter?.to) where.push(`s.sold_at < ${p(filter.to)}`);
    const filtered = `WHERE ${where.join(' AND ')}`;
    const countParams = [...params];
    const paged = [...where, ...(cursor ? [`(s.sold_at, s.id) < (${p(cursor.soldAt)}::timestamptz, ${p(cursor.saleId)}::uuid)`] : [])];

    const [rows, [{ count }]] = await Promise.all([
      limit === 0
        ? Promise.resolve([] as SaleRow[])
        : (this.dataSource.query(
            `SELECT s.id AS sale_id, s.campaign_id, s.price, s.sold_at,
                    to_char(s.sold_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sold_at_key,
                    l.id AS lead_id, l.vertical_key, l.fields, l.consent, l.ping_id,
                    CASE WHEN s.status = 'RETURNED' THEN 'returned' ELSE l.status END AS status
               FROM sales s JOIN leads l ON l.id = s.lead_id
              WHERE ${paged.join(' AND ')}
              ORDER BY s.sold_at DESC, s.id DESC
              LIMIT ${p(limit + 1)}`,
            params,
          ) as Promise<SaleRow[]>),
      this.dataSource.query(`SELECT count(*)::int AS count FROM sales s ${filtered}`, countParams) as Promise<{ count: number }[]>,
    ]);

    const page = rows.slice(0, limit);
    const campaigns = await this.campaignsById(page.map((r) => r.campaign_id));
    const edges = page.map((r) => ({
      cursor: encodeLeadCursor({ soldAt: r.sold_at_key, saleId: r.sale_id }),
      node: {
        id: r.lead_id,
        vertical: r.vertical_key,
        status: r.status,
        price: new Decimal(r.price),
        soldAt: r.sold_at,
        campaign: campaigns.get(r.campaign_id) ?? null,
        fields: r.fields,
        consent: r.consent,
        pingId: r.ping_id,
      },
    }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
      totalCount: count,
    };
  }

  /**
   * One lead. A BUYER gets it only when its buyer bought it (with what it paid); ADMIN and FINANCE get any
   * lead, with its first sale's price and campaign when several buyers bought it. null otherwise.
   */
  async findVisible(user: AuthUser, id: string): Promise<LeadModel | null> {
    if (!isUuid(id)) return null;
    const sale =
      user.role === Role.BUYER
        ? `JOIN LATERAL (SELECT * FROM sales s WHERE s.lead_id = l.id AND s.buyer_id = $2 AND ${BOUGHT}) s ON true`
        : `LEFT JOIN LATERAL (SELECT * FROM sales s WHERE s.lead_id = l.id AND ${BOUGHT} ORDER BY s.sold_at, s.id LIMIT 1) s ON true`;
    const rows: LeadRow[] = await this.dataSource.query(
      `SELECT l.id AS lead_id, l.vertical_key, l.fields, l.consent, l.ping_id,
              s.campaign_id, s.price, s.sold_at,
              CASE WHEN s.status = 'RETURNED' THEN 'returned' ELSE l.status END AS status
         FROM leads l ${sale}
        WHERE l.id = $1`,
      user.role === Role.BUYER ? [id, user.buyerId] : [id],
    );
    const r = rows[0];
    if (!r) return null;
    const campaigns = await this.campaignsById(r.campaign_id ? [r.campaign_id] : []);
    return {
      id: r.lead_id,
      vertical: r.vertical_key,
      status: r.status,
      price: r.price === null ? null : new Decimal(r.price),
      soldAt: r.sold_at,
      campaign: (r.campaign_id && campaigns.get(r.campaign_id)) || null,
      fields: r.fields,
      consent: r.consent,
      pingId: r.ping_id,
    };
  }

  private async campaignsById(ids: string[]): Promise<Map<string, CampaignModel>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await this.dataSource.getRepository(CampaignEntity).findBy({ id: In(unique) });
    return new Map(rows.map((c) => [c.id, toCampaignModel(c)]));
  }
}
