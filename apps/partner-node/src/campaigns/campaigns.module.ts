import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SegmentReferencesModule } from '../segments/segment-references.module.js';
import { SegmentsModule } from '../segments/segments.module.js';
import { Campaign } from './campaign.entity.js';
import { CampaignsResolver } from './campaigns.resolver.js';
import { CampaignsService } from './campaigns.service.js';

/** Campaigns on own segments: audience snapshot at launch, responses, conversions and results. */
@Module({
  imports: [TypeOrmModule.forFeature([Campaign]), SegmentsModule, SegmentReferencesModule],
  providers: [CampaignsService, CampaignsResolver],
  exports: [CampaignsService],
})
export class CampaignsModule {}
