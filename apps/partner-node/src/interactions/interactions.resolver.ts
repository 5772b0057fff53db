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
import { Connection, type ConnectionShape } from '#platform/graphql/connection';
import { byKey, groupByKey, loader, type LoaderContext } from '#platform/graphql/loaders';
import { CareCase } from '../care-cases/care-case.entity.js';
import { CARE_READERS, CARE_WRITERS } from '../care-cases/care-cases.resolver.js';
import { CareCasesService } from '../care-cases/care-cases.service.js';
import { Customer } from '../customers/customer.entity.js';
import { CustomersService } from '../customers/customers.service.js';
import { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { loadCustomer } from '../customers/customer-loader.js';
import { loadUser } from '../users/user-loader.js';
import { Interaction } from './interaction.entity.js';
import { CreateInteractionInput, InteractionsArgs, UpdateInteractionInput } from './interactions.dto.js';
import { InteractionsService, MAX_CASE_INTERACTIONS } from './interactions.service.js';

@ObjectType()
export class InteractionConnection extends Connection(Interaction) {}

/** Interactions: customer care reads and writes them, compliance officers read them. */
@Allow(...CARE_READERS)
@Resolver(() => Interaction)
export class InteractionsResolver {
  constructor(
    private readonly service: InteractionsService,
    private readonly cases: CareCasesService,
    private readonly customers: CustomersService,
    private readonly users: UsersService,
  ) {}

  @Query(() => Interaction, { description: 'An interaction; NOT_FOUND when unknown.' })
  interaction(@Args('id', { type: () => ID }) id: string): Promise<Interaction> {
    return this.service.get(id);
  }

  @Query(() => InteractionConnection, {
    description:
      'Interactions (of a customer, a case, an agent…), newest first by default, one keyset page at a time.',
  })
  interactions(@Args() args: InteractionsArgs): Promise<ConnectionShape<Interaction>> {
    return this.service.list(args.filter, args.sort, { first: args.first, after: args.after });
  }

  @Allow(...CARE_WRITERS)
  @Mutation(() => Interaction, {
    description: 'Records a contact with a customer; the agent defaults to the caller.',
  })
  createInteraction(
    @Args('input') input: CreateInteractionInput,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<Interaction> {
    return this.service.create(input, user.id);
  }

  @Allow(...CARE_WRITERS)
  @Mutation(() => Interaction, { description: 'Partial update; the customer does not change.' })
  updateInteraction(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateInteractionInput,
  ): Promise<Interaction> {
    return this.service.update(id, input);
  }

  @ResolveField(() => Customer)
  async customer(@Parent() interaction: Interaction, @Context() ctx: LoaderContext): Promise<Customer> {
    return (await loadCustomer(ctx, this.customers, interaction.customerId))!;
  }

  @ResolveField(() => User, { nullable: true, description: 'The user who handled the contact.' })
  agent(@Parent() interaction: Interaction, @Context() ctx: LoaderContext): Promise<User | null> {
    return loadUser(ctx, this.users, interaction.agentId);
  }

  @ResolveField(() => CareCase, { nullable: true, description: 'The care case it belongs to.' })
  async careCase(
    @Parent() interaction: Interaction,
    @Context() ctx: LoaderContext,
  ): Promise<CareCase | null> {
    if (!interaction.careCaseId) return null;
    const found = await loader<string, CareCase | undefined>(ctx, 'careCases.byId', async (ids) =>
      byKey(ids, await this.cases.findByIds(ids), (c) => c.id),
    ).load(interaction.careCaseId);
    return found ?? null;
  }
}

/** Adds `CareCase.interactions` (kept here so that the care-cases module does not depend on this one). */
@Allow(...CARE_READERS)
@Resolver(() => CareCase)
export class CareCaseInteractionsResolver {
  constructor(private readonly service: InteractionsService) {}

  @ResolveField(() => [Interaction], {
    description: `The case's interactions, newest first (at most ${MAX_CASE_INTERACTIONS}).`,
  })
  interactions(@Parent() careCase: CareCase, @Context() ctx: LoaderContext): Promise<Interaction[]> {
    return loader<string, Interaction[]>(ctx, 'interactions.ofCareCase', async (ids) =>
      groupByKey(ids, await this.service.ofCareCases(ids), (i) => i.careCaseId!),
    ).load(careCase.id);
  }
}
