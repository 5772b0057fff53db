import { Module } from '@nestjs/common';
import { CustomerExportService } from './customer-export.service.js';
import { CustomerImportService } from './customer-import.service.js';
import { ImportExportResolver } from './import-export.resolver.js';
import { ImportJobsService } from './import-jobs.service.js';
import { ImportUploadController } from './import-upload.controller.js';
import { OrderImportService } from './order-import.service.js';

/**
 * CSV imports of customers and orders (streaming, staged with COPY, merged in one transaction)
 * and the export of everything held about one customer. Works on SQL over the tables of the
 * customers, companies, interactions, care-cases, orders and leads features; needs no service of
 * theirs, so the CLI can boot it without GraphQL.
 */
@Module({
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
