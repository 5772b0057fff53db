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
import { byKey, loader, type LoaderContext } from '#platform/graphql/loaders';
import { ConflictError } from '#platform/errors/app-errors';
import { getLogger } from '#platform/logging/logger';
import { isUnavailable } from '../network/federation-errors.js';
import { Segment } from '../segments/segment.entity.js';
import { SegmentsService } from '../segments/segments.service.js';
import { Role } from '../users/role.js';
import { SegmentMerge, SegmentMergeCounts } from './segment-merge.entity.js';
import {
  AcceptSegmentMergeInput,
  MaterialiseMergedSegmentInput,
  ProposeSegmentMergeInput,
  SegmentMergesArgs,
} from './segment-merges.dto.js';
import { MergeSyncService } from './merge-sync.service.js';
import { MergedSegmentsService } from './merged-segments.service.js';
import { SegmentMergesService } from './segment-merges.service.js';

@ObjectType()
export class SegmentMergeConnection extends Connection(SegmentMerge) {}

@ObjectType({ description: 'An agreement a segment merge can be proposed under.' })
export class MergeAgreement {
  @Field()
  agreementId: string;
  @Field({ description: 'The partner on the other side.' })
  partnerId: string;
  @Field(() => Int, { description: 'Overlap counts below it are suppressed.' })
  minCohortSize: number;
}

/** Marketers (and admins) merge segments with partners; compliance officers read merges (audit). */
export const MERGE_READERS = [Role.ADMIN, Role.MARKETER, Role.COMPLIANCE];
export const MERGE_WRITERS = [Role.ADMIN, Role.MARKETER];

@Allow(...MERGE_READERS)
@Resolver(() => SegmentMerge)
export class SegmentMergesResolver {
  constructor(
    private readonly merges: SegmentMergesService,
    private readonly sync: MergeSyncService,
    private readonly merged: MergedSegmentsService,
    private readonly segments: SegmentsService,
  ) {}

  @Query(() => SegmentMergeConnection, {
    description:
      'Our merges, newest first (incoming: true for proposals from partners). Synchronises with the federation first when it answers.',
  })
  async segmentMerges(@Args() args: SegmentMergesArgs): Promise<ConnectionShape<SegmentMerge>> {
    // Best effort: without the federation (or before membership) the local list is still right.
    await this.sync.sync().catch((error: unknown) => {
      if (!isUnavailable(error) && !(error instanceof ConflictError)) throw error;
      getLogger().info(
        { code: (error as { code?: string }).code },
        'segment merges listed without synchronising',
      );
    });
    return this.merges.list(args);
  }

  @Allow(...MERGE_WRITERS)
  @Query(() => [MergeAgreement], {
    description:
      'Active mutual agreements covering marketing and segment membership: what a merge can be proposed under.',
  })
  async mergeAgreements(): Promise<MergeAgreement[]> {
    return (await this.merges.mergeableAgreements()).map((a) => ({
      agreementId: a.agreementId,
      partnerId: a.partnerId,
      minCohortSize: a.minCohortSize,
    }));
  }

  @Query(() => SegmentMerge, { description: 'A merge; NOT_FOUND when unknown.' })
  segmentMerge(@Args('id', { type: () => ID }) id: string): Promise<SegmentMerge> {
    return this.merges.get(id);
  }

  @Allow(...MERGE_WRITERS)
  @Mutation(() => SegmentMerge, {
    description:
      'Proposes to merge our segment with the partner of an active mutual agreement covering marketing and segment membership.',
  })
  proposeSegmentMerge(
    @Args('input') input: ProposeSegmentMergeInput,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<SegmentMerge> {
    return this.merges.propose(input, user.id);
  }

  @Allow(...MERGE_WRITERS)
  @Mutation(() => SegmentMerge, {
    description:
      'Accepts an incoming proposal naming our segment; the manifests are then built and sent by a queue job.',
  })
  acceptSegmentMerge(@Args('input') input: AcceptSegmentMergeInput): Promise<SegmentMerge> {
    return this.merges.accept(input);
  }

  @Allow(...MERGE_WRITERS)
  @Mutation(() => SegmentMerge, {
    description:
      'Declines an incoming proposal: it ends FAILED with error "declined"; nothing is sent to the federation.',
  })
  declineSegmentMerge(@Args('mergeId', { type: () => ID }) mergeId: string): Promise<SegmentMerge> {
    return this.merges.decline(mergeId);
  }

  @Allow(...MERGE_WRITERS)
  @Mutation(() => Segment, {
    description:
      'Creates a MERGED segment: our customers in the intersection whom both sides consented to share.',
  })
  materialiseMergedSegment(
    @Args('input') input: MaterialiseMergedSegmentInput,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<Segment> {
    return this.merged.materialise(input, user.id);
  }

  @Allow(...MERGE_WRITERS)
  @Mutation(() => Segment, {
    description:
      'Recomputes a MERGED segment now: subjects whose consent was withdrawn (here or at the partner) leave it.',
  })
  refreshMergedSegment(@Args('segmentId', { type: () => ID }) segmentId: string): Promise<Segment> {
    return this.merged.refreshMerged(segmentId);
  }

  @ResolveField(() => SegmentMergeCounts, {
    nullable: true,
    description: 'The verified result, seen from this node (null until the result is in).',
  })
  counts(@Parent() merge: SegmentMerge): SegmentMergeCounts | null {
    return this.merges.counts(merge);
  }

  @ResolveField(() => String, {
    nullable: true,
    description:
      "The federation's public keys (JWKS JSON) this node verified resultJws with, so a browser can check it again; null until the result is in.",
  })
  federationJwks(@Parent() merge: SegmentMerge): Promise<string> | null {
    return merge.resultJws ? this.merges.federationJwks() : null;
  }

  @ResolveField(() => Segment, { nullable: true, description: 'Our segment in the merge.' })
  segment(@Parent() merge: SegmentMerge, @Context() ctx: LoaderContext): Promise<Segment | undefined> | null {
    return merge.segmentId ? this.segmentById(ctx).load(merge.segmentId) : null;
  }

  @ResolveField(() => Segment, { nullable: true, description: 'The MERGED segment, once materialised.' })
  mergedSegment(
    @Parent() merge: SegmentMerge,
    @Context() ctx: LoaderContext,
  ): Promise<Segment | undefined> | null {
    return merge.mergedSegmentId ? this.segmentById(ctx).load(merge.mergedSegmentId) : null;
  }

  private segmentById(ctx: LoaderContext) {
    return loader<string, Segment | undefined>(ctx, 'segmentMerges.segmentById', async (ids) =>
      byKey(ids, await this.segments.findByIds(ids), (s) => s.id),
    );
  }
}
