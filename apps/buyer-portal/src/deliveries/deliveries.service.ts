import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainException, ErrorCode, Role } from '@leadex/contracts';
import { AuthUser } from '../auth/auth.types';
import { isUuid } from '../common/uuid.util';
import { DeliveryAttemptModel, DeliveryModel, DeliveryStatus } from './delivery.output';

const COLUMNS = `d.id, d.lead_id, d.campaign_id, d.kind, d.event, d.method, d.status, d.attempts, d.next_attempt_at,
                 d.created_at, d.delivered_at, d.failed_at, d.last_error`;

function toModel(r: any): DeliveryModel {
  return {
    id: r.id, leadId: r.lead_id, campaignId: r.campaign_id, kind: r.kind, event: r.event, method: r.method,
    status: r.status, attempts: r.attempts, nextAttemptAt: r.status === DeliveryStatus.PENDING ? r.next_attempt_at : null,
    createdAt: r.created_at, deliveredAt: r.delivered_at, failedAt: r.failed_at, lastError: r.last_error,
  };
}

/**
 * Deliveries as buyers and operators see them. A BUYER sees its own leads' deliveries; ADMIN and
 * FINANCE every delivery, supplier postbacks included. `redeliver` puts a lead's delivery back on the
 * outbox with a fresh retry window; the worker's relay picks it up (Redis need not be up).
 */
@Injectable()
export class DeliveriesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private buyerScope(user: AuthUser): string | null {
    return user.role === Role.BUYER ? user.buyerId : null;
  }

  /** Each lead's delivery to the caller's buyer (to the first buyer for operators). */
  async forLeads(user: AuthUser, leadIds: string[]): Promise<Map<string, DeliveryModel>> {
    const rows = await this.dataSource.query(
      `SELECT DISTINCT ON (d.lead_id) ${COLUMNS} FROM deliveries d
        WHERE d.lead_id = ANY($1::uuid[]) AND d.kind = 'LEAD' AND ($2::uuid IS NULL OR d.buyer_id = $2)
        ORDER BY d.lead_id, d.created_at, d.id`,
      [leadIds, this.buyerScope(user)],
    );
    return new Map(rows.map((r: any) => [r.lead_id, toModel(r)]));
  }

  async list(user: AuthUser, status: DeliveryStatus | null, first: number): Promise<DeliveryModel[]> {
    const rows = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM deliveries d
        WHERE ($1::text IS NULL OR d.status = $1) AND ($2::uuid IS NULL OR (d.buyer_id = $2 AND d.kind = 'LEAD'))
        ORDER BY d.created_at DESC, d.id DESC LIMIT $3`,
      [status, this.buyerScope(user), first],
    );
    return rows.map(toModel);
  }

  async attempts(deliveryIds: string[]): Promise<Map<string, DeliveryAttemptModel[]>> {
    const rows = await this.dataSource.query(
      `SELECT delivery_id, attempt, started_at, latency_ms, outcome, status_code, response_snippet, error
         FROM delivery_attempts WHERE delivery_id = ANY($1::uuid[]) ORDER BY delivery_id, id`,
      [deliveryIds],
    );
    const out = new Map<string, DeliveryAttemptModel[]>();
    for (const r of rows) {
      const list = out.get(r.delivery_id) ?? [];
      list.push({ attempt: r.attempt, startedAt: r.started_at, latencyMs: r.latency_ms, outcome: r.outcome, statusCode: r.status_code, responseSnippet: r.response_snippet, error: r.error });
      out.set(r.delivery_id, list);
    }
    return out;
  }

  /**
   * Tries a sold lead's delivery again, whatever its state, with a new retry window. A sale made
   * while its campaign delivered by NONE gets a delivery by the campaign's current method.
   */
  async redeliver(user: AuthUser, leadId: string): Promise<boolean> {
    if (!isUuid(leadId)) throw new DomainException(ErrorCode.NotFound, `Lead ${leadId} not found`);
    const buyer = this.buyerScope(user);
    return this.dataSource.transaction(async (m) => {
      const sales: { id: string; method: string }[] = await m.query(
        `SELECT s.id, c.delivery->>'method' AS method FROM sales s JOIN campaigns c ON c.id = s.campaign_id
          WHERE s.lead_id = $1 AND s.status IN ('SOLD', 'RETURNED') AND ($2::uuid IS NULL OR s.buyer_id = $2)`,
        [leadId, buyer],
      );
      if (!sales.length) throw new DomainException(ErrorCode.NotFound, `Lead ${leadId} not found`);
      const saleIds = sales.map((s) => s.id);
      const [, reset] = await m.query(
        `UPDATE deliveries SET status = 'PENDING', next_attempt_at = now(), window_started_at = now(),
                delivered_at = NULL, failed_at = NULL
          WHERE sale_id = ANY($1::uuid[]) AND kind = 'LEAD'`,
        [saleIds],
      );
      if (reset > 0) return true;
      const [, created] = await m.query(
        `INSERT INTO deliveries (kind, event, sale_id, lead_id, buyer_id, supplier_id, campaign_id, method, target)
         SELECT 'LEAD', 'sold', s.id, s.lead_id, s.buyer_id, s.supplier_id, s.campaign_id, c.delivery->>'method', c.delivery
           FROM sales s JOIN campaigns c ON c.id = s.campaign_id
          WHERE s.id = ANY($1::uuid[]) AND c.delivery->>'method' <> 'NONE'`,
        [saleIds],
      );
      if (created > 0) return true;
      throw DomainException.validation([
        { field: 'leadId', message: 'the campaign that bought this lead delivers by NONE (take it from the portal or API); set a delivery method first' },
      ]);
    });
  }
}
