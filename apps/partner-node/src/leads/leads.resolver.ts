import {
  Args,
  Context,
  Field,
  ID,
  Mutation,
  ObjectType,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { Allow } from '#platform/auth/allow.decorator';
import { Connection, type ConnectionShape } from '#platform/graphql/connection';
import type { LoaderContext } from '#platform/graphql/loaders';
import { Customer } from '../customers/customer.entity.js';
import { CustomersService } from '../customers/customers.service.js';
import { loadCustomer } from '../customers/customer-loader.js';
import { loadUser } from '../users/user-loader.js';
import { Role } from '../users/role.js';
import { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { Lead } from './lead.entity.js';
import { CreateLeadInput, LeadsArgs, UpdateLeadInput } from './leads.dto.js';
import { LeadsService } from './leads.service.js';

/** Marketers work the leads; compliance officers read them. */
export const LEAD_READERS = [Role.ADMIN, Role.MARKETER, Role.COMPLIANCE];
export const LEAD_WRITERS = [Role.ADMIN, Role.MARKETER];

@ObjectType()
export class LeadConnection extends Connection(Lead) {}

@ObjectType()
export class LeadConversionResult {
  @Field(() => Lead)
  lead: Lead;
  @Field(() => Customer)
  customer: Customer;
  @Field({ description: 'True when a new customer was made from the lead; false when one was linked.' })
  createdCustomer: boolean;
}

@Allow(...LEAD_READERS)
@Resolver(() => Lead)
export class LeadsResolver {
  constructor(
    private readonly service: LeadsService,
    private readonly customers: CustomersService,
    private readonly users: UsersService,
  ) {}

  @Query(() => Lead, { description: 'A lead; NOT_FOUND when unknown.' })
  lead(@Args('id', { type: () => ID }) id: string): Promise<Lead> {
    return this.service.get(id);
  }

  @Query(() => LeadConnection, { description: 'Leads, filtered and sorted, one keyset page at a time.' })
  leads(@Args() args: LeadsArgs): Promise<ConnectionShape<Lead>> {
    return this.service.list(args.filter, args.sort, { first: args.first, after: args.after });
  }

  @Allow(...LEAD_WRITERS)
  @Mutation(() => Lead)
  createLead(@Args('input') input: CreateLeadInput): Promise<Lead> {
    return this.service.create(input);
  }

  @Allow(...LEAD_WRITERS)
  @Mutation(() => Lead, { description: 'Partial update; the status cannot be set to CONVERTED here.' })
  updateLead(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateLeadInput,
  ): Promise<Lead> {
    return this.service.update(id, input);
  }

  @Allow(...LEAD_WRITERS)
  @Mutation(() => LeadConversionResult, {
    description:
      'Makes a customer from the lead (or links the existing customer `customerId`) and marks the lead ' +
      'CONVERTED, in one transaction.',
  })
  convertLead(
    @Args('id', { type: () => ID }) id: string,
    @Args('customerId', { type: () => ID, nullable: true }) customerId?: string,
  ): Promise<LeadConversionResult> {
    return this.service.convert(id, customerId);
  }

  @ResolveField(() => User, { nullable: true, description: 'The user who works the lead.' })
  owner(@Parent() lead: Lead, @Context() ctx: LoaderContext): Promise<User | null> {
    return loadUser(ctx, this.users, lead.ownerId);
  }

  @ResolveField(() => Customer, { nullable: true, description: 'The customer it was converted into.' })
  customer(@Parent() lead: Lead, @Context() ctx: LoaderContext): Promise<Customer | null> {
    return loadCustomer(ctx, this.customers, lead.customerId);
  }
}
