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
import { byKey, loader, type LoaderContext } from '#platform/graphql/loaders';
import { Segment } from '../segments/segment.entity.js';
import { SegmentsService } from '../segments/segments.service.js';
import { Role } from '../users/role.js';
import { Campaign, CampaignResults } from './campaign.entity.js';
import {
  CampaignResponseInput,
  CampaignsArgs,
  CreateCampaignInput,
  UpdateCampaignInput,
} from './campaigns.dto.js';
import { CampaignsService } from './campaigns.service.js';

/** Marketers and admins run campaigns; compliance officers read them; care agents have no access. */
export const CAMPAIGN_READERS = [Role.ADMIN, Role.MARKETER, Role.COMPLIANCE];
export const CAMPAIGN_WRITERS = [Role.ADMIN, Role.MARKETER];

@ObjectType()
export class CampaignConnection extends Connection(Campaign) {}

@Allow(...CAMPAIGN_READERS)
@Resolver(() => Campaign)
export class CampaignsResolver {
  constructor(
    private readonly service: CampaignsService,
    private readonly segments: SegmentsService,
  ) {}

  @Query(() => Campaign, { description: 'A campaign; NOT_FOUND when unknown.' })
  campaign(@Args('id', { type: () => ID }) id: string): Promise<Campaign> {
    return this.service.get(id);
  }

  @Query(() => CampaignConnection, { description: 'Campaigns, newest first.' })
  campaigns(@Args() args: CampaignsArgs): Promise<ConnectionShape<Campaign>> {
    return this.service.list(args);
  }

  @Allow(...CAMPAIGN_WRITERS)
  @Mutation(() => Campaign, { description: 'A DRAFT campaign on a segment of this node.' })
  createCampaign(
    @Args('input') input: CreateCampaignInput,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<Campaign> {
    return this.service.create(input, user.id);
  }

  @Allow(...CAMPAIGN_WRITERS)
  @Mutation(() => Campaign, { description: 'Edits a DRAFT campaign (CONFLICT once launched).' })
  updateCampaign(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateCampaignInput,
  ): Promise<Campaign> {
    return this.service.update(id, input);
  }

  @Allow(...CAMPAIGN_WRITERS)
  @Mutation(() => Campaign, { description: "Snapshots the segment's members as the audience (idempotent)." })
  launchCampaign(@Args('id', { type: () => ID }) id: string): Promise<Campaign> {
    return this.service.launch(id);
  }

  @Allow(...CAMPAIGN_WRITERS)
  @Mutation(() => Campaign, { description: 'Records a response of an audience member (idempotent).' })
  recordCampaignResponse(@Args('input') input: CampaignResponseInput): Promise<Campaign> {
    return this.service.record(input, false);
  }

  @Allow(...CAMPAIGN_WRITERS)
  @Mutation(() => Campaign, {
    description: 'Records a conversion (implies a response) of an audience member (idempotent).',
  })
  recordCampaignConversion(@Args('input') input: CampaignResponseInput): Promise<Campaign> {
    return this.service.record(input, true);
  }

  @ResolveField(() => Segment, { nullable: true })
  segment(@Parent() campaign: Campaign, @Context() ctx: LoaderContext): Promise<Segment | undefined> {
    return loader<string, Segment | undefined>(ctx, 'campaigns.segmentById', async (ids) =>
      byKey(ids, await this.segments.findByIds(ids), (s) => s.id),
    ).load(campaign.segmentId);
  }

  @ResolveField(() => CampaignResults)
  results(@Parent() campaign: Campaign, @Context() ctx: LoaderContext): Promise<CampaignResults> {
    return loader<Campaign, CampaignResults>(ctx, 'campaigns.results', (campaigns) =>
      this.service.results(campaigns),
    ).load(campaign);
  }
}
