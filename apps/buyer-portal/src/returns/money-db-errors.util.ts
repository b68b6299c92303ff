import { DomainException, ErrorCode } from '@leadex/contracts';

/**
 * The money functions of migration 800 refuse with their own SQLSTATEs; this turns them into the domain's
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
    default:
      throw e;
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
