import { Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow } from '#platform/auth/allow.decorator';
import { Role } from '../users/role.js';
import { NodeKey } from './node-key.entity.js';
import { KeysService } from './keys.service.js';

@Resolver(() => NodeKey)
@Allow(Role.ADMIN)
export class KeysResolver {
  constructor(private readonly keys: KeysService) {}

  @Query(() => [NodeKey], { description: "This node's keys (public halves), newest first." })
  async nodeKeys(): Promise<NodeKey[]> {
    await this.keys.ensureKeys();
    return this.keys.list();
  }

  @Query(() => String, { description: "The node's JWKS (active and retired public keys), as JSON." })
  async nodeJwks(): Promise<string> {
    return JSON.stringify(await this.keys.allPublicKeys());
  }

  @ResolveField(() => String, { description: 'The public JWK, as JSON.' })
  publicJwk(@Parent() key: NodeKey): string {
    return JSON.stringify(key.publicJwk);
  }
}
