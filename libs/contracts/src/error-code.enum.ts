/** Domain error codes; each app maps them to its transport (REST status, GraphQL extension). */
export enum ErrorCode {
  ValidationFailed = 'validation_failed',
  Unauthorized = 'unauthorized',
  Forbidden = 'forbidden',
  NotFound = 'not_found',
  IdempotencyInProgress = 'idempotency_in_progress',
  IdempotencyMismatch = 'idempotency_mismatch',
  PayloadTooLarge = 'payload_too_large',
  RateLimited = 'rate_limited',
  Unavailable = 'unavailable',
  Conflict = 'conflict',
  /** A return asked after the vertical's return window closed. */
  ReturnWindowClosed = 'return_window_closed',
  /** A return that would put the buyer over its maximum return rate. */
  ReturnRateExceeded = 'return_rate_exceeded',
  Internal = 'internal_error',
}

/** HTTP status for each code, per the public contract. */
export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.IdempotencyInProgress]: 409,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.ReturnWindowClosed]: 422,
  [ErrorCode.ReturnRateExceeded]: 422,
  [ErrorCode.IdempotencyMismatch]: 422,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.Unavailable]: 503,
  [ErrorCode.Internal]: 500,
};
