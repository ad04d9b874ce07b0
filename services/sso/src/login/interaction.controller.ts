import { Body, Controller, Get, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PublicRoute } from '@okc/runtime';
import type { Request, Response } from 'express';
import { errors } from 'oidc-provider';
import type { RequestOrigin } from '../audit/audit.service';
import { AuditService } from '../audit/audit.service';
import { OidcHostService } from '../oidc/oidc-host.service';
import { AccountsService } from '../users/accounts.service';
import type { OkcClientMetadata } from '../oidc/oidc.constants';
import { renderConsentPage } from './pages/consent.page';
import { renderErrorPage } from './pages/error.page';
import { pickLocale, type Locale } from './pages/i18n';
import { pageSecurityHeaders } from './pages/layout';
import { renderLoginPage } from './pages/login.page';
import { parseIdentifier } from './identifier';
import { SignInService } from './sign-in.service';

type Form = Record<string, unknown>;
type Details = Awaited<ReturnType<OidcHostService['current']['interactionDetails']>>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The sign-in and consent pages of the OpenID provider: plain HTML forms (no JavaScript), Russian by
 * default. oidc-provider hands the browser here with an interaction id; we answer its prompt (login, then
 * consent for third-party apps) and hand the browser back.
 */
@ApiExcludeController()
@PublicRoute()
@Controller('sso/interaction')
export class InteractionController {
  constructor(
    private readonly host: OidcHostService,
    private readonly signIn: SignInService,
    private readonly audit: AuditService,
    private readonly accounts: AccountsService,
  ) {}

  @Get(':uid')
  async show(@Param('uid') uid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const details = await this.details(req, res);
    if (!details || details.uid !== uid) return;
    const locale = localeOf(req, details);
    const client = await this.host.current.Client.find(String(details.params.client_id));
    const clientName = client?.clientName ?? String(details.params.client_id);
    if (details.prompt.name === 'login') {
      const tenant = (client as unknown as OkcClientMetadata | undefined)?.okc_tenant ?? undefined;
      const hint = str(details.params.login_hint);
      this.page(
        res,
        HttpStatus.OK,
        renderLoginPage({
          locale,
          action: `/sso/interaction/${uid}/login`,
          clientName,
          ...(hint ? { login: hint } : {}),
          ...(tenant ? { tenant } : {}),
        }),
        redirectOrigins(details),
      );
      return;
    }
    this.page(
      res,
      HttpStatus.OK,
      renderConsentPage(this.consentView(uid, locale, clientName, details)),
      redirectOrigins(details),
    );
  }

