import { Module } from '@nestjs/common';
import { BuyerUrlGuard } from '@leadex/buyer-protocol';
import { SuppliersResolver } from './suppliers.resolver';
import { SuppliersService } from './suppliers.service';

@Module({ providers: [SuppliersService, SuppliersResolver, BuyerUrlGuard], exports: [SuppliersService] })
export class SuppliersModule {}
