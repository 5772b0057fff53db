import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgreementsModule } from '../agreements/agreements.module.js';
import { ConsentsModule } from '../consents/consents.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { NetworkModule } from '../network/network.module.js';
import { SegmentReferencesModule } from '../segments/segment-references.module.js';
import { SegmentsModule } from '../segments/segments.module.js';
import { MergeManifestJob } from './merge-manifest.job.js';
import { MergeSyncService } from './merge-sync.service.js';
import { MergedSegmentsService } from './merged-segments.service.js';
import { SegmentMerge } from './segment-merge.entity.js';
import { SegmentMergesResolver } from './segment-merges.resolver.js';
import { SegmentMergesService } from './segment-merges.service.js';
import { SegmentMergesWorker } from './segment-merges.worker.js';

/** Privacy-preserving segment merges with partners, through the federation (docs/protocol.md, "Segment merge"). */
@Module({
  imports: [
    TypeOrmModule.forFeature([SegmentMerge]),
    AgreementsModule,
    ConsentsModule,
    NetworkModule,
    SegmentsModule,
    SegmentReferencesModule,
    LedgerModule,
  ],
  providers: [
    SegmentMergesService,
    MergeSyncService,
    MergeManifestJob,
    MergedSegmentsService,
    SegmentMergesResolver,
    SegmentMergesWorker,
  ],
  exports: [SegmentMergesService],
})
export class SegmentMergesModule {}
