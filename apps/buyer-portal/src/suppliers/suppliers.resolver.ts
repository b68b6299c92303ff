import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Role } from '@leadex/contracts';
import { Roles } from '../auth/roles.decorator';
import { BatchLoader, requestLoader } from '../common/batch-loader.util';
import { MoneyScalar, MoneyString } from '../common/money.scalar';
import { CreateSupplierInput } from './create-supplier.input';
import { SupplierFloorModel, SupplierModel, SupplierWithKey } from './supplier.output';
import { SuppliersService } from './suppliers.service';

@Resolver(() => SupplierModel)
export class SuppliersResolver {
  constructor(private readonly service: SuppliersService) {}

  @Roles(Role.ADMIN)
  @Mutation(() => SupplierWithKey, { description: 'ADMIN. Returns the new API key once; only its hash is kept.' })
  createSupplier(@Args('input') input: CreateSupplierInput): Promise<SupplierWithKey> {
    return this.service.create(input);
  }

  @Roles(Role.ADMIN)
  @Query(() => [SupplierModel], { description: 'ADMIN. Every supplier (API keys are never shown).' })
  suppliers(): Promise<SupplierModel[]> {
    return this.service.list();
  }

  @Roles(Role.ADMIN)
  @Mutation(() => Boolean, {
    description:
      "ADMIN. The least the supplier is paid for a lead of the vertical: bids that would pay it less do not buy its leads. " +
      'A null minPayout removes the floor. validation_failed names an unknown supplierId or vertical.',
  })
  setSupplierFloor(
    @Args('supplierId', { type: () => ID }) supplierId: string,
    @Args('vertical') vertical: string,
    @Args('minPayout', { type: () => MoneyScalar, nullable: true }) minPayout: MoneyString | null,
  ): Promise<boolean> {
    return this.service.setFloor(supplierId, vertical, minPayout ?? null);
  }

  @Roles(Role.ADMIN)
  @Mutation(() => SupplierModel, { description: 'ADMIN. Where the supplier is told of its sold and returned leads; null removes it.' })
  setSupplierPostbackUrl(
    @Args('supplierId', { type: () => ID }) supplierId: string,
    @Args('url', { type: () => String, nullable: true }) url: string | null,
  ): Promise<SupplierModel> {
    return this.service.setPostbackUrl(supplierId, url ?? null);
  }

  /** Batched per request: the suppliers list reads supplier_floors once. */
  @ResolveField('floors', () => [SupplierFloorModel], { description: 'Minimum payouts per vertical, by vertical key.' })
  floors(@Parent() supplier: SupplierModel, @Context('req') req: object): Promise<SupplierFloorModel[]> {
    const loader = requestLoader(req, 'supplierFloors', () => new BatchLoader<string, SupplierFloorModel[]>((ids) => this.service.floorsOf(ids), () => []));
    return loader.load(supplier.id);
  }
}
