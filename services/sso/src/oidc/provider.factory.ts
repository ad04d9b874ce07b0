import type { IncomingMessage } from 'node:http';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { DataSource } from 'typeorm';
import type { AuditActor, AuditService } from '../audit/audit.service';
import { OidcClient } from '../clients/oidc-client.entity';
import { verifyClientSecret } from '../clients/client-secret';
import type { SsoConfig } from '../config';
import type { ActiveKeySet } from '../keys/signing-keys.service';
import { pickLocale } from '../login/pages/i18n';
import { renderErrorPage } from '../login/pages/error.page';
import { renderLoggedOutPage, renderLogoutPage } from '../login/pages/logout.page';
import { pageSecurityHeaders } from '../login/pages/layout';
import type { AccountsService } from '../users/accounts.service';
import type { User } from '../users/user.entity';
import { gatewayClient, toClientMetadata, type OkcClient } from './client-metadata';
import { MysqlModelAdapter } from './mysql.adapter';
import {
  FIRST_PARTY_SCOPES,
  OKC_API_AUDIENCE,
  OKC_API_RESOURCE,
  OKC_API_SCOPE,
  type OkcClientMetadata,
} from './oidc.constants';

export interface ProviderDeps {
  readonly config: SsoConfig;
  readonly dataSource: DataSource;
  readonly accounts: AccountsService;
  readonly audit: AuditService;
  readonly keys: ActiveKeySet;
  readonly onServerError: (err: unknown, ctx: KoaContextWithOIDC) => void;
}

const okc = (client: unknown): OkcClientMetadata => client as OkcClientMetadata;

/** What a signed-in user's tokens and userinfo say about them. */
export function userClaims(user: User): Record<string, unknown> {
  return {
    sub: user.id,
    name: user.name,
    preferred_username: user.login,
    email: user.email ?? undefined,
    locale: user.locale ?? undefined,
    updated_at: Math.floor(user.updatedAt.getTime() / 1000),
    tenant: user.tenantId,
    roles: user.roles,
  };
}

function localeOf(ctx: KoaContextWithOIDC) {
  const query = ctx.query as Record<string, unknown>;
  return pickLocale({
    query: typeof query.lang === 'string' ? query.lang : undefined,
    uiLocales: typeof query.ui_locales === 'string' ? query.ui_locales : undefined,
    acceptLanguage: ctx.get('accept-language') || undefined,
  });
}

function sendPage(ctx: KoaContextWithOIDC, html: string, formActionOrigins: string[] = []): void {
  for (const [name, value] of Object.entries(pageSecurityHeaders(formActionOrigins))) ctx.set(name, value);
  ctx.type = 'html';
  ctx.body = html;
}

/** The client IP as the gateway saw it (the provider runs with `proxy = true`). */
function originOf(ctx: KoaContextWithOIDC) {
  const req = ctx.req as IncomingMessage & { id?: unknown };
  return {
    ip: ctx.ip,
    userAgent: ctx.get('user-agent') || null,
    requestId: typeof req.id === 'string' ? req.id : ctx.get('x-request-id') || null,
  };
}

/**
 * Builds an oidc-provider for the current key set. A key change builds a new one (oidc-provider's keystore
 * is fixed at construction); all state lives in the database, so swapping instances loses nothing.
 */
