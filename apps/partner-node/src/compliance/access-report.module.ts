import { Module } from '@nestjs/common';
import { ConsentDisclosureModule } from '../consents/consent-disclosure.module.js';
import { CustomerSubjectModule } from '../customers/customer-subject.module.js';
import { ImportExportModule } from '../import-export/import-export.module.js';
import { SharingDisclosureModule } from '../sharing/sharing-disclosure.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccessReportService } from './access-report.service.js';

/**
 * The access report (GDPR Art. 15) and the data flows of a customer: what each owner holds about
 * the customer (their disclosure repositories) and exportCustomer's gathering, no GraphQL, no
 * queues, so that the CLI can boot it too.
 */
@Module({
  imports: [
    ImportExportModule,
    CustomerSubjectModule,
    ConsentDisclosureModule,
    SharingDisclosureModule,
    UsersModule,
  ],
  providers: [AccessReportService],
  exports: [AccessReportService, CustomerSubjectModule, ConsentDisclosureModule, SharingDisclosureModule],
})
export class AccessReportModule {}
