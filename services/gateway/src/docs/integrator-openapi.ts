import type { OpenAPIObject } from '@nestjs/swagger';
import { ROLES_EXTENSION } from '@okc/auth';

/** One service's own OpenAPI document (its `/docs-json`), or null when it did not answer. */
export interface ServiceDocument {
  readonly service: string;
  readonly document: OpenAPIObject | null;
}

type Json = unknown;
type Operation = Record<string, Json> & { tags?: string[]; operationId?: string; security?: unknown };

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;
const SCHEMA_REF = '#/components/schemas/';

/** The security scheme every operation of the integrator API names: a client-credentials token from sso. */
export const INTEGRATOR_SECURITY = 'clientCredentials';

/**
 * Whether an integrator's token may call an operation: `@Public()` ones and those without `@Roles` admit
 * any valid token; a `@Roles` list (`x-okc-roles`) must name `integrator`.
 */
export function integratorMayCall(operation: Operation): boolean {
  const roles = operation[ROLES_EXTENSION];
  return !Array.isArray(roles) || roles.includes('integrator');
}

/** Every `#/components/schemas/<name>` a JSON value refers to, directly. */
function refsOf(value: Json, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) refsOf(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string' && item.startsWith(SCHEMA_REF)) {
        into.add(item.slice(SCHEMA_REF.length));
      } else refsOf(item, into);
    }
  }
  return into;
}

/** A deep copy of `value` with schema references renamed by `names` (old → new). */
function renameRefs<T extends Json>(value: T, names: ReadonlyMap<string, string>): T {
  if (Array.isArray(value)) return value.map((item: Json) => renameRefs(item, names)) as T;
  if (!value || typeof value !== 'object') return value;
  const copy: Record<string, Json> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string' && item.startsWith(SCHEMA_REF)) {
      const name = item.slice(SCHEMA_REF.length);
      copy[key] = `${SCHEMA_REF}${names.get(name) ?? name}`;
    } else copy[key] = renameRefs(item, names);
  }
  return copy as T;
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The integrator API of OKC as one OpenAPI document: from each service's own document, the operations
 * under its `/api/v1/<service>/` that an integrator's token may call (the gateway serves them at the same
 * paths), tagged with the service, with the schemas they use. Two services' schemas of one name but
 * different shapes are told apart by the service's name (`FocusPrincipalDto`); identical ones are shared.
 * Services that did not answer are named in the description and in `x-okc-unavailable`.
 */
export function integratorOpenApi(
  sources: readonly ServiceDocument[],
  options: { publicUrl: string; version: string },
): OpenAPIObject {
  const paths: OpenAPIObject['paths'] = {};
  const schemas: Record<string, Json> = {};
  const tags: { name: string; description?: string }[] = [];
  const unavailable: string[] = [];

  for (const { service, document } of sources) {
    if (!document) {
      unavailable.push(service);
      continue;
    }
    const prefix = `/api/v1/${service}/`;
    const own = (document.components?.schemas ?? {}) as Record<string, Json>;
    const kept: [string, string, Operation][] = [];
    const used = new Set<string>();
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      if (!path.startsWith(prefix)) continue;
      for (const method of METHODS) {
        const operation = (item as Record<string, Operation | undefined>)[method];
        if (!operation || !integratorMayCall(operation)) continue;
        kept.push([path, method, operation]);
        refsOf(operation, used);
      }
    }
    if (kept.length === 0) continue;
    // Close over the schemas the kept operations use, through the schemas' own references.
    const pending = [...used];
    while (pending.length > 0) {
      const name = pending.pop()!;
      for (const ref of refsOf(own[name], new Set())) {
        if (!used.has(ref)) {
          used.add(ref);
          pending.push(ref);
        }
      }
    }
    const names = new Map<string, string>();
    for (const name of used) {
      const schema = own[name];
      if (schema === undefined) continue;
      const taken = schemas[name];
      names.set(
        name,
        taken === undefined || JSON.stringify(taken) === JSON.stringify(schema)
          ? name
          : `${capitalized(service)}${name}`,
      );
    }
    for (const name of used) {
      if (own[name] !== undefined) schemas[names.get(name)!] = renameRefs(own[name], names);
    }
    const serviceTags = new Set<string>();
    for (const [path, method, operation] of kept) {
      const copy = renameRefs(operation, names);
      const opTags = (operation.tags?.length ? operation.tags : ['api']).map((tag) => `${service} · ${tag}`);
      opTags.forEach((tag) => serviceTags.add(tag));
      copy.tags = opTags;
      if (operation.operationId) copy.operationId = `${service}_${operation.operationId}`;
      copy.security = [{ [INTEGRATOR_SECURITY]: [] }];
      paths[path] = { ...(paths[path] ?? {}), [method]: copy };
    }
    for (const tag of [...serviceTags].sort()) tags.push({ name: tag });
  }

  const description = [
    'The OKC API for integrators. Every call needs an access token of the client-credentials grant: ' +
      `POST ${options.publicUrl}/sso/token with your client id and secret (HTTP Basic) and ` +
      '`grant_type=client_credentials`, then `Authorization: Bearer <token>`.',
    'Calls are rate-limited per client and per tenant (429 with Retry-After); bodies are limited in size (413).',
    ...(unavailable.length
      ? [`Not listed right now, because they did not answer: ${unavailable.join(', ')}. Reload later.`]
      : []),
  ].join('\n\n');

  return {
    openapi: '3.0.0',
    info: { title: 'OKC integrator API', version: options.version, description },
    servers: [{ url: options.publicUrl }],
    tags,
    paths,
    components: {
      schemas: schemas as NonNullable<OpenAPIObject['components']>['schemas'],
      securitySchemes: {
        [INTEGRATOR_SECURITY]: {
          type: 'oauth2',
          description: 'A token of your integrator client (client-credentials grant).',
          flows: { clientCredentials: { tokenUrl: `${options.publicUrl}/sso/token`, scopes: {} } },
        },
      },
    },
    ...(unavailable.length ? { 'x-okc-unavailable': unavailable } : {}),
  };
}
