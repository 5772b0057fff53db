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
import { Allow, CurrentUser, type AuthenticatedUser } from '#platform/auth/allow.decorator';
import { EXPENSIVE_FIELD_COST } from '#platform/graphql/query-limits';
import { ForbiddenError } from '#platform/errors/app-errors';
import { Connection, type ConnectionShape } from '#platform/graphql/connection';
import { byKey, groupByKey, loader, type LoaderContext } from '#platform/graphql/loaders';
import { Role } from '../users/role.js';
import { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { Customer, CustomerEmail, CustomerPhone } from './customer.entity.js';
import {
  CreateCustomerInput,
  CustomersArgs,
  SearchCustomersArgs,
  UpdateCustomerInput,
} from './customers.dto.js';
import { CustomersService } from './customers.service.js';

export const CUSTOMER_READERS = [Role.ADMIN, Role.AGENT, Role.MARKETER, Role.COMPLIANCE];
export const CUSTOMER_WRITERS = [Role.ADMIN, Role.AGENT];

@ObjectType()
export class CustomerConnection extends Connection(Customer) {}

@Allow(...CUSTOMER_READERS)
@Resolver(() => Customer)
export class CustomersResolver {
  constructor(
    private readonly service: CustomersService,
    private readonly users: UsersService,
  ) {}

  @Query(() => Customer, { description: 'A customer; NOT_FOUND when unknown or deleted.' })
  customer(@Args('id', { type: () => ID }) id: string): Promise<Customer> {
    return this.service.get(id);
  }

  @Query(() => CustomerConnection, {
    description: 'Customers, filtered and sorted, one keyset page at a time.',
  })
  customers(
    @Args() args: CustomersArgs,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ConnectionShape<Customer>> {
    if (args.filter?.deleted && !user.roles.includes(Role.ADMIN)) {
      throw new ForbiddenError('Only admins list deleted customers', { field: 'filter.deleted' });
    }
    return this.service.list(args.filter, args.sort, { first: args.first, after: args.after });
  }

  @Query(() => [Customer], {
    complexity: EXPENSIVE_FIELD_COST,
    description:
      'Search by name (fragments and typos), e-mail or phone; exact e-mail or phone matches first.',
  })
  searchCustomers(@Args() args: SearchCustomersArgs): Promise<Customer[]> {
    return this.service.search(args.query, args.first);
  }

  @Allow(...CUSTOMER_WRITERS)
  @Mutation(() => Customer)
  createCustomer(@Args('input') input: CreateCustomerInput): Promise<Customer> {
    return this.service.create(input);
  }

  @Allow(...CUSTOMER_WRITERS)
  @Mutation(() => Customer, {
    description: 'Partial update; emails and phones, when given, replace the whole list.',
  })
  updateCustomer(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateCustomerInput,
  ): Promise<Customer> {
    return this.service.update(id, input);
  }

  @Allow(Role.ADMIN)
  @Mutation(() => Boolean, { description: 'Soft delete: hidden everywhere until an admin restores it.' })
  async deleteCustomer(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    await this.service.softDelete(id);
    return true;
  }

  @Allow(Role.ADMIN)
  @Mutation(() => Customer, { description: 'Brings back a deleted customer.' })
  restoreCustomer(@Args('id', { type: () => ID }) id: string): Promise<Customer> {
    return this.service.restore(id);
  }

  @ResolveField(() => String, { description: 'First and last name.' })
  displayName(@Parent() customer: Customer): string {
    return `${customer.firstName} ${customer.lastName}`;
  }

  @ResolveField(() => [CustomerEmail], { description: 'Primary first.' })
  emails(@Parent() customer: Customer, @Context() ctx: LoaderContext): Promise<CustomerEmail[]> {
    return loader<string, CustomerEmail[]>(ctx, 'customers.emails', async (ids) =>
      groupByKey(ids, await this.service.emailsOf(ids), (e) => e.customerId),
    ).load(customer.id);
  }

  @ResolveField(() => [CustomerPhone], { description: 'Primary first.' })
  phones(@Parent() customer: Customer, @Context() ctx: LoaderContext): Promise<CustomerPhone[]> {
    return loader<string, CustomerPhone[]>(ctx, 'customers.phones', async (ids) =>
      groupByKey(ids, await this.service.phonesOf(ids), (p) => p.customerId),
    ).load(customer.id);
  }

  @ResolveField(() => User, { nullable: true, description: 'The user who owns the relationship.' })
  async owner(@Parent() customer: Customer, @Context() ctx: LoaderContext): Promise<User | null> {
    if (!customer.ownerId) return null;
    const user = await loader<string, User | undefined>(ctx, 'customers.ownerById', async (ids) =>
      byKey(ids, await this.users.findByIds(ids), (u) => u.id),
    ).load(customer.ownerId);
    return user ?? null;
  }
}
