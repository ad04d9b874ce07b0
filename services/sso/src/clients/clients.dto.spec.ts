import { parseBody, ValidationFailedError } from '@okc/runtime';
import {
  clientAuditState,
  createClientSchema,
  isAllowedRedirectUri,
  toClientDto,
  updateClientSchema,
} from './clients.dto';
import { clientChanges } from './clients.service';
import type { OidcClient } from './oidc-client.entity';

function violations(fn: () => unknown): { field: string; message: string }[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationFailedError) return [...error.violations];
    throw error;
  }
  return [];
}
const fields = (schema: Parameters<typeof parseBody>[0], body: unknown) =>
  violations(() => parseBody(schema, body)).map((v) => v.field);

const at = new Date('2025-11-27T09:00:00.000Z');
const client = (over: Partial<OidcClient> = {}): OidcClient => ({
  id: 'app_x',
  tenantId: 'demo',
  kind: 'third-party',
  name: 'CRM',
  secretHash: 'sha256$abc',
  redirectUris: ['https://crm.example.com/cb'],
  postLogoutRedirectUris: [],
  roles: [],
  active: true,
  createdAt: at,
  updatedAt: at,
  ...over,
});

describe('redirect URIs', () => {
  it.each([
    'https://app.example.com/callback',
    'https://app.example.com:8443/cb?x=1',
    'http://localhost:5173/callback',
    'http://127.0.0.1/cb',
    'http://[::1]:8080/cb',
  ])('allows %s', (uri) => expect(isAllowedRedirectUri(uri)).toBe(true));

  it.each([
    'http://app.example.com/callback',
    'http://localhost.example.com/cb',
    'https://app.example.com/cb#frag',
    'https://app.example.com/cb#',
    'https://user:pw@app.example.com/cb',
    'javascript:alert(1)',
    'custom-scheme:/cb',
    '/relative',
    'not a url',
  ])('refuses %s', (uri) => expect(isAllowedRedirectUri(uri)).toBe(false));
});

describe('createClientSchema', () => {
  it('an integrator needs only a name', () => {
    expect(parseBody(createClientSchema, { kind: 'integrator', name: 'CRM sync' })).toEqual({
      kind: 'integrator',
      name: 'CRM sync',
    });
  });

  it('a third-party app needs a redirect URI and may be public', () => {
    expect(
      parseBody(createClientSchema, {
        kind: 'third-party',
        name: 'Portal',
        redirectUris: ['https://portal.example.com/cb', 'https://portal.example.com/cb'],
        public: true,
      }),
    ).toEqual({
      kind: 'third-party',
      name: 'Portal',
      redirectUris: ['https://portal.example.com/cb'],
      public: true,
    });
    expect(fields(createClientSchema, { kind: 'third-party', name: 'Portal' })).toEqual(['redirectUris']);
  });

  it('an integrator has no redirect URIs and is never public', () => {
    expect(
      fields(createClientSchema, {
        kind: 'integrator',
        name: 'x',
        redirectUris: ['https://a.example.com/cb'],
        postLogoutRedirectUris: ['https://a.example.com/'],
        public: true,
      }),
    ).toEqual(['redirectUris', 'postLogoutRedirectUris', 'public']);
  });

  it.each([
    ['kind', { kind: 'first-party' }],
    ['name', { name: '' }],
    ['redirectUris.0', { redirectUris: ['http://evil.example.com/cb'] }],
    ['secret', { secret: 'mine' }],
    ['roles', { roles: ['admin'] }],
  ])('names %s when it is bad: %j', (field, override) => {
    expect(
      fields(createClientSchema, {
        kind: 'third-party',
        name: 'P',
        redirectUris: ['https://p.example.com/cb'],
        ...override,
      }),
    ).toEqual([field]);
  });
});

describe('updateClientSchema and clientChanges', () => {
  it('rejects an empty change and fields that cannot change', () => {
    expect(fields(updateClientSchema, {})).toEqual(['(root)']);
    expect(fields(updateClientSchema, { kind: 'integrator' })).toEqual(['kind']);
    expect(fields(updateClientSchema, { public: true })).toEqual(['public']);
  });

  it('lists only what differs', () => {
    expect(clientChanges(client(), { name: 'CRM', redirectUris: ['https://crm.example.com/cb'] })).toEqual(
      {},
    );
    expect(clientChanges(client(), { active: false, name: 'CRM 2' })).toEqual({
      active: false,
      name: 'CRM 2',
    });
  });

  it('keeps redirect URIs consistent with the kind (400 naming the field)', () => {
    expect(violations(() => clientChanges(client(), { redirectUris: [] }))).toEqual([
      { field: 'redirectUris', message: 'a third-party app needs a redirect URI' },
    ]);
    const integrator = client({ kind: 'integrator', redirectUris: [], roles: ['integrator'] });
    expect(
      violations(() => clientChanges(integrator, { redirectUris: ['https://x.example.com/cb'] }))[0]?.field,
    ).toBe('redirectUris');
    expect(clientChanges(integrator, { name: 'Renamed' })).toEqual({ name: 'Renamed' });
  });
});

describe('views', () => {
  it('never show the secret hash; public means no secret', () => {
    expect(JSON.stringify(toClientDto(client()))).not.toContain('sha256');
    expect(toClientDto(client()).public).toBe(false);
    expect(toClientDto(client({ secretHash: null })).public).toBe(true);
    expect(JSON.stringify(clientAuditState(client()))).not.toContain('sha256');
    expect(clientAuditState(client())).not.toHaveProperty('createdAt');
  });
});
