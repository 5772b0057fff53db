import { Module } from '@nestjs/common';
import { CompanyLinkSubjectRepository } from './company-link-subject.repository.js';

/** The companies module's part of an erasure (CompanyLinkSubjectRepository), on its own. */
@Module({ providers: [CompanyLinkSubjectRepository], exports: [CompanyLinkSubjectRepository] })
export class CompanyLinkSubjectModule {}
