import {
  Args,
  Context,
  Field,
  ID,
  Int,
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
import { Customer } from '../customers/customer.entity.js';
import { CustomersService } from '../customers/customers.service.js';
import { Role } from '../users/role.js';
import { Segment, SegmentMember, SegmentRuleScalar, SegmentSizePoint } from './segment.entity.js';
import {
  CreateSegmentInput,
  CsvLineError,
  ImportSegmentMembersInput,
  SegmentListEditInput,
  SegmentMembersArgs,
  SegmentsArgs,
  SizeHistoryArgs,
  UpdateSegmentInput,
} from './segments.dto.js';
import { SegmentListsService } from './segment-lists.service.js';
import { SegmentsService } from './segments.service.js';

/**
 * Roles: marketers and admins define and edit segments; compliance officers read them (rules,
 * sizes and members); care agents have no access (segments are marketing data, outside their
 * purpose).
 */
export const SEGMENT_READERS = [Role.ADMIN, Role.MARKETER, Role.COMPLIANCE];
export const SEGMENT_WRITERS = [Role.ADMIN, Role.MARKETER];

@ObjectType()
export class SegmentConnection extends Connection(Segment) {}

@ObjectType()
export class SegmentMemberConnection extends Connection(SegmentMember) {}

@ObjectType()
export class SegmentPreview {
  @Field(() => Int, { description: 'Customers the rule selects now.' })
  size: number;
}

@ObjectType({ description: 'What a CSV of external ids did to a static list: all lines added, or none.' })
export class SegmentMemberImport {
  @Field(() => Segment)
  segment: Segment;
  @Field(() => Int, { description: 'Customers added (already members are not counted).' })
  added: number;
  @Field(() => [CsvLineError], { description: 'Refused lines; when any, nothing was added.' })
  errors: CsvLineError[];
}

@ObjectType()
export class SegmentRefreshRequest {
  @Field(() => ID)
  segmentId: string;
  @Field({ description: 'The queue job; the refresh is done when segment.refreshPending is false.' })
  jobId: string;
}

@Allow(...SEGMENT_READERS)
@Resolver(() => Segment)
export class SegmentsResolver {
  constructor(
    private readonly service: SegmentsService,
    private readonly lists: SegmentListsService,
  ) {}

  @Query(() => Segment, { description: 'A segment; NOT_FOUND when unknown.' })
  segment(@Args('id', { type: () => ID }) id: string): Promise<Segment> {
    return this.service.get(id);
  }

  @Query(() => SegmentConnection, { description: 'Segments, newest first.' })
  segments(@Args() args: SegmentsArgs): Promise<ConnectionShape<Segment>> {
    return this.service.list(args);
  }

  @Allow(...SEGMENT_WRITERS)
  @Query(() => SegmentPreview, {
    description: 'Validates a rule and counts the customers it selects now; writes nothing.',
  })
  async previewSegmentRule(
    @Args('rule', { type: () => SegmentRuleScalar }) rule: unknown,
  ): Promise<SegmentPreview> {
    return { size: await this.service.preview(rule) };
  }

  @Allow(...SEGMENT_WRITERS)
  @Mutation(() => Segment, { description: 'A RULE segment is refreshed through the queue at once.' })
  createSegment(
    @Args('input') input: CreateSegmentInput,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<Segment> {
    return this.service.create(input, user.id);
  }

  @Allow(...SEGMENT_WRITERS)
  @Mutation(() => Segment, { description: 'Partial update; a new rule gets a new version and a refresh.' })
  updateSegment(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateSegmentInput,
  ): Promise<Segment> {
    return this.service.update(id, input);
  }

  @Allow(...SEGMENT_WRITERS)
  @Mutation(() => Boolean, { description: 'CONFLICT while campaigns target the segment.' })
  async deleteSegment(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    await this.service.delete(id);
    return true;
  }

  @Allow(...SEGMENT_WRITERS)
  @Mutation(() => SegmentRefreshRequest, { description: 'Queues a refresh of a RULE segment.' })
  async refreshSegment(@Args('id', { type: () => ID }) id: string): Promise<SegmentRefreshRequest> {
    return { segmentId: id, jobId: await this.service.requestRefresh(id) };
  }

  @Allow(...SEGMENT_WRITERS)
  @Mutation(() => Segment, { description: 'Adds customers to a STATIC segment (idempotent).' })
  addSegmentMembers(@Args('input') input: SegmentListEditInput): Promise<Segment> {
    return this.lists.addMembers(input);
  }

  @Allow(...SEGMENT_WRITERS)
  @Mutation(() => SegmentMemberImport, {
    description:
      'Adds the customers of a CSV of external ids to a STATIC segment; a refused line (reported with its number) means nothing is added.',
  })
  importSegmentMembers(@Args('input') input: ImportSegmentMembersInput): Promise<SegmentMemberImport> {
    return this.lists.importMembers(input);
  }

  @Allow(...SEGMENT_WRITERS)
  @Mutation(() => Segment, { description: 'Removes customers from a STATIC segment (idempotent).' })
  removeSegmentMembers(@Args('input') input: SegmentListEditInput): Promise<Segment> {
    return this.lists.removeMembers(input);
  }

  @ResolveField(() => Boolean, { description: 'A refresh was asked for and has not run yet.' })
  refreshPending(@Parent() segment: Segment): boolean {
    const requested = segment.refreshRequestedAt?.getTime();
    return (
      requested !== undefined && (segment.refreshedAt === null || segment.refreshedAt.getTime() < requested)
    );
  }

  @ResolveField(() => SegmentMemberConnection, { description: 'Live members, most recently added first.' })
  members(
    @Parent() segment: Segment,
    @Args() args: SegmentMembersArgs,
  ): Promise<ConnectionShape<SegmentMember>> {
    return this.service.listMembers(segment.id, args);
  }

  @ResolveField(() => [SegmentSizePoint], {
    description: 'Sizes after each refresh or list change, oldest first.',
  })
  async sizeHistory(
    @Parent() segment: Segment,
    @Args() args: SizeHistoryArgs,
    @Context() ctx: LoaderContext,
  ): Promise<SegmentSizePoint[]> {
    const key = `segments.sizeHistory:${args.from?.toISOString() ?? ''}:${args.to?.toISOString() ?? ''}`;
    return loader<string, SegmentSizePoint[]>(ctx, key, async (ids) =>
      groupByKey(ids, await this.service.sizeHistory(ids, args.from, args.to), (p) => p.segmentId),
    ).load(segment.id);
  }
}

@Allow(...SEGMENT_READERS)
@Resolver(() => SegmentMember)
export class SegmentMembersResolver {
  constructor(private readonly customers: CustomersService) {}

  @ResolveField(() => Customer, { nullable: true, description: 'Null when the customer was deleted since.' })
  customer(@Parent() member: SegmentMember, @Context() ctx: LoaderContext): Promise<Customer | undefined> {
    return loader<string, Customer | undefined>(ctx, 'segments.customerById', async (ids) =>
      byKey(ids, await this.customers.findByIds(ids), (c) => c.id),
    ).load(member.customerId);
  }
}
