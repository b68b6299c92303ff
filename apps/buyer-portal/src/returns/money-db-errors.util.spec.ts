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

  it('names the field of a refused adjustment: amount past the credit limit (or its CHECK), reason when the reason is bad', () => {
    const over = 'a debit of 15.01 would take the balance of 5.00 below the credit limit of 10.00 (at most 15.00 can be debited)';
    expect((thrown({ driverError: { code: 'LXM04', message: over } }, 'buyerId') as DomainException).errors).toEqual([{ field: 'amount', message: over }]);
    expect((thrown({ code: '23514', constraint: 'buyers_within_credit_limit' }, 'buyerId') as DomainException).errors).toEqual([
      { field: 'amount', message: 'would take the balance below the credit limit' },
    ]);
    expect((thrown({ code: 'LXM03', message: 'an adjustment needs a reason of 1 to 500 characters' }, 'buyerId') as DomainException).errors?.[0].field).toBe('reason');
    expect((thrown({ code: 'LXM03', message: 'an adjustment must not be zero' }, 'buyerId') as DomainException).errors?.[0].field).toBe('amount');
    const otherCheck = { code: '23514', constraint: 'some_other_check' };
    expect(thrown(otherCheck)).toBe(otherCheck);
  });

  it('rethrows anything else untouched', () => {
    const other = new Error('connection reset');
    expect(thrown(other)).toBe(other);
  });
});
