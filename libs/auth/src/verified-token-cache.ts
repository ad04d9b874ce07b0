import type { AuthPrincipal } from './principal';

/**
 * Tokens this process has already verified, so a token presented again (every request of a browser
 * session, every call of an integrator, for minutes) costs a map lookup instead of an RSA verification.
 * Keyed by the whole token string (never a part of it: a tampered payload with a copied signature is a
 * different key). An entry lives at most `ttlMs` and never past the token's `exp`, so a key the issuer
 * stops publishing stops being honoured within `ttlMs`. Least recently used entries go first.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { principal: AuthPrincipal; until: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0 && this.maxEntries > 0;
  }

  get(token: string): AuthPrincipal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    if (this.now() >= entry.until) return undefined;
    this.entries.set(token, entry); // most recently used last
    return entry.principal;
  }

  set(token: string, principal: AuthPrincipal): void {
    if (!this.enabled) return;
    const until = Math.min(this.now() + this.ttlMs, principal.expiresAt.getTime());
    if (until <= this.now()) return;
    this.entries.delete(token);
    this.entries.set(token, { principal, until });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
