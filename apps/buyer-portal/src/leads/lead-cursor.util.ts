import { DomainException } from '@leadex/contracts';
import { isUuid } from '../common/uuid.util';

/** Where a page ends: the sale's sold_at to the microsecond (as PostgreSQL prints it in UTC) and its id. */
export interface LeadCursor {
  soldAt: string;
  saleId: string;
}

const SOLD_AT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Opaque to clients: base64url of `<sold_at>|<sale id>`. */
export function encodeLeadCursor(c: LeadCursor): string {
  return Buffer.from(`${c.soldAt}|${c.saleId}`, 'utf8').toString('base64url');
}

export function decodeLeadCursor(cursor: string): LeadCursor {
  const [soldAt, saleId, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length || !SOLD_AT_RE.test(soldAt ?? '') || !isUuid(saleId) || Number.isNaN(Date.parse(soldAt))) {
    throw DomainException.validation([{ field: 'after', message: 'is not a cursor from this connection' }]);
  }
  return { soldAt, saleId };
}
