import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Role } from '@leadex/contracts';
import { Roles } from '../auth/roles.decorator';
import { BuyerModel } from '../buyers/buyer.output';
import { MoneyScalar, MoneyString, SignedMoneyScalar, SignedMoneyString } from '../common/money.scalar';
import { FundsService } from './funds.service';
import { SupplierStatementModel } from './supplier-statement.output';

@Resolver()
export class FundsResolver {
  constructor(private readonly service: FundsService) {}

  @Roles(Role.ADMIN, Role.FINANCE)
  @Mutation(() => BuyerModel, {
    description:
      "ADMIN, FINANCE. Records money received from a buyer: a DEPOSIT ledger transaction (cash debited, buyer credited) and the buyer's balance, together. Returns the buyer.",
  })
  recordDeposit(
    @Args('buyerId', { type: () => ID }) buyerId: string,
    @Args('amount', { type: () => MoneyScalar, description: 'More than "0.00".' }) amount: MoneyString,
    @Args('reference', { type: () => String, nullable: true, description: 'Bank or invoice reference, kept as the ledger memo (≤ 200 characters).' })
    reference: string | null,
  ): Promise<BuyerModel> {
    return this.service.recordDeposit(buyerId, amount, reference);
  }

  @Roles(Role.ADMIN, Role.FINANCE)
  @Mutation(() => BuyerModel, {
    description:
      "ADMIN, FINANCE. Corrects a buyer's balance: an ADJUSTMENT ledger transaction against the exchange's revenue (a credit is paid by the exchange) and the balance, together; a debit past the credit limit is refused. Returns the buyer.",
  })
  recordAdjustment(
    @Args('buyerId', { type: () => ID }) buyerId: string,
    @Args('amount', { type: () => SignedMoneyScalar, description: 'Positive credits the buyer (goodwill), negative debits it (a correction); not zero.' })
    amount: SignedMoneyString,
    @Args('reason', { type: () => String, description: 'Why, kept as the ledger memo (1–500 characters).' }) reason: string,
  ): Promise<BuyerModel> {
    return this.service.recordAdjustment(buyerId, amount, reason);
  }

  @Roles(Role.ADMIN, Role.FINANCE)
  @Query(() => SupplierStatementModel, { description: "ADMIN, FINANCE. A supplier's payout statement over [from, to), from the ledger." })
  supplierStatement(
    @Args('supplierId', { type: () => ID }) supplierId: string,
    @Args('from', { type: () => Date }) from: Date,
    @Args('to', { type: () => Date }) to: Date,
  ): Promise<SupplierStatementModel> {
    return this.service.supplierStatement(supplierId, from, to);
  }
}
