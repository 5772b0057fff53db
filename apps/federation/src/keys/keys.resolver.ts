import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '#platform/auth/allow.decorator';
import { FederationRole } from '../operators/role.js';
import { FederationKey } from './federation-key.entity.js';
import { FederationKeysService } from './federation-keys.service.js';

@Resolver(() => FederationKey)
export class KeysResolver {
  constructor(private readonly keys: FederationKeysService) {}

  @Allow(FederationRole.OPERATOR, FederationRole.COMPLIANCE)
  @Query(() => [FederationKey], { description: "The federation's signing keys, newest first." })
  federationKeys(): Promise<FederationKey[]> {
    return this.keys.list();
  }

  @Allow(FederationRole.OPERATOR)
  @Mutation(() => FederationKey, {
    description:
      'Announces a new signing key (status next) with a rotation statement signed by the current key; ' +
      'it starts signing after the grace period, and the current key becomes historical (still published, ' +
      'never signs again). Nodes follow the rotation from their pinned key without re-pinning.',
  })
  rotateFederationKey(
    @Args('graceSeconds', {
      type: () => Int,
      nullable: true,
      description: 'Seconds between the announcement and the switch (default KEY_ROTATION_GRACE_SECONDS).',
    })
    graceSeconds?: number | null,
  ): Promise<FederationKey> {
    return this.keys.rotate(graceSeconds ?? undefined);
  }
}
