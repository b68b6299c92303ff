import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainException, ErrorCode, FieldError, Role } from '@leadex/contracts';
import { BuyerEntity, PG_UNIQUE_VIOLATION, UserEntity } from '@leadex/persistence';
import { hashPassword } from '../auth/password.util';
import { CreateUserInput } from './create-user.input';
import { toUserModel, UserModel } from './user.output';

@Injectable()
export class UsersService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(input: CreateUserInput): Promise<UserModel> {
    const email = input.email.trim().toLowerCase();
    const passwordHash = await hashPassword(input.password); // before the transaction: it takes ~50 ms
    return this.dataSource.transaction(async (m) => {
      const errors: FieldError[] = [];
      if (input.role === Role.BUYER) {
        if (!input.buyerId) errors.push({ field: 'input.buyerId', message: 'is required for a BUYER user' });
        else if (!(await m.existsBy(BuyerEntity, { id: input.buyerId }))) {
          errors.push({ field: 'input.buyerId', message: `no buyer with id ${input.buyerId}` });
        }
      } else if (input.buyerId) {
        errors.push({ field: 'input.buyerId', message: 'must be empty unless role is BUYER' });
      }
      if (errors.length) throw DomainException.validation(errors);
      if (await m.existsBy(UserEntity, { email })) throw emailTaken(email);
      try {
        const user = await m.save(m.create(UserEntity, { email, passwordHash, role: input.role, buyerId: input.buyerId ?? null }));
        return toUserModel(user);
      } catch (e: any) {
        if (e?.driverError?.code === PG_UNIQUE_VIOLATION || e?.code === PG_UNIQUE_VIOLATION) throw emailTaken(email);
        throw e;
      }
    });
  }

  async list(): Promise<UserModel[]> {
    const users = await this.dataSource.getRepository(UserEntity).find({ order: { createdAt: 'ASC' } });
    return users.map(toUserModel);
  }
}

function emailTaken(email: string): DomainException {
  return new DomainException(ErrorCode.Conflict, `A user with email ${email} already exists`, [
    { field: 'input.email', message: `${email} is already taken` },
  ]);
}
