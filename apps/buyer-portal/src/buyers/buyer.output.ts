import { Field, ID, ObjectType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { BuyerEntity } from '@leadex/persistence';
import { MoneyScalar } from '../common/money.scalar';

/** An advertiser buying leads. */
@ObjectType('Buyer')
export class BuyerModel {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => MoneyScalar, { description: 'Deposits + approved returns − purchases; may be negative down to −creditLimit.' })
  balance: Decimal;
  @Field(() => MoneyScalar, { nullable: true, description: 'How far below zero the balance may go; null = no limit.' })
  creditLimit: Decimal | null;
}

export function toBuyerModel(b: BuyerEntity): BuyerModel {
  return { id: b.id, name: b.name, balance: b.balance, creditLimit: b.creditLimit };
}
