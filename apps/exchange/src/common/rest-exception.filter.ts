import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { DomainException, ErrorCode, FieldError, HTTP_STATUS_BY_CODE } from '@leadex/contracts';
import { isDatabaseUnavailable } from '@leadex/persistence';

export interface RejectionBody {
  status: 'rejected';
  error: string;
  message: string;
  errors: FieldError[];
  errorId?: string;
}

const CODE_BY_HTTP_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.ValidationFailed,
  429: ErrorCode.RateLimited,
};

/**
 * Maps anything thrown to the contract's rejection body: domain codes to their statuses,
 * framework errors (malformed JSON, too-large bodies, unknown routes) to the nearest code,
 * a lost database to 503, and the rest to 500 with an errorId — never a stack trace.
 */
export function toRejection(err: unknown, log: Logger): { status: number; body: RejectionBody; headers: Record<string, string> } {
  if (err instanceof DomainException) {
    return {
      status: HTTP_STATUS_BY_CODE[err.code],
      body: { status: 'rejected', error: err.code, message: err.message, errors: err.errors },
      headers: err.headers,
    };
  }
  const e = err as any;
  const statusCode: number | undefined = err instanceof HttpException ? err.getStatus() : e?.statusCode;
  if (statusCode && statusCode >= 400 && statusCode < 500) {
    const code = CODE_BY_HTTP_STATUS[statusCode] ?? ErrorCode.ValidationFailed;
    const message = fastifyMessage(e, statusCode);
    return { status: HTTP_STATUS_BY_CODE[code] ?? statusCode, body: { status: 'rejected', error: code, message, errors: [] }, headers: {} };
  }
  if (isDatabaseUnavailable(err)) {
    log.error(`database unavailable: ${e?.message}`);
    return {
      status: 503,
      body: { status: 'rejected', error: ErrorCode.Unavailable, message: 'The exchange database is unavailable; nothing was accepted. Retry later.', errors: [] },
      headers: { 'Retry-After': '5' },
    };
  }
  const errorId = randomUUID();
  log.error({ errorId, err: e }, `unhandled error ${errorId}: ${e?.message}`);
  return {
    status: 500,
    body: { status: 'rejected', error: ErrorCode.Internal, message: 'Internal error; quote the errorId to support.', errors: [], errorId },
    headers: {},
  };
}

function fastifyMessage(e: any, status: number): string {
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is larger than the limit';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Send the body as application/json';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty; send a JSON object';
  }
  if (e instanceof SyntaxError || e?.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return `Malformed JSON: ${e.message}`;
  if (status === 404) return e?.message?.startsWith('Cannot') ? 'No such endpoint' : (e?.message ?? 'Not found');
  return String(e?.response?.message ?? e?.message ?? 'Bad request');
}

@Catch()
export class RestExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('RestExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse();
    const { status, body, headers } = toRejection(exception, this.log);
    for (const [k, v] of Object.entries(headers)) reply.header(k, v);
    reply.status(status).send(body);
  }
}
