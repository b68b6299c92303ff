import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Decimal from 'decimal.js';
import { DataSource, In } from 'typeorm';
import { parseMoney } from '@leadex/auction-core';
import { DomainException, FieldError, generateSupplierApiKey, SupplierStatus } from '@leadex/contracts';
import { BuyerUrlGuard } from '@leadex/buyer-protocol';
import { SupplierEntity, SupplierFloorEntity, VerticalEntity } from '@leadex/persistence';
import { isUuid } from '../common/uuid.util';
import { CreateSupplierInput } from './create-supplier.input';
import { SupplierFloorModel, SupplierModel, SupplierWithKey, toSupplierModel } from './supplier.output';

@Injectable()
export class SuppliersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly urlGuard: BuyerUrlGuard,
  ) {}

  /** Creates a supplier and its API key; the key is returned once and only its SHA-256 is stored. */
  async create(input: CreateSupplierInput): Promise<SupplierWithKey> {
    const payoutPercent = new Decimal(input.payoutPercent ?? '70');
    if (payoutPercent.gt(100)) throw DomainException.validation([{ field: 'input.payoutPercent', message: 'must be at most 100' }]);
    const allowed = input.allowedVerticals ? [...new Set(input.allowedVerticals)] : null;
    const postbackUrl = input.postbackUrl?.trim() || null;
    if (postbackUrl) await this.urlGuard.check(postbackUrl, 'input.postbackUrl');
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
          postbackUrl,
        }),
      );
      return { supplier: toSupplierModel(supplier), apiKey: key.apiKey };
    });
  }

  /** Sets (or with null removes) the supplier's postback URL; the exchange's SSRF guard checks it first. */
  async setPostbackUrl(supplierId: string, url: string | null): Promise<SupplierModel> {
    const postbackUrl = url?.trim() || null;
    if (postbackUrl) {
      if (postbackUrl.length > 2000) throw DomainException.validation([{ field: 'url', message: 'must be at most 2000 characters' }]);
      await this.urlGuard.check(postbackUrl, 'url');
    }
    return this.dataSource.transaction(async (m) => {
      const supplier = isUuid(supplierId) ? await m.findOne(SupplierEntity, { where: { id: supplierId }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!supplier) throw DomainException.validation([{ field: 'supplierId', message: `no supplier with id ${supplierId}` }]);
      supplier.postbackUrl = postbackUrl;
      return toSupplierModel(await m.save(supplier));
    });
  }

  async list(): Promise<SupplierModel[]> {
    const rows = await this.dataSource.getRepository(SupplierEntity).find({ order: { createdAt: 'ASC' } });
    return rows.map(toSupplierModel);
  }

  /**
   * Sets (or, with a null minPayout, removes) a supplier's minimum payout for one vertical. Every exchange
   * process reloads it through the supplier_floors_notify trigger.
   */
  async setFloor(supplierId: string, vertical: string, minPayout: string | null): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const errors: FieldError[] = [];
      if (!isUuid(supplierId) || !(await m.existsBy(SupplierEntity, { id: supplierId }))) {
        errors.push({ field: 'supplierId', message: `no supplier with id ${supplierId}` });
      }
      if (!(await m.existsBy(VerticalEntity, { key: vertical }))) errors.push({ field: 'vertical', message: `unknown vertical "${vertical}"` });
      if (errors.length) throw DomainException.validation(errors);
      if (minPayout === null) {
        await m.delete(SupplierFloorEntity, { supplierId, vertical });
      } else {
        await m.upsert(SupplierFloorEntity, { supplierId, vertical, minPayout: parseMoney(minPayout) }, ['supplierId', 'vertical']);
      }
      return true;
    });
  }

  /** The floors of many suppliers in one query, by supplier id, each list by vertical key. */
  async floorsOf(supplierIds: readonly string[]): Promise<Map<string, SupplierFloorModel[]>> {
    const out = new Map<string, SupplierFloorModel[]>();
    if (!supplierIds.length) return out;
    const rows: { supplier_id: string; vertical_key: string; min_payout: string }[] = await this.dataSource.query(
      `SELECT supplier_id, vertical_key, min_payout::text AS min_payout FROM supplier_floors
        WHERE supplier_id = ANY($1::uuid[]) ORDER BY supplier_id, vertical_key`,
      [supplierIds],
    );
    for (const r of rows) {
      const list = out.get(r.supplier_id) ?? [];
      list.push({ vertical: r.vertical_key, minPayout: new Decimal(r.min_payout) });
      out.set(r.supplier_id, list);
    }
    return out;
  }
}
