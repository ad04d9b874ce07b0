import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  HttpStatus,
  SetMetadata,
} from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { DomainError, PublicRoute } from '@okc/runtime';
import { UnauthorizedError } from '../auth.errors';
import type { AuthPrincipal, Role } from '../principal';
import { type AuthenticatedRequest, principalOf } from './principal-of';

/** `@Public()`: no token needed on this handler or controller (runtime's `@PublicRoute()`). */
export const Public = PublicRoute;

/** Metadata key of `@Roles(...)`. */
export const ROLES_KEY = 'okc:roles';

/** The OpenAPI extension on each operation that lists the roles `@Roles` admits (absent: any signed-in caller). */
export const ROLES_EXTENSION = 'x-okc-roles';

/**
 * `@Roles('supervisor', 'admin')` on a handler or controller: the token must carry at least one of them
 * (any-of), otherwise 403 `FORBIDDEN`. The handler's list replaces the controller's. The list also goes
 * into the OpenAPI document (`x-okc-roles`): the gateway's integrator docs keep the operations it admits
 * `integrator` to.
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension(ROLES_EXTENSION, roles));

function requirePrincipal(context: ExecutionContext): AuthPrincipal {
  const principal = principalOf(context);
  // Only on a @Public() route (or outside HTTP/sockets): a programming error, answered as "no token".
  if (!principal) throw new UnauthorizedError('missing-token', 'An access token is required');
  return principal;
}

/** `@CurrentUser() user: AuthPrincipal`: who made the request. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthPrincipal =>
  requirePrincipal(context),
);

/** `@TenantId() tenantId: string`: the tenant of the token, the scope of everything the request does. */
export const TenantId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => requirePrincipal(context).tenantId,
);

/** Not found, rather than forbidden: a route of another tenant must not even reveal that the tenant exists. */
export class OtherTenantError extends DomainError {
  constructor() {
    super('NOT_FOUND', 'Not found', HttpStatus.NOT_FOUND);
  }
}

/** Throws `OtherTenantError` (404) unless `tenantId` is the principal's tenant. */
export function assertOwnTenant(principal: AuthPrincipal, tenantId: string | undefined): string {
  if (tenantId !== principal.tenantId) throw new OtherTenantError();
  return tenantId;
}

/**
 * `@TenantParam('tenant') tenantId: string` for routes that name the tenant in the path
 * (`/tenants/:tenant/...`): the value, when it is the token's tenant; 404 otherwise.
 */
export const TenantParam = createParamDecorator((param: string | undefined, context: ExecutionContext) => {
  const principal = requirePrincipal(context);
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  return assertOwnTenant(principal, request.params?.[param ?? 'tenant']);
});
