import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { parseMoney, ZERO } from '@leadex/auction-core';
import { LeadexConfig } from '@leadex/config';
import { Role } from '@leadex/contracts';
import { BuyerEntity } from '@leadex/persistence';
import { AuthUser } from '../auth/auth.types';
import { isUuid } from '../common/uuid.util';
import { BuyerModel, toBuyerModel } from './buyer.output';
import { CreateBuyerInput } from './create-buyer.input';

@Injectable()
export class BuyersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: LeadexConfig,
  ) {}

  async create(input: CreateBuyerInput): Promise<BuyerModel> {
    return this.dataSource.transaction(async (m) => {
      const buyer = await m.save(
        m.create(BuyerEntity, {
          name: input.name,
          creditLimit: input.creditLimit ? parseMoney(input.creditLimit) : null,
          balance: ZERO,
          lowBalanceThreshold: parseOptionalMoney(input.lowBalanceThreshold ?? this.config.LOW_BALANCE_THRESHOLD),
        }),
      );
      return toBuyerModel(buyer);
    });
  }

  async list(): Promise<BuyerModel[]> {
    const rows = await this.dataSource.getRepository(BuyerEntity).find({ order: { createdAt: 'ASC' } });
    return rows.map(toBuyerModel);
  }

  /** A buyer by id; a BUYER user sees only its own (another's id is null, as if it did not exist). */
  async findVisible(user: AuthUser, id: string): Promise<BuyerModel | null> {
    if (!isUuid(id)) return null;
    if (user.role === Role.BUYER && user.buyerId !== id) return null;
    const buyer = await this.dataSource.getRepository(BuyerEntity).findOneBy({ id });
    return buyer ? toBuyerModel(buyer) : null;
  }
}

function parseOptionalMoney(v: string | null | undefined) {
  return v ? parseMoney(v) : null;
}
