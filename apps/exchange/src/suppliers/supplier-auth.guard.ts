import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { DomainException, ErrorCode, hashSupplierApiKey } from '@leadex/contracts';
import { CatalogService } from '../market/catalog.service';
import { SupplierProfile } from '../market/catalog.types';

/** Authenticates `Authorization: Bearer <supplier api key>` against the in-memory key hashes. */
@Injectable()
export class SupplierAuthGuard implements CanActivate {
  constructor(private readonly catalog: CatalogService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest();
    const header: string | undefined = req.headers.authorization;
    const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
    if (!match) throw new DomainException(ErrorCode.Unauthorized, 'Send your API key as "Authorization: Bearer <key>"');
    const supplier = await this.catalog.supplierByKeyHash(hashSupplierApiKey(match[1]));
    if (!supplier) throw new DomainException(ErrorCode.Unauthorized, 'Unknown API key');
    req.supplier = supplier;
    return true;
  }
}

/** The supplier authenticated by SupplierAuthGuard. */
export const CurrentSupplier = createParamDecorator((_: unknown, ctx: ExecutionContext): SupplierProfile => ctx.switchToHttp().getRequest().supplier);
