import { Module } from '@nestjs/common';
import { CampaignAudienceErasureRepository } from './campaign-audience-erasure.repository.js';

/** The campaigns module's part of an erasure (CampaignAudienceErasureRepository), on its own. */
@Module({ providers: [CampaignAudienceErasureRepository], exports: [CampaignAudienceErasureRepository] })
export class CampaignAudienceErasureModule {}
