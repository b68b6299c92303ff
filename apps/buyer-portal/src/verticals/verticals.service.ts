import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Role } from '@leadex/contracts';
import { VerticalEntity } from '@leadex/persistence';
import { AuthUser } from '../auth/auth.types';
import { toVerticalModel, VerticalModel } from './vertical.output';

@Injectable()
export class VerticalsService {
  constructor(@InjectRepository(VerticalEntity) private readonly verticals: Repository<VerticalEntity>) {}

  /** Active verticals; an ADMIN also sees inactive ones. */
  async list(user: AuthUser): Promise<VerticalModel[]> {
    const rows = await this.verticals.find({ where: user.role === Role.ADMIN ? {} : { active: true }, order: { key: 'ASC' } });
    return rows.map(toVerticalModel);
  }
}
