import { Mutation, Query, Resolver } from '@nestjs/graphql';
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
      'Makes a new signing key; the old one becomes historical (still published, never signs again).',
  })
  rotateFederationKey(): Promise<FederationKey> {
    return this.keys.rotate();
  }
}
