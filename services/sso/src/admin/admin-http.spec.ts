import type { AuthPrincipal } from '@okc/auth';
import {
  atLeastOneField,
  ConflictError,
  NotFoundError,
  openApiSchemaOf,
  parseBody,
  queryBoolean,
  strictObject,
  ValidationFailedError,
} from '@okc/runtime';
import type { Request } from 'express';
import { z } from 'zod';
import {
  adminActor,
  clientIdParamsSchema,
  requestOrigin,
  tenantIdParamsSchema,
  userIdParamsSchema,
} from './admin-http';

const principal = (over: Partial<AuthPrincipal> = {}): AuthPrincipal => ({
  subject: '0193a9f4-6c1e-7b2a-9d3f-5e8c1a2b3c4d',
  tenantId: 'demo',
  roles: ['admin'],
  kind: 'user',
  scope: [],
  expiresAt: new Date(0),
  username: 'admin',
  ...over,
});

function violations(fn: () => unknown): { field: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationFailedError) return [...error.violations];
    throw error;
  }
  throw new Error('expected a ValidationFailedError');
}

describe('strictObject', () => {
  const schema = strictObject({ name: z.string(), age: z.number().optional() });

  it('names every unknown field, not "(root)"', () => {
    expect(violations(() => parseBody(schema, { name: 'x', rolez: ['admin'], extra: 1 }))).toEqual([
      { field: 'rolez', message: 'Unknown field' },
      { field: 'extra', message: 'Unknown field' },
    ]);
  });

  it('reports unknown fields together with bad known ones', () => {
    expect(violations(() => parseBody(schema, { name: 1, x: 2 })).map((v) => v.field)).toEqual(['name', 'x']);
  });

  it('accepts exactly the known fields', () => {
    expect(parseBody(schema, { name: 'x', age: 3 })).toEqual({ name: 'x', age: 3 });
  });

  it('is documented with additionalProperties: false, from the same schema', () => {
    const json = openApiSchemaOf(schema) as { additionalProperties?: unknown; required?: string[] };
    expect(json.additionalProperties).toBe(false);
    expect(json.required).toEqual(['name']);
  });
});

describe('small schemas', () => {
  it('a PATCH must change something', () => {
    expect(atLeastOneField({})).toBe(false);
    expect(atLeastOneField({ name: undefined })).toBe(false);
    expect(atLeastOneField({ email: null })).toBe(true);
  });

  it('query booleans are only "true" and "false"', () => {
    expect(queryBoolean.parse('true')).toBe(true);
    expect(queryBoolean.parse('false')).toBe(false);
    expect(queryBoolean.safeParse('flase').success).toBe(false);
    expect(queryBoolean.safeParse('1').success).toBe(false);
  });

  it('validates ids in paths', () => {
    expect(userIdParamsSchema.safeParse({ id: '0193a9f4-6c1e-7b2a-9d3f-5e8c1a2b3c4d' }).success).toBe(true);
    expect(violations(() => parseBody(userIdParamsSchema, { id: 'not-a-uuid' }))[0]?.field).toBe('id');
    expect(clientIdParamsSchema.safeParse({ id: 'demo-integrator' }).success).toBe(true);
    expect(clientIdParamsSchema.safeParse({ id: 'int_Hk3v9Q0aZbW2xYr1' }).success).toBe(true);
    expect(clientIdParamsSchema.safeParse({ id: 'a/b' }).success).toBe(false);
    expect(tenantIdParamsSchema.safeParse({ id: 'acme' }).success).toBe(true);
    expect(tenantIdParamsSchema.safeParse({ id: 'ACME' }).success).toBe(false);
  });
});

describe('errors', () => {
  it('404 NOT_FOUND and 409 with a code', () => {
    expect(new NotFoundError('User')).toMatchObject({
      code: 'NOT_FOUND',
      status: 404,
      message: 'User not found',
    });
    expect(new ConflictError('CONFLICT', 'taken', { field: 'login' })).toMatchObject({
      code: 'CONFLICT',
      status: 409,
      details: { field: 'login' },
    });
  });
});

describe('who and from where', () => {
  it('labels the actor as username@tenant', () => {
    expect(adminActor(principal())).toEqual({
      type: 'user',
      id: '0193a9f4-6c1e-7b2a-9d3f-5e8c1a2b3c4d',
      label: 'admin@demo',
    });
  });

  it('falls back to the subject without a username, and marks client tokens as clients', () => {
    expect(adminActor(principal({ username: undefined, kind: 'client', subject: 'int_x' }))).toEqual({
      type: 'client',
      id: 'int_x',
      label: 'int_x@demo',
    });
  });

  it('takes ip, user agent and the request id the middleware set', () => {
    const req = {
      ip: '10.0.0.7',
      id: 'req-1',
      get: (h: string) => (h === 'user-agent' ? 'curl/8' : undefined),
    };
    expect(requestOrigin(req as unknown as Request)).toEqual({
      ip: '10.0.0.7',
      userAgent: 'curl/8',
      requestId: 'req-1',
    });
    const bare = { get: () => undefined };
    expect(requestOrigin(bare as unknown as Request)).toEqual({ ip: null, userAgent: null, requestId: null });
  });
});
