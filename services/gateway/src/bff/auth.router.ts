import { type NextFunction, type Request, type RequestHandler, type Response, Router } from 'express';
import passport from 'passport';
import { Strategy, type VerifyFunction } from 'openid-client/passport';
import type { Logger } from 'pino';
import { csrfOk, csrfTokenOf } from './csrf';
import { sendError } from './http-errors';
import { GATEWAY_SCOPES, type GatewayOidcClient } from './oidc-client';
import type { SessionTokens } from './session-data';
import { sessionTokensFrom, type SessionTokenKeeper } from './session-tokens';

const STRATEGY = 'okc-sso';

type Authenticate = (
  strategy: string,
  options: passport.AuthenticateOptions,
  callback?: (err: unknown, tokens: SessionTokens | false, info: unknown) => void,
) => RequestHandler;
/** passport's `authenticate`, typed for our one strategy. */
const authenticate = passport.authenticate.bind(passport) as Authenticate;

/** A same-origin path to come back to after sign-in; anything else (`//evil`, `https://…`) becomes `/`. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) {
    return '/';
  }
  return value.length > 2048 ? '/' : value;
}

function methodNotAllowed(allow: string) {
  return (req: Request, res: Response) => {
    res.setHeader('Allow', allow);
    sendError(req, res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here; use ${allow}`);
  };
}

/**
 * The backend-for-frontend routes: `/auth/login?returnTo=`, `/auth/callback`, `POST /auth/logout`, and
 * `GET /auth/me`. Sign-in is openid-client's passport strategy (authorization code + PKCE); the tokens stay
 * in the Redis session, the browser only gets the httpOnly cookie. The session id is regenerated at sign-in.
 */
export function authRouter(client: GatewayOidcClient, keeper: SessionTokenKeeper, logger: Logger): Router {
  const router = Router();
  let registered = false;

  /** Registers the strategy once discovery has worked (sso may start after the gateway). */
  const strategyReady = async (): Promise<void> => {
    if (registered) return;
    const config = await client.discover();
    const verify: VerifyFunction = (tokens, done) => {
      done(null, sessionTokensFrom(tokens));
    };
    passport.use(
      STRATEGY,
      new Strategy(
        { config, scope: GATEWAY_SCOPES, callbackURL: client.callbackUrl, sessionKey: 'oidc' },
        verify,
      ),
    );
    registered = true;
  };

  const unavailable = (req: Request, res: Response, err: unknown) => {
    logger.warn({ err }, 'sign-in unavailable: sso cannot be reached');
    res.setHeader('Retry-After', '5');
    sendError(
      req,
      res,
      503,
      'SIGN_IN_UNAVAILABLE',
      'Sign-in is unavailable right now; retry in a few seconds.',
    );
  };

  router.get('/auth/login', (req, res, next) => {
    strategyReady().then(
      () => {
        req.session.returnTo = safeReturnTo(req.query['returnTo']);
        void authenticate(STRATEGY, { session: false })(req, res, next);
      },
      (err: unknown) => unavailable(req, res, err),
    );
  });
  router.all('/auth/login', methodNotAllowed('GET'));

  router.get('/auth/callback', (req, res, next) => {
    strategyReady().then(
      () =>
        authenticate(
          STRATEGY,
          { session: false },
          (err: unknown, tokens: SessionTokens | false, info: unknown) => {
            if (err || !tokens) {
              logger.info({ err, info }, 'sign-in callback refused');
              // An error from sso (access_denied) or a stale callback: start again, no stack traces.
              res.redirect(303, `/?signin=failed`);
              return;
            }
            const returnTo = req.session.returnTo ?? '/';
            // A new session id at sign-in: a session fixed before sign-in is worthless after it.
            req.session.regenerate((regenErr) => {
              if (regenErr) return next(regenErr);
              req.session.okc = tokens;
              csrfTokenOf(req);
              req.session.save((saveErr) => (saveErr ? next(saveErr) : res.redirect(303, returnTo)));
            });
          },
        )(req, res, next),
      (err: unknown) => unavailable(req, res, err),
    );
  });
  router.all('/auth/callback', methodNotAllowed('GET'));

  router.get('/auth/me', (req, res, next) => {
    keeper.accessToken(req).then((token) => {
      const tokens = req.session.okc;
      if (!token || !tokens) {
        res.setHeader('Cache-Control', 'no-store');
        return sendError(req, res, 401, 'UNAUTHORIZED', 'Not signed in');
      }
      res.setHeader('Cache-Control', 'no-store');
      res.json({ user: tokens.user, csrfToken: csrfTokenOf(req) });
    }, next);
  });
  router.all('/auth/me', methodNotAllowed('GET'));

  router.post('/auth/logout', (req, res, next) => {
    if (!csrfOk(req)) return sendError(req, res, 403, 'CSRF_TOKEN_INVALID', 'Missing or wrong x-csrf-token');
    const idToken = req.session.okc?.idToken;
    req.session.destroy((destroyErr) => {
      if (destroyErr) return next(destroyErr);
      res.clearCookie('okc.sid', { path: '/' });
      client.endSessionUrl(idToken).then(
        (redirectTo) => res.json({ redirectTo }),
        // sso away: the gateway session is gone anyway; the SSO session ends when it expires.
        () => res.json({ redirectTo: '/' }),
      );
    });
  });
  router.all('/auth/logout', methodNotAllowed('POST'));

  router.use('/auth', (req: Request, res: Response, _next: NextFunction) =>
    sendError(req, res, 404, 'NOT_FOUND', `No route ${req.method} ${req.originalUrl}`),
  );
  return router;
}
