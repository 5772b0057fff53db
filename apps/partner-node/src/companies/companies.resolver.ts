import {
  Args,
  Context,
  ID,
  Mutation,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { Allow } from '#platform/auth/allow.decorator';
import { NotFoundError } from '#platform/errors/app-errors';
import { Connection, type ConnectionShape } from '#platform/graphql/connection';
import { byKey, groupByKey, loader, type LoaderContext } from '#platform/graphql/loaders';
import { Customer } from '../customers/customer.entity.js';
import { CUSTOMER_READERS, CUSTOMER_WRITERS } from '../customers/customers.resolver.js';
import { CustomersService } from '../customers/customers.service.js';
import { Role } from '../users/role.js';
import {
  CompaniesArgs,
  CreateCompanyInput,
  LinkCustomerArgs,
  UnlinkCustomerArgs,
  UpdateCompanyInput,
} from './companies.dto.js';
import { CompaniesService } from './companies.service.js';
import { Company, CompanyMembership } from './company.entity.js';

export const COMPANY_READERS = [Role.ADMIN, Role.AGENT, Role.MARKETER, Role.COMPLIANCE];
export const COMPANY_WRITERS = [Role.ADMIN, Role.AGENT, Role.MARKETER];

@ObjectType()
export class CompanyConnection extends Connection(Company) {}

const companyLoader = (ctx: LoaderContext, companies: CompaniesService) =>
  loader<string, Company | undefined>(ctx, 'companies.byId', async (ids) =>
    byKey(ids, await companies.findByIds(ids), (c) => c.id),
  );

@Allow(...COMPANY_READERS)
@Resolver(() => Company)
export class CompaniesResolver {
  constructor(private readonly service: CompaniesService) {}

  @Query(() => Company, { description: 'A company; NOT_FOUND when unknown.' })
  company(@Args('id', { type: () => ID }) id: string): Promise<Company> {
    return this.service.get(id);
  }

  @Query(() => CompanyConnection, {
    description: 'Companies, filtered and sorted, one keyset page at a time.',
  })
  companies(@Args() args: CompaniesArgs): Promise<ConnectionShape<Company>> {
    return this.service.list(args.filter, args.sort, { first: args.first, after: args.after });
  }

  @Allow(...COMPANY_WRITERS)
  @Mutation(() => Company)
  createCompany(@Args('input') input: CreateCompanyInput): Promise<Company> {
    return this.service.create(input);
  }

  @Allow(...COMPANY_WRITERS)
  @Mutation(() => Company, { description: 'Partial update; nullable fields set to null are cleared.' })
  updateCompany(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateCompanyInput,
  ): Promise<Company> {
    return this.service.update(id, input);
  }

  @Allow(...COMPANY_WRITERS)
  @Mutation(() => Boolean, { description: 'Deletes the company and its links; the customers stay.' })
  async deleteCompany(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    await this.service.delete(id);
    return true;
  }

  // Linking changes what is known about a customer: customer writers only.
  @Allow(...CUSTOMER_WRITERS)
  @Mutation(() => CompanyMembership, {
    description: 'Links a customer to a company; linking again changes the role.',
  })
  linkCustomerToCompany(@Args() args: LinkCustomerArgs): Promise<CompanyMembership> {
    return this.service.link(args.customerId, args.companyId, args.role);
  }

  @Allow(...CUSTOMER_WRITERS)
  @Mutation(() => Boolean)
  async unlinkCustomerFromCompany(@Args() args: UnlinkCustomerArgs): Promise<boolean> {
    await this.service.unlink(args.customerId, args.companyId);
    return true;
  }

  @Allow(...CUSTOMER_READERS)
  @ResolveField(() => [CompanyMembership], {
    description:
      'Its customers with their roles, newest first (at most 200; use customers(filter: {companyId}) for all).',
  })
  customers(@Parent() company: Company, @Context() ctx: LoaderContext): Promise<CompanyMembership[]> {
    return loader<string, CompanyMembership[]>(ctx, 'companies.members', async (ids) =>
      groupByKey(ids, await this.service.membershipsOfCompanies(ids), (m) => m.companyId),
    ).load(company.id);
  }
}

@Allow(...COMPANY_READERS)
@Resolver(() => CompanyMembership)
export class CompanyMembershipResolver {
  constructor(
    private readonly companies: CompaniesService,
    private readonly customers: CustomersService,
  ) {}

  @ResolveField(() => Company)
  async company(@Parent() membership: CompanyMembership, @Context() ctx: LoaderContext): Promise<Company> {
    const company = await companyLoader(ctx, this.companies).load(membership.companyId);
    if (!company) throw new NotFoundError('Company', membership.companyId);
    return company;
  }

  @Allow(...CUSTOMER_READERS)
  @ResolveField(() => Customer)
  async customer(@Parent() membership: CompanyMembership, @Context() ctx: LoaderContext): Promise<Customer> {
    const customer = await loader<string, Customer | undefined>(ctx, 'companies.customerById', async (ids) =>
      byKey(ids, await this.customers.findByIds(ids), (c) => c.id),
    ).load(membership.customerId);
    if (!customer) throw new NotFoundError('Customer', membership.customerId);
    return customer;
  }
}

/** Customer.companies lives here so that customers do not depend on companies. */
@Allow(...CUSTOMER_READERS)
@Resolver(() => Customer)
export class CustomerCompaniesResolver {
  constructor(private readonly service: CompaniesService) {}

  @ResolveField(() => [CompanyMembership], {
    description: 'The companies this customer belongs to, with their role.',
  })
  companies(@Parent() customer: Customer, @Context() ctx: LoaderContext): Promise<CompanyMembership[]> {
    return loader<string, CompanyMembership[]>(ctx, 'companies.ofCustomer', async (ids) =>
      groupByKey(ids, await this.service.membershipsOfCustomers(ids), (m) => m.customerId),
    ).load(customer.id);
  }
}