  @Post(':uid/login')
  async login(@Param('uid') uid: string, @Body() form: Form, @Req() req: Request, @Res() res: Response) {
    const details = await this.details(req, res);
    if (!details || details.uid !== uid) return;
    const locale = localeOf(req, details);
    const clientId = String(details.params.client_id);
    const client = await this.host.current.Client.find(clientId);
    const clientName = client?.clientName ?? clientId;
    const typedLogin = str(form.login) ?? '';
    const typedTenant = str(form.tenant) ?? '';
    const again = (
      status: number,
      error: 'invalid' | 'locked' | 'throttled' | 'required',
      retryAfterSec?: number,
    ) =>
      this.page(
        res,
        status,
        renderLoginPage({
          locale,
          action: `/sso/interaction/${uid}/login`,
          pageUrl: `/sso/interaction/${uid}`,
          clientName,
          login: typedLogin.slice(0, 200),
          tenant: typedTenant.slice(0, 64),
          error,
          ...(retryAfterSec ? { retryAfterSec } : {}),
        }),
        redirectOrigins(details),
      );

    const password = str(form.password) ?? '';
    if (!typedLogin.trim() || !password) return again(HttpStatus.BAD_REQUEST, 'required');
    const id = parseIdentifier(typedLogin, typedTenant);
    const origin = originOf(req);
    if (!id) {
      this.audit.recordDetached({
        tenantId: '-',
        type: 'sign-in.failed',
        actor: { type: 'anonymous', label: typedLogin.slice(0, 200) },
        clientId,
        origin,
        reason: 'malformed-login',
      });
      return again(HttpStatus.UNAUTHORIZED, 'invalid');
    }
    const result = await this.signIn.signIn(id, password.slice(0, 1024), origin, clientId);
    if (!result.ok) {
      if (result.error === 'locked' || result.error === 'throttled') {
        res.setHeader('Retry-After', String(result.retryAfterSec));
        return again(HttpStatus.TOO_MANY_REQUESTS, result.error, result.retryAfterSec);
      }
      return again(HttpStatus.UNAUTHORIZED, 'invalid');
    }
    const clientTenant = (client as unknown as OkcClientMetadata | undefined)?.okc_tenant;
    if (clientTenant && clientTenant !== result.user.tenantId) {
      // A tenant's own application is for that tenant's people only.
      await this.host.current.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'this application belongs to another organisation' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    await this.host.current.interactionFinished(
      req,
      res,
      { login: { accountId: result.user.id, amr: ['pwd'], remember: true } },
      { mergeWithLastSubmission: false },
    );
  }

  @Post(':uid/consent')
  async consent(@Param('uid') uid: string, @Body() form: Form, @Req() req: Request, @Res() res: Response) {
    const details = await this.details(req, res);
    if (!details || details.uid !== uid) return;
    const provider = this.host.current;
    const accountId = details.session?.accountId;
    const clientId = String(details.params.client_id);
    if (details.prompt.name !== 'consent' || !accountId) {
      this.page(
        res,
        HttpStatus.BAD_REQUEST,
        renderErrorPage({ locale: localeOf(req, details), message: 'consent' }),
      );
      return;
    }
    const user = (await this.accounts.findBySubject(accountId))?.tenantId;
    if (form.decision !== 'allow') {
      this.audit.recordDetached({
        tenantId: user ?? '-',
        type: 'consent.denied',
        actor: { type: 'user', id: accountId },
        subject: { type: 'client', id: clientId },
        clientId,
        origin: originOf(req),
      });
      await provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'the user did not allow access' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ?? new provider.Grant({ accountId, clientId }))
      : new provider.Grant({ accountId, clientId });
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(resource, scopes.join(' '));
    }
    const grantId = await grant.save();
    this.audit.recordDetached({
      tenantId: user ?? '-',
      type: 'consent.granted',
      actor: { type: 'user', id: accountId },
      subject: { type: 'client', id: clientId },
      clientId,
      origin: originOf(req),
      after: {
        scopes: missing.missingOIDCScope ?? [],
        resources: Object.keys(missing.missingResourceScopes ?? {}),
      },
    });
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  private consentView(uid: string, locale: Locale, clientName: string, details: Details) {
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    return {
      locale,
      action: `/sso/interaction/${uid}/consent`,
      clientName,
      scopes: missing.missingOIDCScope ?? [],
      claims: missing.missingOIDCClaims ?? [],
    };
  }

  /** The interaction bound to this browser; an expired or foreign one gets a page saying to start again. */
  private async details(req: Request, res: Response): Promise<Details | null> {
    try {
      return await this.host.current.interactionDetails(req, res);
    } catch (err) {
      if (err instanceof errors.SessionNotFound || err instanceof errors.InvalidRequest) {
        this.page(
          res,
          HttpStatus.BAD_REQUEST,
          renderErrorPage({
            locale: pickLocale({ acceptLanguage: req.get('accept-language') }),
            message: 'session-expired',
          }),
        );
        return null;
      }
      throw err;
    }
  }

  /** `formActionOrigins`: where the redirects after this page's form may go (CSP form-action covers them). */
  private page(res: Response, status: number, html: string, formActionOrigins: string[] = []): void {
    for (const [name, value] of Object.entries(pageSecurityHeaders(formActionOrigins)))
      res.setHeader(name, value);
    res.status(status).type('html').send(html);
  }
}

/** The client's callback origin, which the browser reaches by redirects after the form is posted. */
function redirectOrigins(details: Details): string[] {
  const uri = str(details.params.redirect_uri);
  if (!uri) return [];
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' || url.protocol === 'https:' ? [url.origin] : [];
  } catch {
    return [];
  }
}

function localeOf(req: Request, details: Details): Locale {
  return pickLocale({
    query: str(req.query.lang),
    uiLocales: str(details.params.ui_locales),
    acceptLanguage: req.get('accept-language'),
  });
}

function originOf(req: Request): RequestOrigin {
  const id = (req as Request & { id?: unknown }).id;
  return {
    ip: req.ip ?? null,
    userAgent: req.get('user-agent') ?? null,
    requestId: typeof id === 'string' ? id : (req.get('x-request-id') ?? null),
  };
}
