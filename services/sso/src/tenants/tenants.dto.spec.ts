import { parseBody, ValidationFailedError } from '@okc/runtime';
import type { Tenant } from './tenant.entity';
import { createTenantSchema, tenantAuditState, toTenantDto, updateTenantSchema } from './tenants.dto';
import { tenantChanges } from './tenants.service';

function fields(schema: Parameters<typeof parseBody>[0], body: unknown): string[] {
  try {
    parseBody(schema, body);
  } catch (error) {
    if (error instanceof ValidationFailedError) return error.violations.map((v) => v.field);
    throw error;
  }
  return [];
}

const at = new Date('2025-11-27T09:00:00.000Z');
const tenant: Tenant = {
  id: 'acme',
  name: 'ACME Corp.',
  locale: 'en',
  active: true,
  corsOrigins: ['https://crm.acme.example'],
  createdAt: at,
  updatedAt: at,
};

describe('createTenantSchema', () => {
  it('accepts a slug, a name and a locale', () => {
    expect(
      parseBody(createTenantSchema, { id: 'city-hospital_2', name: ' Горбольница №2 ', locale: 'ru' }),
    ).toEqual({
      id: 'city-hospital_2',
      name: 'Горбольница №2',
      locale: 'ru',
    });
  });

  it('accepts an optional first admin, lower-casing the login', () => {
    expect(
      parseBody(createTenantSchema, {
        id: 'acme2',
        name: 'ACME 2',
        locale: 'en',
        admin: { login: 'Boss', name: 'The Boss', password: 'x' },
      }).admin,
    ).toEqual({ login: 'boss', name: 'The Boss', password: 'x' });
  });

  it.each([
    ['id', { id: 'Acme' }],
    ['id', { id: '-acme' }],
    ['id', { id: 'a'.repeat(65) }],
    ['id', { id: 'ac me' }],
    ['name', { name: '' }],
    ['locale', { locale: 'de' }],
    ['admin.roles', { admin: { login: 'a', name: 'b', password: 'c', roles: ['operator'] } }],
    ['active', { active: false }],
  ])('names %s when it is bad: %j', (field, override) => {
    expect(fields(createTenantSchema, { id: 'acme', name: 'ACME', locale: 'en', ...override })).toEqual([
      field,
    ]);
  });

  it('names each missing field', () => {
    expect(fields(createTenantSchema, {})).toEqual(['id', 'name', 'locale']);
  });
});

describe('updateTenantSchema', () => {
  it('takes any of name, locale, active', () => {
    expect(parseBody(updateTenantSchema, { active: false })).toEqual({ active: false });
    expect(parseBody(updateTenantSchema, { name: 'X', locale: 'ru' })).toEqual({ name: 'X', locale: 'ru' });
  });

  it('takes a CORS allow-list of origins, or an empty one', () => {
    const origins = ['https://crm.acme.example', 'http://localhost:5173', 'https://[::1]:8443'];
    expect(parseBody(updateTenantSchema, { corsOrigins: origins })).toEqual({ corsOrigins: origins });
    expect(parseBody(updateTenantSchema, { corsOrigins: [] })).toEqual({ corsOrigins: [] });
  });

  it.each([
    ['a path', 'https://crm.acme.example/app'],
    ['a trailing slash', 'https://crm.acme.example/'],
    ['upper case', 'https://CRM.acme.example'],
    ['a wildcard', 'https://*.acme.example'],
    ['another scheme', 'ftp://crm.acme.example'],
    ['no scheme', 'crm.acme.example'],
    ['the default port spelled out', 'https://crm.acme.example:443'],
    ['"null"', 'null'],
  ])('names the origin with %s', (_what, origin) => {
    expect(fields(updateTenantSchema, { corsOrigins: ['https://ok.example', origin] })).toEqual([
      'corsOrigins.1',
    ]);
  });

  it('refuses the same origin twice and more than 20', () => {
    expect(fields(updateTenantSchema, { corsOrigins: ['https://a.example', 'https://a.example'] })).toEqual([
      'corsOrigins',
    ]);
    const many = Array.from({ length: 21 }, (_, i) => `https://app${i}.example`);
    expect(fields(updateTenantSchema, { corsOrigins: many })).toEqual(['corsOrigins']);
  });

  it('rejects an empty change, the id, and a non-boolean active', () => {
    expect(fields(updateTenantSchema, {})).toEqual(['(root)']);
    expect(fields(updateTenantSchema, { id: 'other' })).toEqual(['id']);
    expect(fields(updateTenantSchema, { active: 'no' })).toEqual(['active']);
  });
});

describe('tenantChanges and views', () => {
  it('lists only what differs', () => {
    expect(tenantChanges(tenant, { name: 'ACME Corp.', locale: 'en', active: true })).toEqual({});
    expect(tenantChanges(tenant, { name: 'ACME', active: false })).toEqual({ name: 'ACME', active: false });
    expect(tenantChanges(tenant, { corsOrigins: ['https://crm.acme.example'] })).toEqual({});
    expect(tenantChanges(tenant, { corsOrigins: [] })).toEqual({ corsOrigins: [] });
  });

  it('serialises dates and keeps the audit state small', () => {
    expect(toTenantDto(tenant)).toEqual({
      id: 'acme',
      name: 'ACME Corp.',
      locale: 'en',
      active: true,
      corsOrigins: ['https://crm.acme.example'],
      createdAt: '2025-11-27T09:00:00.000Z',
      updatedAt: '2025-11-27T09:00:00.000Z',
    });
    expect(tenantAuditState(tenant)).toEqual({
      id: 'acme',
      name: 'ACME Corp.',
      locale: 'en',
      active: true,
      corsOrigins: ['https://crm.acme.example'],
    });
  });
});
