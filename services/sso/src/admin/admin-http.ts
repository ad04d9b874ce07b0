import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { type AuthPrincipal, Roles } from '@okc/auth';
import { tenantIdSchema } from '@okc/contracts';
import { ErrorDto, strictObject } from '@okc/runtime';
import type { Request } from 'express';
import { z } from 'zod';
import type { AuditActor, RequestOrigin } from '../audit/audit.service';
import { PlatformAdmin } from './platform-admin';

/**
 * What sso's admin routes share: the actor and origin written to the audit log, and who may call them. The
 * generic REST pieces (strict zod schemas, their OpenAPI form, 404/409) come from @okc/runtime.
 */

/** The default page size of admin lists. */
export const limitSchema = z.coerce.number().int().min(1).max(200).default(50);

/** A user id: the UUID sso generated (`sub`). */
export const userIdParamsSchema = strictObject({ id: z.guid('a user id is a UUID') });
/** A client id: generated (`int_…`, `app_…`) or seeded (`demo-integrator`). */
export const clientIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._~-]{1,128}$/, 'a client id is 1–128 letters, digits, ".", "_", "~" or "-"');
export const clientIdParamsSchema = strictObject({ id: clientIdSchema });
export const tenantIdParamsSchema = strictObject({ id: tenantIdSchema });

// ---------------------------------------------------------------------------------------------------------
// Who and from where

/** The admin making a change, as the audit log names them: `{ type: 'user', id: sub, label: 'admin@demo' }`. */
export function adminActor(principal: AuthPrincipal): AuditActor {
  return {
    type: principal.kind === 'client' ? 'client' : 'user',
    id: principal.subject,
    label: `${principal.username ?? principal.subject}@${principal.tenantId}`,
  };
}

export function requestOrigin(req: Request): RequestOrigin {
  const id = (req as Request & { id?: unknown }).id;
  return {
    ip: req.ip ?? null,
    userAgent: req.get('user-agent') ?? null,
    requestId: typeof id === 'string' ? id : null,
  };
}

/** Who is calling an admin route, for the audit log and the self-protection rules. */
export interface AdminCaller {
  /** The token's `sub`. */
  readonly subject: string;
  readonly actor: AuditActor;
  readonly origin: RequestOrigin;
}

export function adminCallerOf(principal: AuthPrincipal, req: Request): AdminCaller {
  return { subject: principal.subject, actor: adminActor(principal), origin: requestOrigin(req) };
}

/**
 * `@Caller() caller: AdminCaller`. The guard has authenticated the request (passport's `request.user`);
 * the tenant is taken separately with `@TenantId()`.
 */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): AdminCaller => {
  const req = context.switchToHttp().getRequest<Request & { user?: AuthPrincipal }>();
  if (!req.user) throw new Error('@Caller() on a route without an authenticated principal');
  return adminCallerOf(req.user, req);
});

// ---------------------------------------------------------------------------------------------------------
// Response pieces

/**
 * The class decorators every admin controller shares: OpenAPI tag and bearer scheme, the 401 answer, and
 * who may call it: role `admin` of the token's tenant, or (`platform`) an admin of the platform tenant.
 */
export const AdminApi = (tag: string, who: 'tenant-admin' | 'platform' = 'tenant-admin'): ClassDecorator =>
  applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No valid access token', type: ErrorDto }),
    ...(who === 'platform'
      ? [PlatformAdmin()]
      : [
          Roles('admin'),
          ApiForbiddenResponse({ description: 'The token lacks role `admin`', type: ErrorDto }),
        ]),
  );
