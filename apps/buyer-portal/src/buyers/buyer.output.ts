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
  @Field(() => String, {
    nullable: true,
    description: 'Most returns, in percent of purchases in the return-rate window, e.g. "10" or "12.5"; null = the exchange default.',
  })
  maxReturnPercent: string | null;
  @Field(() => MoneyScalar, {
    nullable: true,
    description: 'One LOW_BALANCE notification when available funds (balance + credit limit) fall under this; null = none.',
  })
  lowBalanceThreshold: Decimal | null;
  @Field(() => String, { nullable: true, description: "Where the buyer's notifications are also emailed; null = the portal only." })
  notifyEmail: string | null;
}

export function toBuyerModel(b: BuyerEntity): BuyerModel {
  return {
    id: b.id,
    name: b.name,
    balance: b.balance,
    creditLimit: b.creditLimit,
    maxReturnPercent: b.maxReturnPercent ? b.maxReturnPercent.toFixed() : null,
    lowBalanceThreshold: b.lowBalanceThreshold,
    notifyEmail: b.notifyEmail ?? null,
  };
}
