import { Module } from '@nestjs/common';
import { SegmentReferencesRepository } from './segment-references.repository.js';

/** What other modules ask of the segments' tables (SegmentReferencesRepository), without the segments' queue. */
@Module({ providers: [SegmentReferencesRepository], exports: [SegmentReferencesRepository] })
export class SegmentReferencesModule {}
