import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainException, ErrorCode } from '@leadex/contracts';
import { CatalogService } from '../market/catalog.service';
import { VerticalProfile } from '../market/catalog.types';
import { SupplierAuthGuard } from '../suppliers/supplier-auth.guard';

function describe(v: VerticalProfile, withSchema: boolean) {
  const required = new Set<string>(v.schema.required ?? []);
  const fields = Object.entries<any>(v.schema.properties ?? {}).map(([name, p]) => ({
    name,
    type: p.type,
    required: required.has(name),
    pii: p['x-pii'] === true,
    ...(p.format ? { format: p.format } : {}),
    ...(p.enum ? { enum: p.enum } : {}),
    ...(p.minimum !== undefined ? { minimum: p.minimum } : {}),
    ...(p.maximum !== undefined ? { maximum: p.maximum } : {}),
    ...(p.pattern ? { pattern: p.pattern } : {}),
    ...(p.description ? { description: p.description } : {}),
  }));
  return {
    key: v.key,
    name: v.name,
    description: v.description,
    max_sales: v.maxSales,
    duplicate_window_days: v.duplicateWindowDays,
    return_window_days: v.returnWindowDays,
    fields,
    ...(withSchema ? { schema: v.schema } : {}),
  };
}

@ApiTags('verticals')
@ApiBearerAuth()
@Controller('v1/verticals')
@UseGuards(SupplierAuthGuard)
export class VerticalsController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @ApiOperation({ summary: 'The verticals you can post, with their fields' })
  list() {
    return this.catalog.allVerticals().filter((v) => v.active).map((v) => describe(v, false));
  }

  @Get(':key')
  @ApiOperation({ summary: "A vertical's field schema; personal fields are flagged pii" })
  get(@Param('key') key: string) {
    const v = this.catalog.vertical(key);
    if (!v || !v.active) throw new DomainException(ErrorCode.NotFound, `No vertical "${key}"`);
    return describe(v, true);
  }
}
