import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  HttpStatus,
  Param,
  Query,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
  type SchemaObject,
} from '@nestjs/swagger';
import { type AuthPrincipal, Roles } from '@okc/auth';
import { tenantIdSchema } from '@okc/contracts';
import { DomainError, ZodValidationPipe } from '@okc/runtime';
import type { Request } from 'express';
import { z } from 'zod';
import type { AuditActor, RequestOrigin } from '../audit/audit.service';
import { PlatformAdmin } from './platform-admin';

/**
 * What every admin route shares: strict request schemas that name each bad field, their OpenAPI form
 * (generated from the same zod schema, so the documentation cannot drift from the validation), path-id
 * validation, the actor and origin written to the audit log, and the 404/409 errors.
 */

// ---------------------------------------------------------------------------------------------------------
// Errors

/** 404 `NOT_FOUND`: also for another tenant's id, which must not reveal that it exists (never 403). */
export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`, HttpStatus.NOT_FOUND);
  }
}

/** 409 with a specific code (`CONFLICT` for an id or login that is taken). */
export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, message, HttpStatus.CONFLICT, details === undefined ? {} : { details });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Schemas

/**
 * Rejects every field the schema does not know, one violation per unknown field named by its path
 * (`.strict()` would report them all under `(root)`). Used through `strictObject`.
 */
const unknownField = z.custom<never>(() => false, { error: 'Unknown field' });

/**
 * `z.object(shape)` that rejects unknown fields, naming each (`details: [{ field: 'rolez', … }]`). Typed as
 * zod's strict object (the catchall would otherwise add a `never` index signature to the inferred type).
 */
export function strictObject<S extends z.ZodRawShape>(shape: S): z.ZodObject<S, z.core.$strict> {
  return z.object(shape).catchall(unknownField);
}

/** `{}` is not a change: a PATCH must name at least one field. */
export const atLeastOneField = <T extends object>(value: T): boolean =>
  Object.values(value).some((v) => v !== undefined);

/** A query-string boolean: only `true` and `false`, so `?active=flase` is a 400, not a silent `false`. */
export const queryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');

export const limitSchema = z.coerce.number().int().min(1).max(200).default(50);

/** A user id: the UUID sso generated (`sub`). */
export const userIdParamsSchema = strictObject({ id: z.guid('a user id is a UUID') });
/** A client id: generated (`int_…`, `app_…`) or seeded (`demo-integrator`). */
export const clientIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._~-]{1,128}$/, 'a client id is 1–128 letters, digits, ".", "_", "~" or "-"');
export const clientIdParamsSchema = strictObject({ id: clientIdSchema });
export const tenantIdParamsSchema = strictObject({ id: tenantIdSchema });

/** `@Param(...)` that validates the route's `:id` (400 `VALIDATION_FAILED` naming `id`). */
export const IdParams = (schema: z.ZodType): ParameterDecorator => Param(new ZodValidationPipe(schema));

/** `@Query(...)` validated by `schema`. */
export const ValidQuery = (schema: z.ZodType): ParameterDecorator => Query(new ZodValidationPipe(schema));

// ---------------------------------------------------------------------------------------------------------
// OpenAPI from zod

/** The OpenAPI 3.0 schema of what a client sends (`io: 'input'`: before transforms and defaults apply). */
export function openApiSchemaOf(schema: z.ZodType): SchemaObject {
  return z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const def = ctx.zodSchema._zod.def as { type: string; catchall?: unknown };
      if (def.type === 'object' && def.catchall === unknownField) ctx.jsonSchema.additionalProperties = false;
    },
  }) as SchemaObject;
}

/** `@ApiBody` documenting the zod schema the handler validates with. */
export const ApiBodyOf = (schema: z.ZodType, description?: string): MethodDecorator =>
  ApiBody({ schema: openApiSchemaOf(schema), required: true, ...(description ? { description } : {}) });

interface ObjectSchemaJson {
  properties?: Record<string, SchemaObject>;
  required?: string[];
}

/** One `@ApiQuery` per field of a zod object schema. */
export function ApiQueryOf(schema: z.ZodType): MethodDecorator {
  const json = openApiSchemaOf(schema) as ObjectSchemaJson;
  const required = new Set(json.required ?? []);
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, property]) =>
      ApiQuery({
        name,
        required: required.has(name),
        schema: property,
        ...(property.description ? { description: property.description } : {}),
      }),
    ),
  );
}

/** `@ApiParam` for `:id`. */
export const ApiIdParam = (description: string, example: string): MethodDecorator =>
  ApiParam({ name: 'id', description, example });

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

export class ErrorDto {
  @ApiProperty({ example: 'NOT_FOUND' })
  error!: string;

  @ApiProperty({ example: 'User not found' })
  message!: string;

  @ApiPropertyOptional({ description: 'For VALIDATION_FAILED: `[{ field, message, code? }]`.' })
  details?: unknown;

  @ApiPropertyOptional()
  requestId?: string;
}

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
