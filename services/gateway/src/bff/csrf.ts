import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';

/** Methods that change nothing and so need no CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session's synchronizer token, created on first use (sent to the SPA by `GET /auth/me`). */
export function csrfTokenOf(req: Request): string {
  req.session.csrfToken ??= randomBytes(32).toString('base64url');
  return req.session.csrfToken;
}

/**
 * Whether a cookie-authenticated request may proceed: safe methods always; others only with the session's
 * token in `x-csrf-token` (a cross-site form or fetch cannot read it). SameSite=Lax is the first line.
 */
export function csrfOk(req: Request, expected = req.session?.csrfToken): boolean {
  if (SAFE_METHODS.has(req.method)) return true;
  const given = req.get('x-csrf-token');
  if (!expected || !given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
