import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Role } from '@leadex/contracts';
import { AuthUser } from '../auth/auth.types';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { BuyerModel } from './buyer.output';
import { BuyersService } from './buyers.service';
import { CreateBuyerInput } from './create-buyer.input';
import { UpdateBuyerInput } from './update-buyer.input';

@Resolver(() => BuyerModel)
export class BuyersResolver {
  constructor(private readonly service: BuyersService) {}

  @Roles(Role.ADMIN)
  @Mutation(() => BuyerModel, { description: 'ADMIN. A new buyer with a zero balance.' })
  createBuyer(@Args('input') input: CreateBuyerInput): Promise<BuyerModel> {
    return this.service.create(input);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => BuyerModel, {
    description:
      "ADMIN. Changes a buyer's settings (fields left out stay as they are, null clears); a credit limit the current balance already breaks is refused. Returns the buyer.",
  })
  updateBuyer(@Args('id', { type: () => ID }) id: string, @Args('input') input: UpdateBuyerInput): Promise<BuyerModel> {
    return this.service.update(id, input);
  }

  @Roles(Role.ADMIN, Role.FINANCE)
  @Query(() => [BuyerModel], { description: 'ADMIN, FINANCE. Every buyer.' })
  buyers(): Promise<BuyerModel[]> {
    return this.service.list();
  }

  @Query(() => BuyerModel, { nullable: true, description: 'ADMIN, FINANCE: any buyer. BUYER: its own only (null otherwise).' })
  buyer(@CurrentUser() user: AuthUser, @Args('id', { type: () => ID }) id: string): Promise<BuyerModel | null> {
    return this.service.findVisible(user, id);
  }
}
