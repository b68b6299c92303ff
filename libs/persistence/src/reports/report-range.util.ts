import { DomainException, FieldError } from '@leadex/contracts';

/** A report or export period: whole UTC days, both ends inclusive, as YYYY-MM-DD. */
export interface DayRange {
  from: string;
  to: string;
  /** Number of days in the range (to − from + 1). */
  days: number;
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day (2026-02-30 is not), else null. */
function dayMs(value: string): number | null {
  const m = DAY_RE.exec(value);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === value ? ms : null;
}

/**
 * Parses `from`/`to` (YYYY-MM-DD, UTC, inclusive). Every problem is named by its parameter, so a
 * client can fix them all at once; a range longer than maxDays is refused to bound one request's work.
 */
export function parseDayRange(from: unknown, to: unknown, maxDays: number): DayRange {
  const errors: FieldError[] = [];
  const check = (name: string, v: unknown): number | null => {
    if (v === undefined || v === null || v === '') {
      errors.push({ field: name, message: 'is required (YYYY-MM-DD)' });
      return null;
    }
    const ms = typeof v === 'string' ? dayMs(v) : null;
    if (ms === null) errors.push({ field: name, message: 'must be a date YYYY-MM-DD' });
    return ms;
  };
  const f = check('from', from);
  const t = check('to', to);
  if (f !== null && t !== null) {
    const days = Math.round((t - f) / 86_400_000) + 1;
    if (days < 1) errors.push({ field: 'to', message: 'must be on or after from' });
    else if (days > maxDays) errors.push({ field: 'to', message: `the range may span at most ${maxDays} days` });
    if (!errors.length) return { from: from as string, to: to as string, days };
  }
  throw DomainException.validation(errors);
}
