import { randomUUID } from 'crypto';
import { HttpException, Logger } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { DomainException, ErrorCode, FieldError } from '@leadex/contracts';

const logger = new Logger('GraphQL');

/** Nest's own HTTP exceptions (rare: a framework guard or pipe), mapped to the domain codes. */
export const CODE_BY_HTTP_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  429: ErrorCode.RateLimited,
};

/** Apollo's own codes for a request that never reached a resolver: all of them are the client's mistake. */
const CLIENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'BAD_REQUEST',
]);

/**
 * The field a GraphQL coercion error points at: `Variable "$input" got invalid value "12.345" at "input.bid"; ...`
 * names `input.bid`; an inline argument error names the argument.
 */
function fieldOfCoercionError(message: string): string | undefined {
  const at = /got invalid value .*? at "([^"]+)"/.exec(message);
  if (at) return at[1];
  const variable = /^Variable "\$([^"]+)"/.exec(message);
  if (variable) return variable[1];
  const argument = /Argument "([^"]+)"/.exec(message);
  return argument?.[1];
}

function withoutLocations(f: GraphQLFormattedError): Pick<GraphQLFormattedError, 'message' | 'locations' | 'path'> {
  return { message: f.message, ...(f.locations ? { locations: f.locations } : {}), ...(f.path ? { path: f.path } : {}) };
}

/**
 * The one GraphQL error mapping: DomainException codes become `extensions.code` (`validation_failed`,
 * `unauthorized`, `forbidden`, `not_found`, `conflict`...) with `extensions.errors` listing every bad field;
 * GraphQL parse/validation/coercion errors are `validation_failed`; anything else is logged with an
 * `errorId` and answered "Internal server error". No stack trace or internal message ever leaves.
 */
export function formatGraphQLError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const base = withoutLocations(formatted);
  const cause = unwrapResolverError(error);

  if (cause instanceof DomainException) {
    return {
      ...base,
      message: cause.message,
      extensions: { code: cause.code, ...(cause.errors.length ? { errors: cause.errors } : {}) },
    };
  }
  if (cause instanceof HttpException) {
    const code = CODE_BY_HTTP_STATUS[cause.getStatus()];
    if (code) return { ...base, message: cause.message, extensions: { code } };
  }

  const apolloCode = formatted.extensions?.code;
  const isRequestError = error instanceof GraphQLError && !(error.originalError && !(error.originalError instanceof GraphQLError));
  if (typeof apolloCode === 'string' && CLIENT_ERROR_CODES.has(apolloCode) && isRequestError) {
    const field = apolloCode === 'BAD_USER_INPUT' ? fieldOfCoercionError(formatted.message) : undefined;
    // "Variable "$input" got invalid value "12.345" at "input.bid"; <why>": the field carries the why.
    const why = (/ at "[^"]+"; (.*)$/s.exec(formatted.message) ?? /got invalid value .*?; (.*)$/s.exec(formatted.message))?.[1] ?? formatted.message;
    const errors: FieldError[] | undefined = field ? [{ field, message: why }] : undefined;
    const reason = formatted.extensions?.reason;
    return {
      ...base,
      extensions: {
        code: ErrorCode.ValidationFailed,
        ...(errors ? { errors } : {}),
        ...(typeof reason === 'string' ? { reason } : {}),
      },
    };
  }

  const errorId = randomUUID();
  const logged = cause instanceof Error ? cause : new Error(String(formatted.message));
  logger.error({ errorId, err: logged, path: formatted.path }, `Unhandled GraphQL error ${errorId}: ${logged.message}`);
  return { ...base, message: 'Internal server error', extensions: { code: ErrorCode.Internal, errorId } };
}
