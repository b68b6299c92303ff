import { Logger } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { DomainException, ErrorCode } from '@leadex/contracts';
import { formatGraphQLError } from './graphql-error.formatter';

/** What Apollo hands the formatter for an error thrown in a resolver. */
function fromResolver(cause: Error) {
  const error = new GraphQLError(cause.message, { path: ['campaign'], originalError: cause });
  return { formatted: { ...error.toJSON(), extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['at x'] } }, error };
}

describe('formatGraphQLError', () => {
  it('maps a DomainException to its code and field errors', () => {
    const { formatted, error } = fromResolver(DomainException.validation([{ field: 'input.bid', message: 'is required' }]));
    expect(formatGraphQLError(formatted, error)).toEqual({
      message: 'input.bid: is required',
      path: ['campaign'],
      extensions: { code: 'validation_failed', errors: [{ field: 'input.bid', message: 'is required' }] },
    });
    const nf = fromResolver(new DomainException(ErrorCode.NotFound, 'Campaign x not found'));
    expect(formatGraphQLError(nf.formatted, nf.error).extensions).toEqual({ code: 'not_found' });
  });

  it('hides an unknown error behind an errorId and logs the cause', () => {
    const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { formatted, error } = fromResolver(new Error('relation "secret_table" does not exist'));
    const out = formatGraphQLError(formatted, error);
    expect(out.message).toBe('Internal server error');
    expect(out.extensions).toEqual({ code: 'internal_error', errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(JSON.stringify(out)).not.toContain('secret_table');
    expect(JSON.stringify(out)).not.toContain('stacktrace');
    expect(spy).toHaveBeenCalledWith(expect.objectContaining({ errorId: out.extensions!.errorId }), expect.stringContaining('secret_table'));
    spy.mockRestore();
  });

  it('turns a variable coercion error into validation_failed naming the field', () => {
    const inner = new GraphQLError('invalid money value "12.345": at most 2 decimal places');
    const error = new GraphQLError('Variable "$input" got invalid value "12.345" at "input.bid"; invalid money value "12.345": at most 2 decimal places', {
      originalError: inner,
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(formatGraphQLError({ message: error.message, extensions: { code: 'BAD_USER_INPUT' } }, error).extensions).toEqual({
      code: 'validation_failed',
      errors: [{ field: 'input.bid', message: 'invalid money value "12.345": at most 2 decimal places' }],
    });
  });
});
