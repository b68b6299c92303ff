import { Module } from '@nestjs/common';
import { VerticalsResolver } from './verticals.resolver';
import { VerticalsService } from './verticals.service';

@Module({ providers: [VerticalsService, VerticalsResolver], exports: [VerticalsService] })
export class VerticalsModule {}
