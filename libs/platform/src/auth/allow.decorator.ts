import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';

export const ALLOWED_ROLES = 'concordia:allowed-roles';
export const PUBLIC_ROUTE = 'concordia:public';

/**
 * Declares which roles may call a query, mutation, field or route. Everything must declare it:
 * the guard refuses any handler that does not (fail closed).
 */
export const Allow = (...roles: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ALLOWED_ROLES, roles);

/** For the few entry points that need no login (login itself, health). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

export interface AuthenticatedUser {
  id: string;
  roles: string[];
}

export type RequestWithUser = Request & { user?: AuthenticatedUser };

export function requestOf(context: ExecutionContext): RequestWithUser {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: RequestWithUser }>().req;
  }
  return context.switchToHttp().getRequest<RequestWithUser>();
}

/** The logged-in user of a request (set by the RolesGuard). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return requestOf(context).user;
});
