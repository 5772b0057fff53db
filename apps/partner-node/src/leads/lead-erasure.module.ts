import { Module } from '@nestjs/common';
import { LeadErasureRepository } from './lead-erasure.repository.js';

/** The leads module's part of an erasure (LeadErasureRepository), on its own. */
@Module({ providers: [LeadErasureRepository], exports: [LeadErasureRepository] })
export class LeadErasureModule {}
