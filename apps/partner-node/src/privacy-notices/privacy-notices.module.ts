import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PrivacyNotice } from './privacy-notice.entity.js';
import { PrivacyNoticesResolver } from './privacy-notices.resolver.js';
import { PrivacyNoticesService } from './privacy-notices.service.js';

/** Versioned privacy notices; published versions are immutable (trigger + service checks). */
@Module({
  imports: [TypeOrmModule.forFeature([PrivacyNotice])],
  providers: [PrivacyNoticesService, PrivacyNoticesResolver],
  exports: [PrivacyNoticesService],
})
export class PrivacyNoticesModule {}
