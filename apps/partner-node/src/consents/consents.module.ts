import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomerSubjectModule } from '../customers/customer-subject.module.js';
import { AgreementsModule } from '../agreements/agreements.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { NetworkModule } from '../network/network.module.js';
import { PrivacyNoticesModule } from '../privacy-notices/privacy-notices.module.js';
import { ConsentImportResolver } from './consent-import.resolver.js';
import { ConsentImportService } from './consent-import.service.js';
import { ConsentRegistrationSender } from './consent-registration-sender.js';
import { ConsentRegistrationsService } from './consent-registrations.service.js';
import { ConsentsBulkService } from './consents-bulk.service.js';
import { Consent } from './consent.entity.js';
import { ConsentsRepository } from './consents.repository.js';
import { RegistrationWithdrawalsRepository } from './registration-withdrawals.repository.js';
import { ConsentsResolver } from './consents.resolver.js';
import { ConsentsService } from './consents.service.js';
import { NoticeConsentsResolver } from './notice-consents.resolver.js';

/** Consent capture, withdrawal, history and receipt export. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Consent]),
    NetworkModule,
    AgreementsModule,
    PrivacyNoticesModule,
    LedgerModule,
    CustomerSubjectModule,
  ],
  providers: [
    ConsentsService,
    ConsentsRepository,
    RegistrationWithdrawalsRepository,
    ConsentsBulkService,
    ConsentImportService,
    ConsentImportResolver,
    ConsentRegistrationsService,
    ConsentRegistrationSender,
    ConsentsResolver,
    NoticeConsentsResolver,
  ],
  exports: [
    ConsentsService,
    ConsentsRepository,
    RegistrationWithdrawalsRepository,
    ConsentsBulkService,
    ConsentImportService,
    ConsentRegistrationsService,
  ],
})
export class ConsentsModule {}
