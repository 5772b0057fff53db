import { Module } from '@nestjs/common';
import { CompanyLinkErasureRepository } from './company-link-erasure.repository.js';

/** The companies module's part of an erasure (CompanyLinkErasureRepository), on its own. */
@Module({ providers: [CompanyLinkErasureRepository], exports: [CompanyLinkErasureRepository] })
export class CompanyLinkErasureModule {}
