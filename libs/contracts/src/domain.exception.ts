import { ErrorCode } from './error-code.enum';

/** One bad input, named by its path, e.g. `fields.zip`. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * What services throw: a code from ErrorCode, a human message and, for validation,
 * every bad field. Never an HTTP exception: transports map codes to their own statuses.
 */
export class DomainException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: FieldError[] = [],
    /** Extra headers a transport should set, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DomainException';
  }

  static validation(errors: FieldError[], message?: string): DomainException {
    return new DomainException(
      ErrorCode.ValidationFailed,
      message ?? (errors.length === 1 ? `${errors[0].field}: ${errors[0].message}` : `${errors.length} fields are invalid`),
      errors,
    );
  }
}
