import { randomUUID } from 'crypto';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainException, ErrorCode, HTTP_STATUS_BY_CODE } from '@leadex/contracts';
import { CODE_BY_HTTP_STATUS } from './graphql-error.formatter';

/**
 * REST errors of the portal (health, exports): DomainException codes to their contract statuses,
 * anything unknown to a 500 with an errorId. GraphQL errors pass through to the GraphQL formatter.
 */
@Catch()
export class PortalExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('PortalExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') return exception; // GraphQL: formatGraphQLError handles it
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof DomainException) {
      for (const [k, v] of Object.entries(exception.headers)) res.setHeader(k, v);
      return res.status(HTTP_STATUS_BY_CODE[exception.code]).json({
        error: exception.code,
        message: exception.message,
        ...(exception.errors.length ? { errors: exception.errors } : {}),
      });
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      return res.status(status).json({ error: CODE_BY_HTTP_STATUS[status] ?? ErrorCode.ValidationFailed, message: exception.message });
    }
    const errorId = randomUUID();
    this.logger.error({ errorId, err: exception }, `Unhandled error ${errorId}`);
    return res.status(500).json({ error: ErrorCode.Internal, message: 'Internal server error', errorId });
  }
}
