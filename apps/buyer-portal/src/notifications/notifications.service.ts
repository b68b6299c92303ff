import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainException, ErrorCode, Role } from '@leadex/contracts';
import { AuthUser } from '../auth/auth.types';
import { isEmailAddress } from '../common/email.util';
import { isUuid } from '../common/uuid.util';
import { NotificationModel } from './notification.output';

/**
 * Notifications are written where things happen (cap counters, the delivery worker, campaign health,
 * the ledger); here they are read and marked read. A BUYER sees its buyer's; ADMIN and FINANCE all,
 * the operators' own (no buyer) included.
 */
@Injectable()
export class NotificationsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private scope(user: AuthUser): string | null {
    return user.role === Role.BUYER ? user.buyerId : null;
  }

  async list(user: AuthUser, unreadOnly: boolean, first: number): Promise<NotificationModel[]> {
    const rows = await this.dataSource.query(
      `SELECT id::text, buyer_id, kind, message, data, created_at, read_at FROM notifications
        WHERE ($1::uuid IS NULL OR buyer_id = $1) AND (NOT $2 OR read_at IS NULL)
        ORDER BY id DESC LIMIT $3`,
      [this.scope(user), unreadOnly, first],
    );
    return rows.map((r: any) => ({ id: r.id, buyerId: r.buyer_id, kind: r.kind, message: r.message, data: r.data, createdAt: r.created_at, readAt: r.read_at }));
  }

  /** Where a buyer's notifications are emailed (null: portal only). BUYER: its own buyer; ADMIN: any. */
  async setEmail(user: AuthUser, buyerId: string, email: string | null): Promise<string | null> {
    const address = email?.trim().toLowerCase() || null;
    if (address !== null && !isEmailAddress(address)) {
      throw DomainException.validation([{ field: 'email', message: `"${email}" is not an email address` }]);
    }
    const visible = isUuid(buyerId) && (user.role === Role.ADMIN || (user.role === Role.BUYER && user.buyerId === buyerId));
    const [, changed] = visible ? await this.dataSource.query('UPDATE buyers SET notify_email = $2 WHERE id = $1', [buyerId, address]) : [null, 0];
    if (!changed) throw new DomainException(ErrorCode.NotFound, `Buyer ${buyerId} not found`);
    return address;
  }

  /**
   * Marks the caller's notifications read; returns how many changed. Unknown or others' ids are
   * ignored: a BUYER marks its own, operators the operators' (no buyer) — an operator reading a
   * buyer's notices must not hide them from the buyer.
   */
  async markRead(user: AuthUser, ids: string[]): Promise<number> {
    const bad = ids.filter((id) => !/^\d{1,18}$/.test(id));
    if (bad.length) throw DomainException.validation(bad.map((id) => ({ field: 'ids', message: `${JSON.stringify(id)} is not a notification id` })));
    const buyer = this.scope(user);
    if (buyer !== null && !isUuid(buyer)) return 0;
    const [, changed] = await this.dataSource.query(
      `UPDATE notifications SET read_at = now()
        WHERE id = ANY($1::bigint[]) AND read_at IS NULL AND buyer_id IS NOT DISTINCT FROM $2::uuid`,
      [ids, buyer],
    );
    return changed;
  }
}
