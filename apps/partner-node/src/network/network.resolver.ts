import { Args, Mutation, ObjectType, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow } from '#platform/auth/allow.decorator';
import { Connection, type ConnectionShape, PageArgs } from '#platform/graphql/connection';
import { Role } from '../users/role.js';
import {
  ApplyForMembershipInput,
  DirectoryMemberKey,
  DirectoryRefreshResult,
  KeyRotationResult,
} from './network.dto.js';
import { DirectoryMember, NetworkMembership, NodeRefusal } from './network.entities.js';
import { MembershipChangesService } from './membership-changes.service.js';
import { NetworkService } from './network.service.js';
import { RefusalsService } from './refusals.service.js';

@ObjectType()
export class NodeRefusalConnection extends Connection(NodeRefusal) {}

@Resolver(() => NetworkMembership)
@Allow(Role.ADMIN)
export class NetworkResolver {
  constructor(
    private readonly network: NetworkService,
    private readonly changes: MembershipChangesService,
    private readonly refusalsService: RefusalsService,
  ) {}

  @Query(() => NetworkMembership, {
    nullable: true,
    description:
      "This node's membership, refreshed from the federation when it answers; null before any contact.",
  })
  networkMembership(): Promise<NetworkMembership | null> {
    return this.network.membership();
  }

  @ResolveField(() => String, { description: 'This node’s partner id (PARTNER_ID).' })
  partnerId(): string {
    return this.network.partnerId;
  }

  @Mutation(() => NetworkMembership, {
    description:
      'Applies to the federation at FEDERATION_URL with a self-signed application (PARTNER_ID, name, endpoint, JWKS).',
  })
  applyForMembership(@Args('input') input: ApplyForMembershipInput): Promise<NetworkMembership> {
    return this.changes.apply(input);
  }

  @Query(() => [DirectoryMember], {
    description: 'The verified member directory (cached, refreshed every 30 s).',
  })
  memberDirectory(): Promise<DirectoryMember[]> {
    return this.network.directory();
  }

  @Mutation(() => DirectoryRefreshResult, { description: 'Fetches and verifies the member directory now.' })
  refreshMemberDirectory(): Promise<DirectoryRefreshResult> {
    return this.network.refreshDirectory();
  }

  @Mutation(() => KeyRotationResult, {
    description:
      'Rotates the signing key (and the agreement key if asked): new keys active, old ones retired but still verifying; members announce it to the federation, signed under the old key.',
  })
  rotateKeys(
    @Args('agreementKey', { type: () => Boolean, defaultValue: false }) agreementKey: boolean,
  ): Promise<KeyRotationResult> {
    return this.changes.rotateKeys({ agreementKey });
  }

  @Allow(Role.ADMIN, Role.COMPLIANCE)
  @Query(() => NodeRefusalConnection, {
    description: 'Incoming protocol messages this node refused, newest first.',
  })
  refusals(@Args() args: PageArgs): Promise<ConnectionShape<NodeRefusal>> {
    return this.refusalsService.list(args);
  }
}

@Resolver(() => DirectoryMember)
export class DirectoryMemberResolver {
  @Allow(Role.ADMIN)
  @ResolveField(() => [DirectoryMemberKey])
  keys(@Parent() member: DirectoryMember): DirectoryMemberKey[] {
    return member.keys.map((k) => ({
      kid: k.kid,
      curve: k.jwk.crv,
      state: k.state,
      addedAt: new Date(k.addedAt * 1000),
      retiresAt: k.retiresAt === undefined ? null : new Date(k.retiresAt * 1000),
    }));
  }
}
