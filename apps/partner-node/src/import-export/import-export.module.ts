import { Module } from '@nestjs/common';
import { CareCaseSubjectModule } from '../care-cases/care-case-subject.module.js';
import { CompanyLinkSubjectModule } from '../companies/company-link-subject.module.js';
import { CustomerSubjectModule } from '../customers/customer-subject.module.js';
import { InteractionSubjectModule } from '../interactions/interaction-subject.module.js';
import { LeadSubjectModule } from '../leads/lead-subject.module.js';
import { OrderSubjectModule } from '../orders/order-subject.module.js';
import { CustomerExportService } from './customer-export.service.js';
import { CustomerImportService } from './customer-import.service.js';
import { ImportExportResolver } from './import-export.resolver.js';
import { ImportJobsService } from './import-jobs.service.js';
import { ImportUploadController } from './import-upload.controller.js';
import { OrderImportService } from './order-import.service.js';

/**
 * CSV imports of customers and orders (streaming, staged with COPY, merged in one transaction)
 * and the export of everything held about one customer, each section read through the module that
 * owns its table (their small *-subject modules, which need nothing else, so the CLI can boot this
 * module without GraphQL).
 */
@Module({
  imports: [
    CustomerSubjectModule,
    CompanyLinkSubjectModule,
    InteractionSubjectModule,
    CareCaseSubjectModule,
    OrderSubjectModule,
    LeadSubjectModule,
  ],
  controllers: [ImportUploadController],
  providers: [
    CustomerImportService,
    OrderImportService,
    CustomerExportService,
    ImportJobsService,
    ImportExportResolver,
  ],
  exports: [CustomerImportService, OrderImportService, CustomerExportService],
})
export class ImportExportModule {}
