import { Module } from '@nestjs/common';
import { CareCasesModule } from '../care-cases/care-cases.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { SegmentsModule } from '../segments/segments.module.js';
import { RfmRefreshJob } from './rfm-refresh.job.js';
import { RfmRefreshWorker } from './rfm-refresh.worker.js';
import { StatisticsResolver } from './statistics.resolver.js';
import { StatisticsService } from './statistics.service.js';

/**
 * Dashboard statistics: sales by month and category with trend, RFM (stored snapshots refreshed by
 * a queue job), care satisfaction, segment sizes. Needs the node's job queue (NodeQueueModule).
 */
@Module({
  imports: [SegmentsModule, OrdersModule, CareCasesModule],
  providers: [StatisticsService, StatisticsResolver, RfmRefreshJob, RfmRefreshWorker],
})
export class StatisticsModule {}
