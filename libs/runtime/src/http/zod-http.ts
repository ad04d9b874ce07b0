import { applyDecorators, HttpStatus, Param, Query } from '@nestjs/common';
import {
  ApiBody,
  ApiParam,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  type SchemaObject,
} from '@nestjs/swagger';
import { z } from 'zod';
import { DomainError } from '../errors/domain.error';
import { ZodValidationPipe } from '../errors/validation';

/**
 * What every service's REST API shares: strict request schemas that name each bad field, their OpenAPI
 * form (generated from the same zod schema, so the documentation cannot drift from the validation),
 * path and query validation, and the 404/409 errors.
 */

// ---------------------------------------------------------------------------------------------------------
// Errors

/** 404 `NOT_FOUND`: also for another tenant's id, which must not reveal that it exists (never 403). */
export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`, HttpStatus.NOT_FOUND);
  }
}

/** 409 with a specific code (`CONFLICT` for an id or name that is taken). */
export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, message, HttpStatus.CONFLICT, details === undefined ? {} : { details });
  }
}

/** The JSON body of every error answer (OpenAPI). */
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

/** `@Param(...)` that validates the route's parameters (400 `VALIDATION_FAILED` naming `id`). */
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
