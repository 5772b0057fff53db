import { Module } from '@nestjs/common';
import { SegmentsModule } from '../segments/segments.module.js';
import { StatisticsResolver } from './statistics.resolver.js';
import { StatisticsService } from './statistics.service.js';

/** Dashboard statistics: sales by month and category with trend, RFM, care satisfaction, segment sizes. */
@Module({
  imports: [SegmentsModule],
  providers: [StatisticsService, StatisticsResolver],
})
export class StatisticsModule {}
