import { Module } from '@nestjs/common';
import { LeadsResolver } from './leads.resolver';
import { LeadsService } from './leads.service';

@Module({ providers: [LeadsService, LeadsResolver], exports: [LeadsService] })
export class LeadsModule {}
