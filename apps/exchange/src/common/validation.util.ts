import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainException, FieldError } from '@leadex/contracts';

/** Flattens class-validator's tree into `source.ip`-style field errors. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const path = parent ? `${parent}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) out.push({ field: path, message: message.replace(/^property \S+ /, '') });
    if (e.children?.length) out.push(...toFieldErrors(e.children, path));
  }
  return out;
}

/** The global pipe: whitelist, forbid unknown properties, transform, and fail as a DomainException. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => DomainException.validation(toFieldErrors(errors)),
  });
}
