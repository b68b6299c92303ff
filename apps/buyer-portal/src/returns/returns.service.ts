import { randomUUID } from 'crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LeadexConfig } from '@leadex/config';
import { DomainException, ErrorCode, Role } from '@leadex/contracts';
import { AuthUser } from '../auth/auth.types';
import { isUuid } from '../common/uuid.util';
import { LeadReturnConnection, LeadReturnModel, LeadReturnRow, ReturnReason, ReturnStatus, toLeadReturnModel } from './lead-return.output';
import { moneyDomainError } from './money-db-errors.util';
import { decodeReturnCursor, encodeReturnCursor } from './return-cursor.util';

export const DEFAULT_RETURNS_PAGE = 20;
const NOTE_MAX = 1000;

/**
 * Returns: a BUYER asks to give back a lead it bought, an ADMIN decides. The rules (own purchase, the
 * vertical's window, one live return per sale, the return rate, auto-approval) and the money (a RETURN
 * ledger transaction reversing the sale, the buyer refunded, the sale RETURNED) live in the PL/pgSQL
 * functions of migration 800, so a refund is one transaction and the constraints back every rule.
 */
@Injectable()
export class ReturnsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: LeadexConfig,
  ) {}

  async request(user: AuthUser, leadId: string, reason: ReturnReason, note: string | null | undefined): Promise<LeadReturnModel> {
    if (user.role !== Role.BUYER || !user.buyerId) throw new DomainException(ErrorCode.Forbidden, 'Only a BUYER user can return a lead it bought');
    checkNote('note', note);
    if (!isUuid(leadId)) throw new DomainException(ErrorCode.NotFound, `Lead ${leadId} not found`);
    const id = randomUUID();
    try {
      await this.dataSource.query(`SELECT leadex_request_return($1, $2, $3, $4, $5, $6, $7)`, [
        id, leadId, user.buyerId, reason, note ?? null, this.config.RETURN_RATE_MAX_PERCENT ?? null, this.config.RETURN_RATE_WINDOW_DAYS,
      ]);
    } catch (e) {
      moneyDomainError(e, { field: 'leadId', id: leadId });
    }
    return (await this.byId(id))!;
  }

  /** ADMIN: approve (the sale is reversed and the buyer refunded) or reject a PENDING return. */
  async decide(user: AuthUser, id: string, approve: boolean, note: string | null | undefined): Promise<LeadReturnModel> {
    checkNote('note', note);
    if (!isUuid(id)) throw new DomainException(ErrorCode.NotFound, `Return ${id} not found`);
    try {
      await this.dataSource.query(`SELECT ${approve ? 'leadex_approve_return' : 'leadex_reject_return'}($1, $2, $3)`, [id, user.id, note ?? null]);
    } catch (e) {
      moneyDomainError(e, { field: 'id', id });
    }
    return (await this.byId(id))!;
  }

  /** One return; a BUYER sees only its own buyer's (null otherwise, as for an unknown id). */
  async findVisible(user: AuthUser, id: string): Promise<LeadReturnModel | null> {
    if (!isUuid(id)) return null;
    const found = await this.byId(id);
    return found && (user.role !== Role.BUYER || found.buyerId === user.buyerId) ? found : null;
  }

  /** Newest first, keyset-paged on (requested_at, id); a BUYER sees its own buyer's only. */
  async list(user: AuthUser, status: ReturnStatus | null | undefined, first: number | null | undefined, after: string | null | undefined): Promise<LeadReturnConnection> {
    if (first != null && first < 0) throw DomainException.validation([{ field: 'first', message: 'must be 0 or more' }]);
    const limit = Math.min(first ?? DEFAULT_RETURNS_PAGE, this.config.LEADS_PAGE_MAX);
    const cursor = after ? decodeReturnCursor(after) : null;
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    const where: string[] = ['true'];
    if (user.role === Role.BUYER) where.push(`r.buyer_id = ${p(user.buyerId)}`);
    if (status) where.push(`r.status = ${p(status)}`);
    const countParams = [...params];
    const countSql = `SELECT count(*)::int AS count FROM lead_returns r WHERE ${where.join(' AND ')}`;
    if (cursor) where.push(`(r.requested_at, r.id) < (${p(cursor.requestedAt)}::timestamptz, ${p(cursor.id)}::uuid)`);
    const [rows, [{ count }]] = await Promise.all([
      limit === 0
        ? Promise.resolve([] as (LeadReturnRow & { at_key: string })[])
        : (this.dataSource.query(
            `SELECT r.*, to_char(r.requested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key
               FROM lead_returns r WHERE ${where.join(' AND ')}
              ORDER BY r.requested_at DESC, r.id DESC LIMIT ${p(limit + 1)}`,
            params,
          ) as Promise<(LeadReturnRow & { at_key: string })[]>),
      this.dataSource.query(countSql, countParams) as Promise<{ count: number }[]>,
    ]);
    const edges = rows.slice(0, limit).map((r) => ({ cursor: encodeReturnCursor({ requestedAt: r.at_key, id: r.id }), node: toLeadReturnModel(r) }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > limit, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
      totalCount: count,
    };
  }

  private async byId(id: string): Promise<LeadReturnModel | null> {
    const rows: LeadReturnRow[] = await this.dataSource.query(`SELECT * FROM lead_returns WHERE id = $1`, [id]);
    return rows[0] ? toLeadReturnModel(rows[0]) : null;
  }
}

function checkNote(field: string, note: string | null | undefined): void {
  if (note != null && note.length > NOTE_MAX) throw DomainException.validation([{ field, message: `must be at most ${NOTE_MAX} characters` }]);
}
