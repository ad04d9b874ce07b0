import { parseBody, ValidationFailedError } from '@okc/runtime';
import type { User } from './user.entity';
import { createUserSchema, listUsersQuerySchema, toUserDto, updateUserSchema } from './users.dto';

const valid = {
  login: 'op9',
  name: 'Оператор 9',
  password: 'correct horse battery staple',
  roles: ['operator'],
};

function fields(schema: Parameters<typeof parseBody>[0], body: unknown): string[] {
  try {
    parseBody(schema, body);
  } catch (error) {
    if (error instanceof ValidationFailedError) return error.violations.map((v) => v.field);
    throw error;
  }
  return [];
}

describe('createUserSchema', () => {
  it('accepts a minimal user and lower-cases the login', () => {
    expect(parseBody(createUserSchema, { ...valid, login: 'Op9' })).toEqual({ ...valid, login: 'op9' });
  });

  it('accepts every optional field', () => {
    const body = {
      ...valid,
      email: 'op9@example.com',
      extension: '109',
      pbxInterface: 'SIP/109',
      queues: ['support', 'support', 'sales'],
      locale: 'en',
      roles: ['admin', 'operator', 'operator'],
    };
    expect(parseBody(createUserSchema, body)).toEqual({
      ...body,
      queues: ['support', 'sales'],
      roles: ['operator', 'admin'],
    });
  });

  it.each([
    ['login', { login: 'op 9' }],
    ['login', { login: 'op9@demo' }],
    ['login', { login: '' }],
    ['login', { login: 'x'.repeat(129) }],
    ['name', { name: '   ' }],
    ['email', { email: 'not-an-email' }],
    ['roles', { roles: [] }],
    ['roles.0', { roles: ['root'] }],
    ['extension', { extension: '1' }],
    ['extension', { extension: '10a' }],
    ['extension', { extension: '12345678901' }],
    ['pbxInterface', { pbxInterface: '101' }],
    ['pbxInterface', { pbxInterface: 'PJSIP/' }],
    ['queues.0', { queues: ['with space'] }],
    ['queues.0', { queues: ['with"quote'] }],
    ['locale', { locale: 'de' }],
    ['password', { password: 12345 }],
  ])('names %s when it is bad: %j', (field, override) => {
    expect(fields(createUserSchema, { ...valid, ...override })).toEqual([field]);
  });

  it('names each missing field', () => {
    expect(fields(createUserSchema, {})).toEqual(['login', 'name', 'password', 'roles']);
  });

  it('rejects an unknown field by name (passwordHash cannot be smuggled in)', () => {
    expect(fields(createUserSchema, { ...valid, passwordHash: '$argon2id$…', active: false })).toEqual([
      'passwordHash',
      'active',
    ]);
  });
});

describe('updateUserSchema', () => {
  it('takes null to clear optional fields', () => {
    expect(
      parseBody(updateUserSchema, { email: null, extension: null, pbxInterface: null, locale: null }),
    ).toEqual({
      email: null,
      extension: null,
      pbxInterface: null,
      locale: null,
    });
  });

  it('rejects an empty change, a cleared name or roles, and fields that are not editable', () => {
    expect(fields(updateUserSchema, {})).toEqual(['(root)']);
    expect(fields(updateUserSchema, { name: null })).toEqual(['name']);
    expect(fields(updateUserSchema, { roles: [] })).toEqual(['roles']);
    expect(fields(updateUserSchema, { login: 'other' })).toEqual(['login']);
    expect(fields(updateUserSchema, { password: 'x' })).toEqual(['password']);
  });
});

describe('listUsersQuerySchema', () => {
  it('defaults limit 50, offset 0', () => {
    expect(parseBody(listUsersQuerySchema, {})).toEqual({ limit: 50, offset: 0 });
  });

  it('parses strings from the query', () => {
    expect(
      parseBody(listUsersQuerySchema, {
        search: ' ann ',
        role: 'operator',
        active: 'false',
        queue: 'support',
        limit: '200',
        offset: '10',
      }),
    ).toEqual({ search: 'ann', role: 'operator', active: false, queue: 'support', limit: 200, offset: 10 });
  });

  it.each([
    ['limit', { limit: '0' }],
    ['limit', { limit: '201' }],
    ['limit', { limit: 'ten' }],
    ['offset', { offset: '-1' }],
    ['active', { active: 'yes' }],
    ['role', { role: 'root' }],
    ['sort', { sort: 'name' }],
  ])('names %s when it is bad: %j', (field, query) => {
    expect(fields(listUsersQuerySchema, query)).toEqual([field]);
  });
});

describe('toUserDto', () => {
  it('never includes the password hash', () => {
    const at = new Date('2025-11-27T09:00:00.000Z');
    const user: User = {
      id: 'u-1',
      tenantId: 'demo',
      login: 'op1',
      name: 'Оператор 1',
      email: null,
      passwordHash: '$argon2id$v=19$secret',
      roles: ['operator'],
      active: true,
      extension: '101',
      pbxInterface: 'PJSIP/101',
      queues: ['support'],
      locale: null,
      passwordChangedAt: at,
      lastLoginAt: null,
      createdAt: at,
      updatedAt: at,
    };
    const dto = toUserDto(user);
    expect(JSON.stringify(dto)).not.toContain('argon2');
    expect(dto).not.toHaveProperty('passwordHash');
    expect(dto).toMatchObject({ id: 'u-1', createdAt: '2025-11-27T09:00:00.000Z', lastLoginAt: null });
  });
});
