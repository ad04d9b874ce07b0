import type { OpenAPIObject } from '@nestjs/swagger';
import { INTEGRATOR_SECURITY, integratorMayCall, integratorOpenApi } from './integrator-openapi';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const ok = (schema: string) => ({
  '200': { description: 'ok', content: { 'application/json': { schema: ref(schema) } } },
});

/** A service document as Nest's Swagger module writes one (only what the merge reads). */
function serviceDoc(paths: Record<string, unknown>, schemas: Record<string, unknown>): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths,
    components: { schemas },
  } as OpenAPIObject;
}

const focus = serviceDoc(
  {
    '/api/v1/focus/whoami': {
      get: { operationId: 'Whoami_whoami', tags: ['auth'], responses: ok('PrincipalDto') },
    },
    '/api/v1/focus/calls': {
      get: {
        operationId: 'Calls_list',
        'x-okc-roles': ['integrator', 'supervisor'],
        responses: ok('CallPage'),
      },
      post: { operationId: 'Calls_create', 'x-okc-roles': ['supervisor'], responses: ok('Call') },
    },
    '/health/live': { get: { operationId: 'Health_live', responses: ok('Health') } },
  },
  {
    PrincipalDto: { type: 'object', properties: { subject: { type: 'string' } } },
    CallPage: { type: 'object', properties: { items: { type: 'array', items: ref('Call') } } },
    Call: { type: 'object', properties: { party: ref('Party') } },
    Party: { type: 'object', properties: { number: { type: 'string' } } },
    Unused: { type: 'object' },
    Health: { type: 'object' },
  },
);

const sso = serviceDoc(
  {
    '/api/v1/sso/whoami': {
      get: { operationId: 'Whoami_whoami', tags: ['auth'], responses: ok('PrincipalDto') },
    },
    '/api/v1/sso/users': {
      get: { operationId: 'Users_list', 'x-okc-roles': ['admin'], responses: ok('UserList') },
    },
  },
  {
    // The same name as focus's, but another shape: the two must stay apart.
    PrincipalDto: { type: 'object', properties: { subject: { type: 'integer' } } },
    UserList: { type: 'object' },
  },
);

const merged = integratorOpenApi(
  [
    { service: 'focus', document: focus },
    { service: 'sso', document: sso },
    { service: 'statix', document: null },
  ],
  { publicUrl: 'https://okc.example', version: '1.2.3' },
);
const schemaNames = () => Object.keys(merged.components?.schemas ?? {}).sort();

describe('integratorMayCall', () => {
  it.each([
    [{}, true],
    [{ 'x-okc-roles': ['integrator'] }, true],
    [{ 'x-okc-roles': ['admin', 'integrator'] }, true],
    [{ 'x-okc-roles': ['admin'] }, false],
    [{ 'x-okc-roles': [] }, false],
  ])('%p → %p', (operation, expected) => {
    expect(integratorMayCall(operation)).toBe(expected);
  });
});

describe('integratorOpenApi', () => {
  it('keeps the operations an integrator token may call, at the paths the gateway serves', () => {
    expect(Object.keys(merged.paths).sort()).toEqual([
      '/api/v1/focus/calls',
      '/api/v1/focus/whoami',
      '/api/v1/sso/whoami',
    ]);
    expect(Object.keys(merged.paths['/api/v1/focus/calls']!)).toEqual(['get']); // POST is supervisor-only
  });

  it('leaves out what is not under the service’s /api/v1 (health, metrics)', () => {
    expect(merged.paths['/health/live']).toBeUndefined();
    expect(schemaNames()).not.toContain('Health');
  });

  it('carries the schemas the operations use, through nested references, and no others', () => {
    expect(schemaNames()).toEqual(['Call', 'CallPage', 'Party', 'PrincipalDto', 'SsoPrincipalDto']);
  });

  it('tells apart two services’ schemas of one name and rewrites the references', () => {
    const ssoWhoami = merged.paths['/api/v1/sso/whoami']!.get!;
    expect(JSON.stringify(ssoWhoami.responses)).toContain('#/components/schemas/SsoPrincipalDto');
    const focusWhoami = merged.paths['/api/v1/focus/whoami']!.get!;
    expect(JSON.stringify(focusWhoami.responses)).toContain('#/components/schemas/PrincipalDto"');
    expect(merged.components?.schemas?.['SsoPrincipalDto']).toEqual(sso.components!.schemas!['PrincipalDto']);
  });

  it('shares a schema two services define identically', () => {
    const same = serviceDoc(
      { '/api/v1/helper/whoami': { get: { responses: ok('PrincipalDto') } } },
      { PrincipalDto: focus.components!.schemas!['PrincipalDto'] },
    );
    const doc = integratorOpenApi(
      [
        { service: 'focus', document: focus },
        { service: 'helper', document: same },
      ],
      { publicUrl: 'http://x', version: '1' },
    );
    expect(Object.keys(doc.components?.schemas ?? {})).not.toContain('HelperPrincipalDto');
    expect(JSON.stringify(doc.paths['/api/v1/helper/whoami'])).toContain('schemas/PrincipalDto"');
  });

  it('tags each operation with its service and keeps operation ids unique', () => {
    expect(merged.paths['/api/v1/focus/whoami']!.get!.tags).toEqual(['focus · auth']);
    expect(merged.paths['/api/v1/focus/calls']!.get!.tags).toEqual(['focus · api']);
    const ids = Object.values(merged.paths).flatMap((item) =>
      Object.values(item as Record<string, { operationId?: string }>).map((op) => op.operationId),
    );
    expect(ids).toContain('focus_Whoami_whoami');
    expect(ids).toContain('sso_Whoami_whoami');
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('asks for a client-credentials token of sso on every operation', () => {
    const scheme = merged.components?.securitySchemes?.[INTEGRATOR_SECURITY] as {
      type: string;
      flows: { clientCredentials: { tokenUrl: string } };
    };
    expect(scheme.type).toBe('oauth2');
    expect(scheme.flows.clientCredentials.tokenUrl).toBe('https://okc.example/sso/token');
    for (const item of Object.values(merged.paths)) {
      for (const op of Object.values(item as Record<string, { security?: unknown }>)) {
        expect(op.security).toEqual([{ [INTEGRATOR_SECURITY]: [] }]);
      }
    }
    expect(merged.servers).toEqual([{ url: 'https://okc.example' }]);
  });

  it('names the services that did not answer, and says nothing when all did', () => {
    expect(merged.info.description).toContain('did not answer: statix');
    expect((merged as unknown as Record<string, unknown>)['x-okc-unavailable']).toEqual(['statix']);
    const all = integratorOpenApi([{ service: 'focus', document: focus }], {
      publicUrl: 'http://x',
      version: '1',
    });
    expect(all.info.description).not.toContain('did not answer');
  });

  it('answers a valid, empty API when no service answered', () => {
    const none = integratorOpenApi([{ service: 'focus', document: null }], {
      publicUrl: 'http://x',
      version: '1',
    });
    expect(none.paths).toEqual({});
    expect(none.info.description).toContain('did not answer: focus');
  });
});
