import { Args, Context, ObjectType, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow, CurrentUser, type AuthenticatedUser } from '#platform/auth/allow.decorator';
import { Connection, type ConnectionShape } from '#platform/graphql/connection';
import { groupByKey, loader, type LoaderContext } from '#platform/graphql/loaders';
import { FederationRole } from '../operators/role.js';
import {
  ApplicationsArgs,
  ApproveApplicationArgs,
  MembersArgs,
  PartnerArgs,
  RejectApplicationArgs,
  RenewMembershipArgs,
  SuspendMemberArgs,
} from './members.dto.js';
import { Member, MemberKey, MemberKeyState, MembershipApplication, memberKeyState } from './member.entity.js';
import { MembersService } from './members.service.js';

@ObjectType()
export class MemberConnection extends Connection(Member) {}

@ObjectType()
export class MembershipApplicationConnection extends Connection(MembershipApplication) {}

@Resolver(() => MemberKey)
export class MemberKeyResolver {
  @Allow(FederationRole.OPERATOR, FederationRole.COMPLIANCE)
  @ResolveField(() => MemberKeyState)
  state(@Parent() key: MemberKey): MemberKeyState {
    return memberKeyState(key);
  }
}

@Resolver(() => Member)
export class MembersResolver {
  constructor(private readonly service: MembersService) {}

  @Allow(FederationRole.OPERATOR)
  @Query(() => MembershipApplicationConnection, {
    description: 'Applications (pending by default), oldest first.',
  })
  applications(@Args() args: ApplicationsArgs): Promise<ConnectionShape<MembershipApplication>> {
    return this.service.applications(args);
  }

  @Allow(FederationRole.OPERATOR)
  @Mutation(() => Member, { description: 'Admits the applicant and issues its first membership statement.' })
  approveApplication(
    @Args() args: ApproveApplicationArgs,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<Member> {
    return this.service.approve(args.applicationId, user.id, args.validUntil);
  }

  @Allow(FederationRole.OPERATOR)
  @Mutation(() => MembershipApplication)
  rejectApplication(
    @Args() args: RejectApplicationArgs,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<MembershipApplication> {
    return this.service.reject(args.applicationId, user.id, args.reason);
  }

  @Allow(FederationRole.OPERATOR, FederationRole.COMPLIANCE)
  @Query(() => MemberConnection, { description: 'Members by partner id.' })
  members(@Args() args: MembersArgs): Promise<ConnectionShape<Member>> {
    return this.service.members(args);
  }

  @Allow(FederationRole.OPERATOR, FederationRole.COMPLIANCE)
  @Query(() => Member)
  member(@Args() args: PartnerArgs): Promise<Member> {
    return this.service.member(args.partnerId);
  }

  @Allow(FederationRole.OPERATOR)
  @Mutation(() => Member, {
    description: "Suspends at once: the member's signatures stop verifying everywhere.",
  })
  suspendMember(@Args() args: SuspendMemberArgs): Promise<Member> {
    return this.service.suspend(args.partnerId, args.reason);
  }

  @Allow(FederationRole.OPERATOR)
  @Mutation(() => Member)
  reinstateMember(@Args() args: PartnerArgs): Promise<Member> {
    return this.service.reinstate(args.partnerId);
  }

  @Allow(FederationRole.OPERATOR)
  @Mutation(() => Member, { description: 'Extends the membership term and issues a new statement.' })
  renewMembership(@Args() args: RenewMembershipArgs): Promise<Member> {
    return this.service.renew(args.partnerId, args.validUntil);
  }

  @Allow(FederationRole.OPERATOR, FederationRole.COMPLIANCE)
  @ResolveField(() => [MemberKey], { description: 'Every key, revoked and historical ones included.' })
  keys(@Parent() member: Member, @Context() ctx: LoaderContext): Promise<MemberKey[]> {
    return loader<string, MemberKey[]>(ctx, 'memberKeys', async (ids) =>
      groupByKey(ids, await this.service.keysOf(ids), (k) => k.partnerId),
    ).load(member.partnerId);
  }
}
