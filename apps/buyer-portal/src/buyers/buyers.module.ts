import { Module } from '@nestjs/common';
import { BuyersResolver } from './buyers.resolver';
import { BuyersService } from './buyers.service';

@Module({ providers: [BuyersService, BuyersResolver], exports: [BuyersService] })
export class BuyersModule {}
