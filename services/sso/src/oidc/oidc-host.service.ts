import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DATABASE_CONNECTOR, type DatabaseConnector } from '@okc/persistence';
import { InjectConfig, ReadinessRegistry, ROOT_LOGGER } from '@okc/runtime';
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { SsoConfig } from '../config';
import { SigningKeysService } from '../keys/signing-keys.service';
import { AccountsService } from '../users/accounts.service';
import { purgeExpiredModels } from './mysql.adapter';
import { createProvider } from './provider.factory';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
type Next = (err?: unknown) => void;

/** Paths under /sso that are Nest routes (the sign-in pages), not oidc-provider's. */
const NEST_PATHS = /^\/interaction\//;

/**
 * Owns the running oidc-provider: builds it once the database is up and the keys exist, rebuilds it when
 * the key set changes (a rotation here or on another instance), and serves it under `/sso`. Until the
 * first build the endpoints answer 503 with Retry-After, and readiness reports `oidc` down.
 */
@Injectable()
export class OidcHostService implements OnApplicationBootstrap, OnApplicationShutdown {
  private provider: Provider | null = null;
  private handler: Handler | null = null;
  private fingerprint = '';
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private lastError: string | null = null;

  constructor(
    @InjectConfig() private readonly config: SsoConfig,
    @Inject(DATABASE_CONNECTOR) private readonly connector: DatabaseConnector,
    private readonly dataSource: DataSource,
    private readonly keys: SigningKeysService,
    private readonly accounts: AccountsService,
    private readonly audit: AuditService,
    private readonly readiness: ReadinessRegistry,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  get issuer(): string {
    return `${this.config.PUBLIC_URL}/sso`;
  }

  /** The provider, for the interaction pages; throws while sso is still starting. */
  get current(): Provider {
    if (!this.provider) throw new Error('the OpenID provider is not ready yet');
    return this.provider;
  }

  onApplicationBootstrap(): void {
    this.readiness.register({
      name: 'oidc',
      check: () =>
        this.provider ? Promise.resolve() : Promise.reject(new Error(this.lastError ?? 'starting')),
    });
    void this.start();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.readiness.unregister('oidc');
  }

  /** Express middleware for `app.use('/sso', …)`. */
  middleware(): (req: IncomingMessage & { url?: string }, res: ServerResponse, next: Next) => void {
    return (req, res, next) => {
      if (NEST_PATHS.test(req.url ?? '')) return next();
      if (!this.handler) {
        res.statusCode = 503;
        res.setHeader('Retry-After', '5');
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.end(
          JSON.stringify({ error: 'SSO_STARTING', message: 'Sign-in is starting; retry in a few seconds.' }),
        );
        return;
      }
      this.handler(req, res);
    };
  }

  /** After a rotation on this instance: rebuild now rather than at the next reload. */
  async reload(): Promise<void> {
    const set = await this.keys.loadActiveSet();
    if (set.fingerprint === this.fingerprint && this.provider) return;
    const provider = createProvider({
      config: this.config,
      dataSource: this.dataSource,
      accounts: this.accounts,
      audit: this.audit,
      keys: set,
      onServerError: (err, ctx) =>
        this.logger.error({ err, path: ctx.path, client: ctx.oidc?.client?.clientId }, 'oidc server error'),
    });
    this.provider = provider;
    const callback = provider.callback();
    this.handler = (req, res) => void callback(req, res);
    const previous = this.fingerprint;
    this.fingerprint = set.fingerprint;
    this.logger.info(
      {
        issuer: this.issuer,
        signingKid: set.current.kid,
        published: set.published.map((k) => k.kid),
        previous,
      },
      previous ? 'OpenID provider rebuilt for a new key set' : 'OpenID provider ready',
    );
  }

  private async start(): Promise<void> {
    try {
      await this.connector.ready();
    } catch {
      return; // stopped before the database came up
    }
    let attempt = 0;
    while (!this.stopped && !this.provider) {
      try {
        await this.keys.ensureKeys();
        await this.reload();
        this.lastError = null;
      } catch (err) {
        this.lastError = err instanceof Error ? err.message : String(err);
        this.logger.error({ err, attempt }, 'OpenID provider could not start; retrying');
        await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** attempt++)));
      }
    }
    this.schedule();
  }

  /** Periodic: rotate when due, pick up other instances' rotations, purge expired artifacts. */
  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void (async () => {
        try {
          await this.keys.maintain();
          await this.reload();
          const purged = await purgeExpiredModels(this.dataSource);
          if (purged) this.logger.debug({ purged }, 'expired OIDC artifacts removed');
        } catch (err) {
          this.logger.warn({ err }, 'OIDC maintenance failed; will retry');
        } finally {
          this.schedule();
        }
      })();
    }, this.config.SSO_KEY_RELOAD_MS);
    this.timer.unref();
  }
}
