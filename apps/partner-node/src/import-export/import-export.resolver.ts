import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '#platform/auth/allow.decorator';
import { Role } from '../users/role.js';
import { CustomerExportService, type CustomerExport } from './customer-export.service.js';
import { JSONScalar } from './json.scalar.js';

@Resolver()
export class ImportExportResolver {
  constructor(private readonly exports: CustomerExportService) {}

  @Allow(Role.ADMIN, Role.COMPLIANCE)
  @Query(() => JSONScalar, {
    description:
      'Everything this node holds about one customer, as one JSON document (GDPR Art. 15 and 20): profile, ' +
      'e-mails, phones, companies, interactions, care cases with feedback, orders with lines, converted leads.',
  })
  exportCustomer(@Args('id', { type: () => ID }) id: string): Promise<CustomerExport> {
    return this.exports.export(id);
  }
}
