import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module.js';
import { SegmentsModule } from '../segments/segments.module.js';
import { StatisticsResolver } from './statistics.resolver.js';
import { StatisticsService } from './statistics.service.js';

/** Dashboard statistics: sales by month and category with trend, RFM, care satisfaction, segment sizes. */
@Module({
  imports: [SegmentsModule, OrdersModule],
  providers: [StatisticsService, StatisticsResolver],
})
export class StatisticsModule {}
