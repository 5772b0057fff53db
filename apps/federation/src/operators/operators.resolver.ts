import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AccessTokens } from '#platform/auth/access-tokens';
import {
  Allow,
  CurrentUser,
  Public,
  type AuthenticatedUser,
  type RequestWithUser,
} from '#platform/auth/allow.decorator';
import { Operator } from './operator.entity.js';
import { OperatorLoginInput, OperatorLoginResult } from './operators.dto.js';
import { OperatorsService } from './operators.service.js';
import { ALL_FEDERATION_ROLES } from './role.js';

@Resolver(() => Operator)
export class OperatorsResolver {
  constructor(
    private readonly operators: OperatorsService,
    private readonly tokens: AccessTokens,
  ) {}

  @Public()
  @Mutation(() => OperatorLoginResult, { description: 'Password login; returns a short-lived bearer token.' })
  async login(
    @Args('input') input: OperatorLoginInput,
    @Context() { req }: { req: RequestWithUser },
  ): Promise<OperatorLoginResult> {
    const operator = await this.operators.authenticate(input.email, input.password, req.ip ?? '');
    const { token, expiresAt } = await this.tokens.issue({ id: operator.id, roles: operator.roles });
    return { token, expiresAt, operator };
  }

  @Allow(...ALL_FEDERATION_ROLES)
  @Query(() => Operator, { description: 'The logged-in operator.' })
  me(@CurrentUser() user: AuthenticatedUser): Promise<Operator> {
    return this.operators.get(user.id);
  }
}
