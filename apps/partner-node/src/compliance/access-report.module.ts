import { Module } from '@nestjs/common';
import { ImportExportModule } from '../import-export/import-export.module.js';
import { AccessReportService } from './access-report.service.js';

/**
 * The access report (GDPR Art. 15) and the data flows of a customer: SQL over the node's tables
 * and exportCustomer's gathering, no GraphQL, no queues, so that the CLI can boot it too.
 */
@Module({
  imports: [ImportExportModule],
  providers: [AccessReportService],
  exports: [AccessReportService],
})
export class AccessReportModule {}
