import { Module } from '@nestjs/common';
import { LeadSubjectRepository } from './lead-subject.repository.js';

/** The leads module's part of an erasure (LeadSubjectRepository), on its own. */
@Module({ providers: [LeadSubjectRepository], exports: [LeadSubjectRepository] })
export class LeadSubjectModule {}
