import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { parseMoney } from '@leadex/auction-core';
import { DomainException, ErrorCode, Role } from '@leadex/contracts';
import { VerticalEntity } from '@leadex/persistence';
import { AuthUser } from '../auth/auth.types';
import { UpdateVerticalInput } from './update-vertical.input';
import { toVerticalModel, VerticalModel } from './vertical.output';

@Injectable()
export class VerticalsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Active verticals; an ADMIN also sees inactive ones. */
  async list(user: AuthUser): Promise<VerticalModel[]> {
    const rows = await this.dataSource
      .getRepository(VerticalEntity)
      .find({ where: user.role === Role.ADMIN ? {} : { active: true }, order: { key: 'ASC' } });
    return rows.map(toVerticalModel);
  }

  /** Changes a vertical's selling rules; every exchange process reloads it through the verticals_notify trigger. */
  async update(key: string, input: UpdateVerticalInput): Promise<VerticalModel> {
    return this.dataSource.transaction(async (m) => {
      const row = await m.findOne(VerticalEntity, { where: { key }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new DomainException(ErrorCode.NotFound, `Vertical "${key}" not found`);
      if (input.distributionMode != null) row.distributionMode = input.distributionMode;
      if (input.maxSales != null) row.maxSales = input.maxSales;
      if (input.floorPrice != null) row.floorPrice = parseMoney(input.floorPrice);
      if (input.duplicateWindowDays != null) row.duplicateWindowDays = input.duplicateWindowDays;
      if (input.returnWindowDays != null) row.returnWindowDays = input.returnWindowDays;
      if (input.returnAutoApproveReasons != null) row.returnAutoApproveReasons = [...new Set(input.returnAutoApproveReasons)];
      if (input.active != null) row.active = input.active;
      return toVerticalModel(await m.save(row));
    });
  }
}
