import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import { APP_CONFIG, ROOT_LOGGER, SERVICE_INFO, type ServiceInfo } from '@okc/runtime';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config';
import { upstreams } from '../proxy/api-proxy';
import { integratorOpenApi, type ServiceDocument } from './integrator-openapi';

interface Cached {
  readonly document: OpenAPIObject;
  readonly fetchedAt: number;
}

export interface IntegratorDocsOptions {
  /** Service name → its base URL (the gateway's upstreams); each serves its own `/docs-json`. */
  readonly upstreams: Readonly<Record<string, string>>;
  readonly publicUrl: string;
  readonly version: string;
  /** How long a service's document is reused before it is asked again. */
  readonly ttlMs?: number;
  /** How long a service may take to answer. */
  readonly timeoutMs?: number;
}

/**
 * The gateway's `/docs`: the integrator API assembled from every service's own OpenAPI document, asked
 * for when `/docs` is opened and reused for `ttlMs`. A service that does not answer keeps its last good
 * document (if it ever answered) and is otherwise left out and named, so the page always opens.
 */
export class IntegratorDocs {
  private readonly cache = new Map<string, Cached>();
  private readonly ttlMs: number;
  private readonly timeoutMs: number;

  constructor(
    private readonly options: IntegratorDocsOptions,
    private readonly logger: Logger,
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.timeoutMs = options.timeoutMs ?? 3_000;
  }

  /** The whole document; `gateway` is the gateway's own (its `/api/v1/gateway/*` routes). */
  async document(gateway: OpenAPIObject): Promise<OpenAPIObject> {
    const services = await Promise.all(
      Object.entries(this.options.upstreams).map(([service, url]) => this.serviceDocument(service, url)),
    );
    return integratorOpenApi([{ service: 'gateway', document: gateway }, ...services], {
      publicUrl: this.options.publicUrl,
      version: this.options.version,
    });
  }

  private async serviceDocument(service: string, url: string): Promise<ServiceDocument> {
    const cached = this.cache.get(service);
    if (cached && Date.now() - cached.fetchedAt < this.ttlMs) return { service, document: cached.document };
    try {
      const res = await fetch(`${url}/docs-json`, { signal: AbortSignal.timeout(this.timeoutMs) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const document = (await res.json()) as OpenAPIObject;
      if (typeof document !== 'object' || document === null || typeof document.paths !== 'object') {
        throw new Error('not an OpenAPI document');
      }
      this.cache.set(service, { document, fetchedAt: Date.now() });
      return { service, document };
    } catch (err) {
      this.logger.warn(
        { service, url: `${url}/docs-json`, err: err instanceof Error ? err.message : String(err) },
        cached
          ? 'service OpenAPI unavailable; serving its last known document'
          : 'service OpenAPI unavailable; left out of /docs',
      );
      return { service, document: cached?.document ?? null };
    }
  }
}

/** The `patchDocument` hook of the gateway's Swagger set-up: `/docs` and `/docs-json` show the integrator API. */
export function integratorDocsFor(
  app: NestExpressApplication,
): (own: OpenAPIObject) => Promise<OpenAPIObject> {
  const config = app.get<GatewayConfig>(APP_CONFIG);
  const docs = new IntegratorDocs(
    {
      upstreams: upstreams(config),
      publicUrl: config.PUBLIC_URL,
      version: app.get<ServiceInfo>(SERVICE_INFO).version,
    },
    app.get<Logger>(ROOT_LOGGER).child({ component: 'docs' }),
  );
  return (own) => docs.document(own);
}
