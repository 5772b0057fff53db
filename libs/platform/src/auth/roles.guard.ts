import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, UnauthenticatedError } from '../errors/app-errors.js';
import { AccessTokens } from './access-tokens.js';
import { ALLOWED_ROLES, PUBLIC_ROUTE, requestOf } from './allow.decorator.js';

interface Declaration {
  isPublic: boolean;
  allowed: string[] | undefined;
}

/**
 * The global guard: authenticates the bearer token and checks the roles that the handler (or its
 * class) declares with @Allow. A handler that declares nothing is refused, so a forgotten
 * declaration can never open a field to everyone. The roles checked are the user's current ones
 * (`currentRoles`, read from the database, cached a couple of seconds), not those written in the
 * token: a demoted admin loses admin at once, a deactivated user's still-valid token stops working.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  /**
   * What each handler declares (@Public, @Allow on it or its class), read once: the guard runs on
   * every resolved field of every request, and decorators never change while the process runs.
   * Kept per class, then per handler: an inherited method serves classes with their own @Allow.
   */
  private readonly declared = new WeakMap<object, WeakMap<object, Declaration>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
    /** The user's roles now, or undefined when the user is deactivated or gone. */
    private readonly currentRoles: (userId: string) => Promise<readonly string[] | undefined>,
  ) {}

  private declarationOf(context: ExecutionContext): Declaration {
    const handler = context.getHandler();
    const type = context.getClass();
    let ofClass = this.declared.get(type);
    if (!ofClass) this.declared.set(type, (ofClass = new WeakMap()));
    let found = ofClass.get(handler);
    if (!found) {
      const targets = [handler, type];
      found = {
        isPublic: this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets) === true,
        allowed: this.reflector.getAllAndOverride<string[] | undefined>(ALLOWED_ROLES, targets),
      };
      ofClass.set(handler, found);
    }
    return found;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { isPublic, allowed } = this.declarationOf(context);
    if (isPublic) return true;
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
