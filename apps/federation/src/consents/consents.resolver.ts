import { Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '#platform/auth/allow.decorator';
import { FederationRole } from '../operators/role.js';
import { ConsentsService } from './consents.service.js';

@ObjectType()
export class ControllerConsentCount {
  @Field()
  controller: string;
  @Field(() => Int)
  total: number;
  @Field(() => Int)
  withdrawn: number;
}

@ObjectType({
  description:
    'Counts of the consent registry (no subject data). Each entry is one registration: one consent for one recipient.',
})
export class ConsentRegistryStats {
  @Field(() => Int)
  total: number;
  @Field(() => Int, { description: 'Not withdrawn and inside their validity now.' })
  live: number;
  @Field(() => Int)
  withdrawn: number;
  @Field(() => Int, { description: 'Distinct subject tokens indexed.' })
  subjectTokens: number;
  @Field(() => [ControllerConsentCount])
  byController: ControllerConsentCount[];
}

@Resolver()
export class ConsentsResolver {
  constructor(private readonly consents: ConsentsService) {}

  @Allow(FederationRole.OPERATOR, FederationRole.COMPLIANCE)
  @Query(() => ConsentRegistryStats)
  async consentRegistry(): Promise<ConsentRegistryStats> {
    return { ...(await this.consents.counts()), byController: await this.consents.countsByController() };
  }
}
