import { Module } from '@nestjs/common';
import { LeadsModule } from '../leads/leads.module';
import { DispositionsResolver } from './dispositions.resolver';
import { DispositionsService } from './dispositions.service';

@Module({ imports: [LeadsModule], providers: [DispositionsService, DispositionsResolver] })
export class DispositionsModule {}
