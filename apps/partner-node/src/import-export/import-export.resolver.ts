import { Args, Field, Float, ID, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Allow, CurrentUser, type AuthenticatedUser } from '#platform/auth/allow.decorator';
import { Role } from '../users/role.js';
import { CustomerExportService, type CustomerExport } from './customer-export.service.js';
import { ImportJobsService } from './import-jobs.service.js';
import { JSONScalar } from './json.scalar.js';

@ObjectType({ description: 'Progress of a CSV upload (POST /imports/customers|orders) running now.' })
export class ImportProgressView {
  @Field(() => ID)
  jobId: string;

  @Field()
  kind: string;

  @Field({ description: 'reading, merging, done or failed' })
  phase: string;

  @Field({ description: 'A check only: nothing is written.' })
  dryRun: boolean;

  @Field(() => Float, { description: 'Size of the upload (Content-Length).' })
  totalBytes: number;

  @Field(() => Float)
  bytesRead: number;

  @Field(() => Int, { description: 'Data rows read so far.' })
  rows: number;

  @Field(() => Int)
  badRows: number;
}

@Resolver()
export class ImportExportResolver {
  constructor(
    private readonly exports: CustomerExportService,
    private readonly jobs: ImportJobsService,
  ) {}

  @Allow(Role.ADMIN, Role.COMPLIANCE)
  @Query(() => JSONScalar, {
    description:
      'Everything this node holds about one customer, as one JSON document (GDPR Art. 15 and 20): profile, ' +
      'e-mails, phones, companies, interactions, care cases with feedback, orders with lines, converted leads.',
  })
  exportCustomer(@Args('id', { type: () => ID }) id: string): Promise<CustomerExport> {
    return this.exports.export(id);
  }

  @Allow(Role.ADMIN)
  @Query(() => ImportProgressView, {
    description:
      "Progress of one of the caller's CSV uploads (kept 10 minutes after it ends); NOT_FOUND for another's.",
  })
  importProgress(
    @Args('jobId', { type: () => ID }) jobId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): ImportProgressView {
    const job = this.jobs.get(jobId, user.id);
    return {
      jobId: job.jobId,
      kind: job.kind,
      phase: job.phase,
      dryRun: job.dryRun,
      totalBytes: job.totalBytes,
      bytesRead: job.bytesRead,
      rows: job.rows,
      badRows: job.badRows,
    };
  }
}
