import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Decimal from 'decimal.js';
import { DataSource, In } from 'typeorm';
import { parseMoney } from '@leadex/auction-core';
import { DomainException, generateSupplierApiKey, SupplierStatus } from '@leadex/contracts';
import { SupplierEntity, VerticalEntity } from '@leadex/persistence';
import { CreateSupplierInput } from './create-supplier.input';
import { SupplierModel, SupplierWithKey, toSupplierModel } from './supplier.output';

@Injectable()
export class SuppliersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates a supplier and its API key; the key is returned once and only its SHA-256 is stored. */
  async create(input: CreateSupplierInput): Promise<SupplierWithKey> {
    const payoutPercent = new Decimal(input.payoutPercent ?? '70');
    if (payoutPercent.gt(100)) throw DomainException.validation([{ field: 'input.payoutPercent', message: 'must be at most 100' }]);
    const allowed = input.allowedVerticals ? [...new Set(input.allowedVerticals)] : null;
    return this.dataSource.transaction(async (m) => {
      if (allowed?.length) {
        const found = new Set((await m.findBy(VerticalEntity, { key: In(allowed) })).map((v) => v.key));
        const errors = input.allowedVerticals!.flatMap((key, i) =>
          found.has(key) ? [] : [{ field: `input.allowedVerticals[${i}]`, message: `unknown vertical "${key}"` }],
        );
        if (errors.length) throw DomainException.validation(errors);
      }
      const key = generateSupplierApiKey();
      const supplier = await m.save(
        m.create(SupplierEntity, {
          name: input.name,
          apiKeyHash: key.hash,
          apiKeyPrefix: key.prefix,
          status: SupplierStatus.ACTIVE,
          payoutPercent,
          fixedPayout: input.fixedPayout ? parseMoney(input.fixedPayout) : null,
          allowedVerticals: allowed,
          blockedBuyerIds: [],
          rateLimitPerSec: input.rateLimitPerSec ?? null,
        }),
      );
      return { supplier: toSupplierModel(supplier), apiKey: key.apiKey };
    });
  }

  async list(): Promise<SupplierModel[]> {
    const rows = await this.dataSource.getRepository(SupplierEntity).find({ order: { createdAt: 'ASC' } });
    return rows.map(toSupplierModel);
  }
}
