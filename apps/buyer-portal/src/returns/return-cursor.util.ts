import { DomainException } from '@leadex/contracts';
import { isUuid } from '../common/uuid.util';

/** Where a page of returns ends: requested_at to the microsecond (UTC, as PostgreSQL prints it) and the return's id. */
export interface ReturnCursor {
  requestedAt: string;
  id: string;
}

const AT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Opaque to clients: base64url of `<requested_at>|<id>`. */
export function encodeReturnCursor(c: ReturnCursor): string {
  return Buffer.from(`${c.requestedAt}|${c.id}`, 'utf8').toString('base64url');
}

export function decodeReturnCursor(cursor: string): ReturnCursor {
  const [requestedAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length || !AT_RE.test(requestedAt ?? '') || !isUuid(id) || Number.isNaN(Date.parse(requestedAt))) {
    throw DomainException.validation([{ field: 'after', message: 'is not a cursor from this connection' }]);
  }
  return { requestedAt, id };
}
