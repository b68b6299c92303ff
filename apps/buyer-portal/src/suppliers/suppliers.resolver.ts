import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Role } from '@leadex/contracts';
import { Roles } from '../auth/roles.decorator';
import { CreateSupplierInput } from './create-supplier.input';
import { SupplierModel, SupplierWithKey } from './supplier.output';
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
}
