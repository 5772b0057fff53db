import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomersModule } from '../customers/customers.module.js';
import { Segment, SegmentMember } from './segment.entity.js';
import { SegmentListsService } from './segment-lists.service.js';
import { SegmentRefreshWorker } from './segment-refresh.worker.js';
import { SegmentMembersResolver, SegmentsResolver } from './segments.resolver.js';
import { SegmentsService } from './segments.service.js';

/**
 * Market segments (rule-based and static), their materialised membership and size history.
 * Needs the node's job queue (NodeQueueModule, registered before it in FEATURE_MODULES).
 */
@Module({
  imports: [TypeOrmModule.forFeature([Segment, SegmentMember]), CustomersModule],
  providers: [
    SegmentsService,
    SegmentListsService,
    SegmentsResolver,
    SegmentMembersResolver,
    SegmentRefreshWorker,
  ],
  exports: [SegmentsService],
})
export class SegmentsModule {}
