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
import { Connection, type ConnectionShape } from '#platform/graphql/connection';
import type { LoaderContext } from '#platform/graphql/loaders';
import { Customer } from '../customers/customer.entity.js';
import { CustomersService } from '../customers/customers.service.js';
import { loadCustomer } from '../customers/customer-loader.js';
import { loadUser } from '../users/user-loader.js';
import { Role } from '../users/role.js';
import { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { CareCase } from './care-case.entity.js';
import {
  CareCaseFeedbackInput,
  CareCasesArgs,
  ChangeCareCaseStatusInput,
  CreateCareCaseInput,
  UpdateCareCaseInput,
} from './care-cases.dto.js';
import { CareCasesService } from './care-cases.service.js';

/** Customer care reads and writes cases; compliance officers read them. */
export const CARE_READERS = [Role.ADMIN, Role.AGENT, Role.COMPLIANCE];
export const CARE_WRITERS = [Role.ADMIN, Role.AGENT];

@ObjectType()
export class CareCaseConnection extends Connection(CareCase) {}

@Allow(...CARE_READERS)
@Resolver(() => CareCase)
export class CareCasesResolver {
  constructor(
    private readonly service: CareCasesService,
    private readonly customers: CustomersService,
    private readonly users: UsersService,
  ) {}

  @Query(() => CareCase, { description: 'A care case; NOT_FOUND when unknown.' })
  careCase(@Args('id', { type: () => ID }) id: string): Promise<CareCase> {
    return this.service.get(id);
  }

  @Query(() => CareCaseConnection, {
    description: 'Care cases, filtered and sorted, one keyset page at a time.',
  })
  careCases(@Args() args: CareCasesArgs): Promise<ConnectionShape<CareCase>> {
    return this.service.list(args.filter, args.sort, { first: args.first, after: args.after });
  }

  @Allow(...CARE_WRITERS)
  @Mutation(() => CareCase, { description: 'Opens a case (status OPEN) for a customer.' })
  createCareCase(@Args('input') input: CreateCareCaseInput): Promise<CareCase> {
    return this.service.create(input);
  }

  @Allow(...CARE_WRITERS)
  @Mutation(() => CareCase, {
    description: 'Partial update of subject, description, priority, category, due time, assignee.',
  })
  updateCareCase(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateCareCaseInput,
  ): Promise<CareCase> {
    return this.service.update(id, input);
  }

  @Allow(...CARE_WRITERS)
  @Mutation(() => CareCase, {
    description:
      'OPEN → PENDING | RESOLVED | CLOSED; PENDING → OPEN | RESOLVED | CLOSED; RESOLVED → CLOSED | OPEN; ' +
      'CLOSED → OPEN. Resolving needs a resolution text.',
  })
  changeCareCaseStatus(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: ChangeCareCaseStatusInput,
  ): Promise<CareCase> {
    return this.service.changeStatus(id, input);
  }

  @Allow(...CARE_WRITERS)
  @Mutation(() => CareCase, {
    description: "Records the customer's satisfaction (1–5) and comment on a RESOLVED or CLOSED case.",
  })
  recordCareCaseFeedback(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: CareCaseFeedbackInput,
  ): Promise<CareCase> {
    return this.service.recordFeedback(id, input);
  }

  @ResolveField(() => Customer)
  async customer(@Parent() careCase: CareCase, @Context() ctx: LoaderContext): Promise<Customer> {
    return (await loadCustomer(ctx, this.customers, careCase.customerId))!;
  }

  @ResolveField(() => User, { nullable: true, description: 'The user who handles the case.' })
  assignee(@Parent() careCase: CareCase, @Context() ctx: LoaderContext): Promise<User | null> {
    return loadUser(ctx, this.users, careCase.assigneeId);
  }

  @ResolveField(() => Boolean, { description: 'OPEN or PENDING and past its due time.' })
  overdue(@Parent() careCase: CareCase): boolean {
    return (
      (careCase.status === 'open' || careCase.status === 'pending') &&
      careCase.dueAt !== null &&
      careCase.dueAt.getTime() < Date.now()
    );
  }
}
