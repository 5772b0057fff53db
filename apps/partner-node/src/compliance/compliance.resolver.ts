import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow, CurrentUser, type AuthenticatedUser } from '#platform/auth/allow.decorator';
import { EXPENSIVE_FIELD_COST } from '#platform/graphql/query-limits';
import { type ConnectionShape, PageArgs } from '#platform/graphql/connection';
import { loader, type LoaderContext } from '#platform/graphql/loaders';
import { Role } from '../users/role.js';
import { AccessReportService } from './access-report.service.js';
import { ComplianceAuditService } from './compliance-audit.service.js';
import { ComplianceCustomerArgs, EraseCustomerArgs, ErasureRequestArgs } from './compliance.dto.js';
import {
  ComplianceTrustAnchors,
  ComplianceViolationReport,
  CustomerAccessReport,
  CustomerConsentHistory,
  CustomerDataFlows,
  ErasurePurgeStatus,
  ErasureRecipient,
  ErasureRequest,
  ErasureRequestConnection,
  RecordsOfProcessing,
} from './compliance.types.js';
import { ErasureService } from './erasure.service.js';

/** The compliance officer's audits (admins may run them too). Nothing here shows shared data to agents. */
@Allow(Role.COMPLIANCE, Role.ADMIN)
@Resolver(() => ErasureRequest)
export class ComplianceResolver {
  constructor(
    private readonly audits: ComplianceAuditService,
    private readonly reports: AccessReportService,
    private readonly erasures: ErasureService,
  ) {}

  @Query(() => CustomerConsentHistory, {
    description:
      "A customer's consents: every signed receipt and withdrawal, the notice version, and its ledger inclusion proof against a signed checkpoint.",
  })
  customerConsentHistory(@Args() args: ComplianceCustomerArgs): Promise<CustomerConsentHistory> {
    return this.audits.consentHistory(args.customerId);
  }

  @Query(() => ComplianceTrustAnchors, {
    description:
      "The federation's public keys and signed membership statements as this node holds them, for the console to verify proofs and receipts in the browser against the federation keys the officer pinned.",
  })
  complianceTrustAnchors(): Promise<ComplianceTrustAnchors> {
    return this.audits.trustAnchors();
  }

  @Query(() => CustomerDataFlows, {
    complexity: EXPENSIVE_FIELD_COST,
    description:
      "Where did this customer's data go: every share (recipient, time, categories, consent, purge) and every agent access to shared data here.",
  })
  customerDataFlows(@Args() args: ComplianceCustomerArgs): Promise<CustomerDataFlows> {
    return this.reports.dataFlows(args.customerId);
  }

  @Query(() => ComplianceViolationReport, {
    complexity: EXPENSIVE_FIELD_COST,
    description:
      'Shares after a withdrawal, without a live consent, outside the consent or the agreement; unconfirmed purges; copies held past withdrawal, agreement or retention; accesses after withdrawal. Expected: empty.',
  })
  complianceViolations(): Promise<ComplianceViolationReport> {
    return this.audits.violations();
  }

  @Query(() => RecordsOfProcessing, {
    complexity: EXPENSIVE_FIELD_COST,
    description: 'GDPR Art. 30 records of processing, generated from the agreements, consents and ledger.',
  })
  recordsOfProcessing(): Promise<RecordsOfProcessing> {
    return this.audits.recordsOfProcessing();
  }

  @Query(() => CustomerAccessReport, {
    complexity: EXPENSIVE_FIELD_COST,
    description:
      'GDPR Art. 15: everything held and shared about a customer (data, consents, shares, accesses, received copies), as JSON and as a self-contained HTML page.',
  })
  async customerAccessReport(@Args() args: ComplianceCustomerArgs): Promise<CustomerAccessReport> {
    const report = await this.reports.report(args.customerId);
    return { json: report as unknown as Record<string, unknown>, html: this.reports.html(report) };
  }

  @Mutation(() => ErasureRequest, {
    description:
      "GDPR Art. 17: in one transaction, withdraws the customer's consents (purging every recipient), deletes their personal data and leaves a tombstone.",
  })
  eraseCustomer(
    @Args() args: EraseCustomerArgs,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ErasureRequest> {
    return this.erasures.erase(args.customerId, args.reason, user.id);
  }

  @Query(() => ErasureRequest)
  erasureRequest(@Args() args: ErasureRequestArgs): Promise<ErasureRequest> {
    return this.erasures.get(args.id);
  }

  @Query(() => ErasureRequestConnection, { description: 'Erasures at this node, newest first.' })
  erasureRequests(@Args() page: PageArgs): Promise<ConnectionShape<ErasureRequest>> {
    return this.erasures.list(page);
  }

  @ResolveField(() => [ErasureRecipient], {
    description: 'Per consent and recipient: whether the signed purge receipt came back.',
  })
  recipients(@Parent() request: ErasureRequest, @Context() ctx: LoaderContext): Promise<ErasureRecipient[]> {
    return loader<ErasureRequest, ErasureRecipient[]>(ctx, 'erasureRecipients', (requests) =>
      this.erasures.recipients(requests),
    ).load(request);
  }

  @ResolveField(() => Boolean, {
    description: 'True when every recipient confirmed (or nothing was shared).',
  })
  async complete(@Parent() request: ErasureRequest, @Context() ctx: LoaderContext): Promise<boolean> {
    const recipients = await this.recipients(request, ctx);
    return recipients.every((r) => r.status !== ErasurePurgeStatus.REQUESTED);
  }
}
