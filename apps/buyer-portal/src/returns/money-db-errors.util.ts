import { DomainException, ErrorCode } from '@leadex/contracts';

/**
 * The money functions of migrations 800 and 1000 refuse with their own SQLSTATEs; this turns them into the domain's
 * codes, with the database's message (it names the lead, the window or the rate). Anything else is rethrown.
 */
export function moneyDomainError(e: any, subject: { field: string; id: string }): never {
  const code: string | undefined = e?.code ?? e?.driverError?.code;
  const message: string = e?.driverError?.message ?? e?.message ?? '';
  switch (code) {
    case 'LXR01':
      throw new DomainException(ErrorCode.NotFound, `${subject.field === 'leadId' ? 'Lead' : 'Return'} ${subject.id} not found`);
    case 'LXR02':
      throw new DomainException(ErrorCode.ReturnWindowClosed, capitalize(message));
    case 'LXR03':
    case '23505': // lead_returns_one_live_per_sale / ledger_one_return_per_sale: a concurrent twin won
      throw new DomainException(ErrorCode.Conflict, code === '23505' ? `Lead ${subject.id} already has a return` : capitalize(message));
    case 'LXR04':
      throw new DomainException(ErrorCode.ReturnRateExceeded, capitalize(message));
    case 'LXM01':
      throw DomainException.validation([{ field: 'amount', message: 'must be more than 0.00' }]);
    case 'LXM02':
      throw new DomainException(ErrorCode.NotFound, `Buyer ${subject.id} not found`);
    case 'LXM03': // leadex_record_adjustment (migration 1000): zero amount or bad reason, checked by the service first
      throw DomainException.validation([{ field: /reason/.test(message) ? 'reason' : 'amount', message }]);
    case 'LXM04': // a debit past the credit limit
      throw DomainException.validation([{ field: 'amount', message }]);
    case '23514': // the buyers_within_credit_limit CHECK backing LXM04
      if ((e?.constraint ?? e?.driverError?.constraint) === 'buyers_within_credit_limit') {
        throw DomainException.validation([{ field: 'amount', message: 'would take the balance below the credit limit' }]);
      }
      throw e;
    case '22003': // numeric(14,2) overflow of the balance
      throw DomainException.validation([{ field: 'amount', message: 'would take the balance out of range' }]);
    default:
      throw e;
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
