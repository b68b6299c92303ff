import { DomainException, ErrorCode } from '@leadex/contracts';
import { moneyDomainError } from './money-db-errors.util';

const thrown = (e: unknown, field = 'leadId') => {
  try {
    moneyDomainError(e, { field, id: 'L1' });
  } catch (x) {
    return x;
  }
  throw new Error('did not throw');
};

describe('money function refusals become domain errors', () => {
  it.each([
    ['LXR01', ErrorCode.NotFound],
    ['LXR02', ErrorCode.ReturnWindowClosed],
    ['LXR03', ErrorCode.Conflict],
    ['23505', ErrorCode.Conflict],
    ['LXR04', ErrorCode.ReturnRateExceeded],
    ['LXM01', ErrorCode.ValidationFailed],
    ['LXM02', ErrorCode.NotFound],
  ])('%s → %s', (code, expected) => {
    const e = thrown({ code, message: 'the return window of 7 days closed at x' });
    expect(e).toBeInstanceOf(DomainException);
    expect((e as DomainException).code).toBe(expected);
  });

  it('keeps the database message for a closed window, capitalised, and names the amount field of a bad deposit', () => {
    expect((thrown({ driverError: { code: 'LXR02', message: 'the return window of 7 days closed at 2026-01-01' } }) as DomainException).message).toBe(
      'The return window of 7 days closed at 2026-01-01',
    );
    expect((thrown({ code: 'LXM01' }) as DomainException).errors).toEqual([{ field: 'amount', message: 'must be more than 0.00' }]);
  });

  it('rethrows anything else untouched', () => {
    const other = new Error('connection reset');
    expect(thrown(other)).toBe(other);
  });
});
