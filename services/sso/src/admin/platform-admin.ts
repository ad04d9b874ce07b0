import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  HttpStatus,
  Injectable,
  UseGuards,
} from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import { type AuthPrincipal, Roles } from '@okc/auth';
import { DomainError, InjectConfig } from '@okc/runtime';
import type { SsoConfig } from '../config';

/**
 * A platform admin runs OKC itself (tenants, signing keys): a person with role `admin` in the tenant
 * `SSO_PLATFORM_TENANT` (`platform`). An admin of any other tenant administers only that tenant.
 * Client-credentials tokens never qualify, whatever roles they carry.
 */
export function isPlatformAdmin(principal: AuthPrincipal | undefined, platformTenant: string): boolean {
  return (
    principal !== undefined &&
    principal.kind === 'user' &&
    principal.tenantId === platformTenant &&
    principal.roles.includes('admin')
  );
}

/** 403 `FORBIDDEN`: a valid admin token, but of a tenant's admin, not the platform's. */
export class NotPlatformAdminError extends DomainError {
  constructor() {
    super('FORBIDDEN', 'Requires a platform administrator', HttpStatus.FORBIDDEN);
  }
}

/**
 * Runs after the global authentication guard (global guards run before controller and handler guards), so
 * the principal is already on `request.user`.
 */
@Injectable()
export class PlatformAdminGuard implements CanActivate {
  constructor(@InjectConfig() private readonly config: SsoConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ user?: AuthPrincipal }>();
    if (!isPlatformAdmin(req.user, this.config.SSO_PLATFORM_TENANT)) throw new NotPlatformAdminError();
    return true;
  }
}

/** `@PlatformAdmin()` on a controller or handler: role `admin` in the platform tenant, otherwise 403. */
export const PlatformAdmin = (): ClassDecorator & MethodDecorator =>
  applyDecorators(
    Roles('admin'),
    UseGuards(PlatformAdminGuard),
    ApiForbiddenResponse({ description: 'Not an administrator of the platform tenant' }),
  );
