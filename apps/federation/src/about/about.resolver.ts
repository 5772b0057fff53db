import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Inject } from '@nestjs/common';
import { Public } from '#platform/auth/allow.decorator';
import type { FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';

@ObjectType({ description: 'Who this federation is: public, like its well-known documents.' })
export class FederationInfo {
  @Field()
  federationId: string;
}

@Resolver()
export class AboutResolver {
  constructor(@Inject(FEDERATION_CONFIG) private readonly config: FederationConfig) {}

  @Public()
  @Query(() => FederationInfo)
  federation(): FederationInfo {
    return { federationId: this.config.federationId };
  }
}
