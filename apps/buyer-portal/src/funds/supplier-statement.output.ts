import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import Decimal from 'decimal.js';
import { MoneyScalar } from '../common/money.scalar';

/**
 * What a supplier earned over [from, to), read from its ledger account: a sale counts when it was sold, a
 * return's claw-back when it was approved (so a return of last month's lead lowers this month's payout).
 */
@ObjectType('SupplierStatement')
export class SupplierStatementModel {
  @Field(() => ID) supplierId: string;
  @Field() supplierName: string;
  @Field(() => Date, { description: 'Start of the period, inclusive.' }) from: Date;
  @Field(() => Date, { description: 'End of the period, exclusive.' }) to: Date;
  @Field(() => Int, { description: 'Sales of its leads in the period.' }) salesCount: number;
  @Field(() => MoneyScalar, { description: 'Payouts credited for those sales.' }) grossPayout: Decimal;
  @Field(() => Int, { description: 'Returns approved in the period.' }) returnsCount: number;
  @Field(() => MoneyScalar, { description: 'Payouts clawed back by those returns.' }) returnsClawedBack: Decimal;
  @Field(() => MoneyScalar, { description: 'Net of any manual adjustments in the period (credits − debits).' }) adjustments: Decimal;
  @Field(() => MoneyScalar, { description: 'grossPayout − returnsClawedBack + adjustments: what the exchange owes for the period.' })
  netPayout: Decimal;
}
