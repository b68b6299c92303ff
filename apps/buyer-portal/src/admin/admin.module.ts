import { Module } from '@nestjs/common';
import { DashboardQueues } from './dashboard-queues.service';

/** The operators' queue dashboard (mounted on the HTTP server by mountQueueDashboard). */
@Module({ providers: [DashboardQueues], exports: [DashboardQueues] })
export class AdminModule {}
