import { Args, Context, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import {
  Allow,
  CurrentUser,
  Public,
  type AuthenticatedUser,
  type RequestWithUser,
} from '#platform/auth/allow.decorator';
import { AccessTokens } from '#platform/auth/access-tokens';
import { ValidationError } from '#platform/errors/app-errors';
import { ALL_ROLES, Role } from './role.js';
import { User } from './user.entity.js';
import { CreateUserInput, LoginInput, LoginResult, UpdateUserInput } from './users.dto.js';
import { UsersService } from './users.service.js';

@Resolver(() => User)
export class UsersResolver {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: AccessTokens,
  ) {}

  @Public()
  @Mutation(() => LoginResult, { description: 'Password login; returns a short-lived bearer token.' })
  async login(
    @Args('input') input: LoginInput,
    @Context() { req }: { req: RequestWithUser },
  ): Promise<LoginResult> {
    const user = await this.users.authenticate(input.email, input.password, req.ip ?? '');
    const { token, expiresAt } = await this.tokens.issue({ id: user.id, roles: user.roles });
    return { token, expiresAt, user };
  }

  @Allow(...ALL_ROLES)
  @Query(() => User, { description: 'The logged-in user.' })
  me(@CurrentUser() user: AuthenticatedUser): Promise<User> {
    return this.users.get(user.id);
  }

  @Allow(Role.ADMIN)
  @Query(() => [User], { name: 'users' })
  listUsers(): Promise<User[]> {
    return this.users.list();
  }

  @Allow(Role.ADMIN)
  @Mutation(() => User)
  createUser(@Args('input') input: CreateUserInput): Promise<User> {
    return this.users.create(input);
  }

  @Allow(Role.ADMIN)
  @Mutation(() => User, { description: 'Change roles, name or password, or deactivate (active: false).' })
  updateUser(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateUserInput,
    @CurrentUser() caller: AuthenticatedUser,
  ): Promise<User> {
    // An admin cannot lock themselves out (another admin can): the node would be left without one.
    if (id === caller.id && input.active === false) {
      throw new ValidationError('input.active', 'you cannot deactivate yourself; ask another admin');
    }
    if (id === caller.id && input.roles && !input.roles.includes(Role.ADMIN)) {
      throw new ValidationError('input.roles', 'you cannot remove your own admin role; ask another admin');
    }
    return this.users.update(id, input);
  }
}
