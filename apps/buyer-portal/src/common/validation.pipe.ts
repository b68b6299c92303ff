import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainException, ErrorCode, FieldError } from '@leadex/contracts';

/** Flattens class-validator's tree into `filters[1].value`-style paths, one entry per broken rule. */
export function fieldErrorsOf(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const path = /^\d+$/.test(e.property) ? `${parent}[${e.property}]` : parent ? `${parent}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) out.push({ field: path, message });
    if (e.children?.length) out.push(...fieldErrorsOf(e.children, path));
  }
  return out;
}

/**
 * The global ValidationPipe (whitelist, forbidNonWhitelisted, transform) whose failures are
 * `validation_failed` DomainExceptions, each bad field named from the argument down (`input.name`).
 */
@Injectable()
export class PortalValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => DomainException.validation(fieldErrorsOf(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (e) {
      if (e instanceof DomainException && e.code === ErrorCode.ValidationFailed && metadata.data) {
        throw DomainException.validation(e.errors.map((f) => ({ ...f, field: `${metadata.data}.${f.field}` })));
      }
      throw e;
    }
  }
}