export function createProvider(deps: ProviderDeps): Provider {
  const { config, dataSource, accounts, audit, keys } = deps;
  const issuer = `${config.PUBLIC_URL}/sso`;
  const extraRedirects = config.SSO_GATEWAY_REDIRECT_URIS.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const accessTtl = config.SSO_ACCESS_TOKEN_TTL_S;

  class ClientAdapter {
    async find(id: string): Promise<OkcClient | undefined> {
      const rows: OidcClient[] = await dataSource
        .getRepository(OidcClient)
        .createQueryBuilder('c')
        .innerJoin('tenants', 't', 't.id = c.tenant_id AND t.active = 1')
        .where('c.id = :id AND c.active = 1', { id })
        .getMany();
      const row = rows[0];
      return row ? toClientMetadata(row) : undefined;
    }
    upsert(): Promise<void> {
      return Promise.reject(new Error('clients are managed through the admin API'));
    }
    destroy(): Promise<void> {
      return Promise.reject(new Error('clients are managed through the admin API'));
    }
  }

  const configuration: Configuration = {
    adapter: (name: string) =>
      name === 'Client'
        ? (new ClientAdapter() as unknown as MysqlModelAdapter)
        : new MysqlModelAdapter(dataSource, name),
    clients: [gatewayClient(config.PUBLIC_URL, config.SSO_GATEWAY_CLIENT_SECRET, extraRedirects)],
    jwks: { keys: keys.published.map((k) => ({ ...k })) },
    extraClientMetadata: {
      properties: ['okc_tenant', 'okc_kind', 'okc_roles'],
      validator: () => undefined,
    },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256'],
      requestObjectSigningAlgValues: ['RS256', 'PS256', 'ES256'],
      userinfoSigningAlgValues: ['RS256'],
      introspectionSigningAlgValues: ['RS256'],
      authorizationSigningAlgValues: ['RS256'],
      clientAuthSigningAlgValues: ['RS256', 'PS256', 'ES256'],
    },
    responseTypes: ['code'],
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'okc', OKC_API_SCOPE],
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username', 'locale', 'updated_at'],
      email: ['email'],
      okc: ['tenant', 'roles'],
    },
    async findAccount(_ctx, sub) {
      const user = await accounts.findBySubject(sub);
      if (!user?.active) return undefined;
      const tenant = await accounts.findTenant(user.tenantId);
      if (!tenant?.active) return undefined;
      return { accountId: user.id, claims: () => userClaims(user) as { sub: string } };
    },
    async extraTokenClaims(ctx, token) {
      if (token.kind === 'ClientCredentials') {
        const client = okc(ctx.oidc.client);
        return { tenant: client.okc_tenant, roles: client.okc_roles };
      }
      const accountId = 'accountId' in token ? token.accountId : undefined;
      if (!accountId) return undefined;
      const user = await accounts.findBySubject(accountId);
      if (!user) return undefined;
      return { tenant: user.tenantId, roles: user.roles, name: user.name, preferred_username: user.login };
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      introspection: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx, form) {
          const name = ctx.oidc.client?.clientName;
          const back = (ctx.oidc.params as { post_logout_redirect_uri?: unknown } | undefined)
            ?.post_logout_redirect_uri;
          sendPage(
            ctx,
            renderLogoutPage({
              locale: localeOf(ctx),
              formHtml: form,
              pageUrl: ctx.originalUrl,
              ...(name ? { clientName: name } : {}),
            }),
            typeof back === 'string' && /^https?:\/\//.test(back) ? [new URL(back).origin] : [],
          );
        },
        postLogoutSuccessSource(ctx) {
          const name = ctx.oidc.client?.clientName;
          sendPage(
            ctx,
            renderLoggedOutPage({ locale: localeOf(ctx), ...(name ? { clientName: name } : {}) }),
          );
        },
      },
      resourceIndicators: {
        enabled: true,
        // OKC's own clients get OKC API tokens without asking; a third-party app gets identity only
        // (an opaque token for userinfo), unless it explicitly asks for the API resource.
        defaultResource: (ctx) =>
          okc(ctx.oidc.client).okc_kind === 'third-party' ? undefined : OKC_API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, resource) {
          if (resource !== OKC_API_RESOURCE) throw new errors.InvalidTarget('unknown resource');
          return {
            scope: OKC_API_SCOPE,
            audience: OKC_API_AUDIENCE,
            accessTokenTTL: accessTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256', kid: keys.current.kid } },
          };
        },
      },
    },
    async loadExistingGrant(ctx) {
      const grantId =
        ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session?.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      // First-party clients skip consent: the enterprise's own applications.
      if (okc(ctx.oidc.client).okc_kind === 'first-party' && ctx.oidc.session?.accountId) {
        const grant = new ctx.oidc.provider.Grant({
          clientId: ctx.oidc.client!.clientId,
          accountId: ctx.oidc.session.accountId,
        });
        grant.addOIDCScope(FIRST_PARTY_SCOPES);
        grant.addResourceScope(OKC_API_RESOURCE, OKC_API_SCOPE);
        await grant.save();
        return grant;
      }
      return undefined;
    },
    issueRefreshToken: (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') &&
      (code.scopes.has('offline_access') || okc(client).okc_kind === 'first-party'),
    rotateRefreshToken: true,
    interactions: { url: (_ctx, interaction) => `/sso/interaction/${interaction.uid}` },
    cookies: {
      keys: [config.SSO_COOKIE_SECRET],
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    ttl: {
      AccessToken: accessTtl,
      ClientCredentials: accessTtl,
      IdToken: accessTtl,
      AuthorizationCode: 60,
      Interaction: 3600,
      Session: config.SSO_SESSION_TTL_S,
      Grant: config.SSO_REFRESH_TOKEN_TTL_S,
      // Rotation keeps the absolute lifetime of the first refresh token: rotating never extends a session.
      RefreshToken: (ctx) => {
        const rotated = ctx?.oidc?.entities.RotatedRefreshToken;
        return rotated ? rotated.remainingTTL : config.SSO_REFRESH_TOKEN_TTL_S;
      },
    },
    clockTolerance: 5,
    renderError(ctx, out) {
      ctx.status = ctx.status >= 400 ? ctx.status : 400;
      sendPage(
        ctx,
        renderErrorPage({
          locale: localeOf(ctx),
          message: String(out.error_description ?? out.error),
          ...(typeof out.error === 'string' ? { title: out.error } : {}),
        }),
      );
    },
  };

  const provider = new Provider(issuer, configuration);
  // Behind the gateway: trust X-Forwarded-Proto/Host for the URLs it builds and for the client IP.
  provider.proxy = true;

  // Stored secrets are hashes: compare by hashing what the client presented.
  const clientProto = provider.Client.prototype as unknown as {
    clientSecret?: string;
    compareClientSecret(actual: string): boolean;
  };
  clientProto.compareClientSecret = function compareClientSecret(this: { clientSecret?: string }, actual) {
    return verifyClientSecret(this.clientSecret, actual);
  };

  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const client = ctx.oidc.client;
    if (!client) return;
    const origin = originOf(ctx);
    const requested = (ctx.oidc.params as { grant_type?: unknown } | undefined)?.grant_type;
    const grantType = typeof requested === 'string' ? requested : 'token';
    const accountId = ctx.oidc.entities.Account?.accountId;
    const record = (tenantId: string, actor: AuditActor) =>
      audit.recordDetached({
        tenantId,
        type: 'token.issued',
        actor,
        subject: { type: actor.type, id: actor.id ?? client.clientId },
        clientId: client.clientId,
        origin,
        reason: grantType,
      });
    if (!accountId) {
      record(okc(client).okc_tenant ?? '-', {
        type: 'client',
        id: client.clientId,
        label: client.clientName ?? null,
      });
      return;
    }
    void accounts.findBySubject(accountId).then((user) => {
      if (user) record(user.tenantId, { type: 'user', id: user.id, label: `${user.login}@${user.tenantId}` });
    });
  });

  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    const accountId = ctx.oidc.session?.accountId;
    if (!accountId) return;
    void accounts.findBySubject(accountId).then((user) => {
      if (!user) return;
      audit.recordDetached({
        tenantId: user.tenantId,
        type: 'sign-out',
        actor: { type: 'user', id: user.id, label: `${user.login}@${user.tenantId}` },
        subject: { type: 'user', id: user.id },
        clientId: ctx.oidc.client?.clientId ?? null,
        origin: originOf(ctx),
      });
    });
  });

  provider.on('server_error', (ctx: KoaContextWithOIDC, err: unknown) => deps.onServerError(err, ctx));
  return provider;
}
