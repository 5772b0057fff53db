import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthenticatedError } from '../errors/app-errors.js';
import { AccessTokens } from './access-tokens.js';
import { ALLOWED_ROLES, PUBLIC_ROUTE, requestOf } from './allow.decorator.js';

/**
 * The global guard: authenticates the bearer token and checks the roles that the handler (or its
 * class) declares with @Allow. A handler that declares nothing is refused, so a forgotten
 * declaration can never open a field to everyone. The roles checked are the user's current ones
 * (`currentRoles`, read from the database, cached a couple of seconds), not those written in the
 * token: a demoted admin loses admin at once, a deactivated user's still-valid token stops working.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
    /** The user's roles now, or undefined when the user is deactivated or gone. */
    private readonly currentRoles: (userId: string) => Promise<readonly string[] | undefined>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const allowed = this.reflector.getAllAndOverride<string[] | undefined>(ALLOWED_ROLES, targets);
    const request = requestOf(context);
    if (!request.user) {
      const header = request.headers?.authorization ?? '';
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw new UnauthenticatedError('Log in first: send "Authorization: Bearer <token>"');
      const { id } = await this.tokens.verify(match[1]);
      const roles = await this.currentRoles(id);
      if (!roles) throw new UnauthenticatedError('This user is deactivated');
      request.user = { id, roles: [...roles] };
    }
    if (!allowed || allowed.length === 0) {
      throw new ForbiddenError(`${context.getClass().name}.${context.getHandler().name} declares no roles`);
    }
    if (!request.user.roles.some((role: string) => allowed.includes(role))) {
      throw new ForbiddenError(`This needs one of the roles: ${allowed.join(', ')}`, {
        allowedRoles: allowed,
      });
    }
    return true;
  }
}
