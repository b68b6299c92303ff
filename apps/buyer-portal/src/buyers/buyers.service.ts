import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Decimal from 'decimal.js';
import { DataSource } from 'typeorm';
import { formatMoney, parseMoney, ZERO } from '@leadex/auction-core';
import { LeadexConfig } from '@leadex/config';
import { DomainException, ErrorCode, Role } from '@leadex/contracts';
import { BuyerEntity } from '@leadex/persistence';
import { AuthUser } from '../auth/auth.types';
import { isUuid } from '../common/uuid.util';
import { BuyerModel, toBuyerModel } from './buyer.output';
import { CreateBuyerInput } from './create-buyer.input';
import { UpdateBuyerInput } from './update-buyer.input';

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

  /**
   * Changes a buyer's settings (ADMIN). The row is locked first, so a credit limit is judged against the balance
   * no sale can move meanwhile; the buyers_within_credit_limit CHECK backs that judgement. Changing the limit
   * or the threshold runs the low-balance trigger (a notice when funds are now under the threshold), and a
   * new limit reaches every exchange process through the buyers_notify trigger.
   */
  async update(id: string, input: UpdateBuyerInput): Promise<BuyerModel> {
    if (!isUuid(id)) throw new DomainException(ErrorCode.NotFound, `Buyer ${id} not found`);
    return this.dataSource
      .transaction(async (m) => {
        const buyer = await m.findOne(BuyerEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!buyer) throw new DomainException(ErrorCode.NotFound, `Buyer ${id} not found`);
        // only the settings given (the balance is the ledger functions' to write, never a save's), so an
        // untouched credit limit does not wake every exchange process through buyers_notify
        const changes: Partial<Pick<BuyerEntity, 'name' | 'creditLimit' | 'maxReturnPercent' | 'lowBalanceThreshold' | 'notifyEmail'>> = {};
        if (input.name !== undefined) changes.name = input.name;
        if (input.creditLimit !== undefined) {
          const limit = input.creditLimit === null ? null : parseMoney(input.creditLimit);
          if (limit && buyer.balance.lt(limit.neg())) throw creditLimitBroken(buyer.balance);
          changes.creditLimit = limit;
        }
        if (input.maxReturnPercent !== undefined) changes.maxReturnPercent = input.maxReturnPercent === null ? null : new Decimal(input.maxReturnPercent);
        if (input.lowBalanceThreshold !== undefined) changes.lowBalanceThreshold = input.lowBalanceThreshold === null ? null : parseMoney(input.lowBalanceThreshold);
        if (input.notifyEmail !== undefined) changes.notifyEmail = input.notifyEmail;
        if (Object.keys(changes).length) await m.update(BuyerEntity, { id }, changes);
        return toBuyerModel((await m.findOneBy(BuyerEntity, { id }))!);
      })
      .catch((e) => {
        // the CHECK backing the locked check above
        if ((e?.driverError?.constraint ?? e?.constraint) === 'buyers_within_credit_limit') {
          throw DomainException.validation([{ field: 'input.creditLimit', message: 'is below the current debt of the buyer' }]);
        }
        throw e;
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

function creditLimitBroken(balance: Decimal): DomainException {
  return DomainException.validation([
    {
      field: 'input.creditLimit',
      message: `must be at least ${formatMoney(balance.neg())}: the balance is already ${formatMoney(balance)}`,
    },
  ]);
}

function parseOptionalMoney(v: string | null | undefined) {
  return v ? parseMoney(v) : null;
}
