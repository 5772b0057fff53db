import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgreementsModule } from '../agreements/agreements.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { NetworkModule } from '../network/network.module.js';
import { SegmentsModule } from '../segments/segments.module.js';
import { SegmentMerge } from './segment-merge.entity.js';
import { SegmentMergesResolver } from './segment-merges.resolver.js';
import { SegmentMergesService } from './segment-merges.service.js';
import { SegmentMergesWorker } from './segment-merges.worker.js';

/** Privacy-preserving segment merges with partners, through the federation (docs/protocol.md, "Segment merge"). */
@Module({
  imports: [
    TypeOrmModule.forFeature([SegmentMerge]),
    AgreementsModule,
    NetworkModule,
    SegmentsModule,
    LedgerModule,
  ],
  providers: [SegmentMergesService, SegmentMergesResolver, SegmentMergesWorker],
  exports: [SegmentMergesService],
})
export class SegmentMergesModule {}
