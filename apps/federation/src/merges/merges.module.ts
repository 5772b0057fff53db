import { Module } from '@nestjs/common';
import { ConsentsModule } from '../consents/consents.module.js';
import { KeysModule } from '../keys/keys.module.js';
import { MergesController } from './merges.controller.js';
import { MergeResultService } from './merge-result.service.js';
import { MergesRepository } from './merges.repository.js';
import { MergesService } from './merges.service.js';

/** Segment merges: manifests of subject tokens, overlap with small cells suppressed, signed results. */
@Module({
  imports: [KeysModule, ConsentsModule],
  controllers: [MergesController],
  providers: [MergesService, MergeResultService, MergesRepository],
  exports: [MergesService],
})
export class MergesModule {}
