import { Module } from '@nestjs/common';
import { ReturnsResolver } from './returns.resolver';
import { ReturnsService } from './returns.service';

@Module({ providers: [ReturnsService, ReturnsResolver], exports: [ReturnsService] })
export class ReturnsModule {}
