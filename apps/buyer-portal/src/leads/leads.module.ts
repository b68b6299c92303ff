import { Module } from '@nestjs/common';
import { LeadTimelineService } from './lead-timeline.service';
import { LeadsResolver } from './leads.resolver';
import { LeadsService } from './leads.service';

@Module({ providers: [LeadsService, LeadTimelineService, LeadsResolver], exports: [LeadsService] })
export class LeadsModule {}
