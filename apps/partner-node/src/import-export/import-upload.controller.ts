import { Controller, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Allow, type RequestWithUser } from '#platform/auth/allow.decorator';
import {
  ConflictError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '#platform/errors/app-errors';
import { Role } from '../users/role.js';
import { CustomerImportService } from './customer-import.service.js';
import { ImportJobsService } from './import-jobs.service.js';
import type { ImportReport } from './import-report.js';
import { OrderImportService } from './order-import.service.js';

/** The largest file the console may upload (bigger files: the CLI, which streams from disk). */
export const IMPORT_UPLOAD_MAX_BYTES = 256 * 1024 * 1024;
const JOB_ID = /^[A-Za-z0-9-]{8,64}$/;

function flag(value: string | undefined, field: string): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new ValidationError(field, 'must be true or false');
}

/**
 * The console's CSV upload: `POST /imports/customers|orders?jobId=…&dryRun=true&skipInvalid=false`
 * with the file as a `text/csv` body, streamed into the same importer as the CLI (never buffered),
 * answered with the import report when done. The bearer token authenticates it (no cookie, so no
 * CSRF exposure); meanwhile `importProgress(jobId)` gives the bytes and rows read.
 */
@Controller('imports')
export class ImportUploadController {
  constructor(
    private readonly customers: CustomerImportService,
    private readonly orders: OrderImportService,
    private readonly jobs: ImportJobsService,
  ) {}

  @Allow(Role.ADMIN)
  @Post(':kind')
  @HttpCode(200)
  async upload(
    @Param('kind') kind: string,
    @Query('jobId') jobId: string | undefined,
    @Query('dryRun') dryRunFlag: string | undefined,
    @Query('skipInvalid') skipInvalidFlag: string | undefined,
    @Req() request: Request & RequestWithUser,
  ): Promise<ImportReport> {
    if (kind !== 'customers' && kind !== 'orders') {
      throw new ValidationError('kind', 'must be customers or orders');
    }
    if (jobId === undefined || !JOB_ID.test(jobId)) {
      throw new ValidationError('jobId', 'must be 8 to 64 letters, digits or dashes');
    }
    const dryRun = flag(dryRunFlag, 'dryRun');
    const skipInvalid = flag(skipInvalidFlag, 'skipInvalid');
    if (!/^text\/csv\s*(?:;|$)/i.test(request.headers['content-type'] ?? '')) {
      throw new UnsupportedMediaTypeError('The file must be sent as text/csv');
    }
    const totalBytes = Number(request.headers['content-length']);
    if (!Number.isSafeInteger(totalBytes) || totalBytes < 0) {
      throw new ValidationError('file', 'the upload needs a Content-Length');
    }
    if (totalBytes > IMPORT_UPLOAD_MAX_BYTES) {
      throw new PayloadTooLargeError(
        `The file is larger than ${IMPORT_UPLOAD_MAX_BYTES / 1024 / 1024} MB: import it with the CLI`,
      );
    }
    const job = this.jobs.start({ jobId, userId: request.user!.id, kind, dryRun, totalBytes });
    if (!job) throw new ConflictError(`Import job ${jobId} already exists`);
    const service = kind === 'customers' ? this.customers : this.orders;
    try {
      const report = await service.import(request, {
        dryRun,
        skipInvalid,
        onProgress: (progress) => this.jobs.progress(job, progress),
        onMerge: () => (job.phase = 'merging'),
      });
      this.jobs.finish(job, 'done');
      return report;
    } catch (error) {
      this.jobs.finish(job, 'failed');
      throw error;
    }
  }
}
