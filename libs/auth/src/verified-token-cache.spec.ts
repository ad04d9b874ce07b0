import type { AuthPrincipal } from './principal';
import { VerifiedTokenCache } from './verified-token-cache';

const principal = (expiresAt: number): AuthPrincipal => ({
  subject: 'u1',
  tenantId: 'demo',
  roles: ['operator'],
  kind: 'user',
  scope: [],
  expiresAt: new Date(expiresAt),
});

describe('VerifiedTokenCache', () => {
  let now = 1_000_000;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000_000;
  });

  it('returns what was stored for the same token only', () => {
    const cache = new VerifiedTokenCache(10, 60_000, clock);
    cache.set('a.b.c', principal(now + 600_000));
    expect(cache.get('a.b.c')?.subject).toBe('u1');
    expect(cache.get('a.b.d')).toBeUndefined();
  });

  it('forgets an entry after its ttl, and never keeps one past the token expiry', () => {
    const cache = new VerifiedTokenCache(10, 60_000, clock);
    cache.set('long', principal(now + 600_000));
    cache.set('short', principal(now + 10_000));
    now += 10_000;
    expect(cache.get('short')).toBeUndefined();
    expect(cache.get('long')).toBeDefined();
    now += 50_000;
    expect(cache.get('long')).toBeUndefined();
  });

  it('does not store an expired token', () => {
    const cache = new VerifiedTokenCache(10, 60_000, clock);
    cache.set('old', principal(now - 1));
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used entry beyond its size', () => {
    const cache = new VerifiedTokenCache(2, 60_000, clock);
    cache.set('t1', principal(now + 600_000));
    cache.set('t2', principal(now + 600_000));
    expect(cache.get('t1')).toBeDefined(); // t1 is now the most recent
    cache.set('t3', principal(now + 600_000));
    expect(cache.get('t2')).toBeUndefined();
    expect(cache.get('t1')).toBeDefined();
    expect(cache.get('t3')).toBeDefined();
  });

  it('stores nothing when disabled (ttl 0)', () => {
    const cache = new VerifiedTokenCache(10, 0, clock);
    expect(cache.enabled).toBe(false);
    cache.set('a', principal(now + 600_000));
    expect(cache.get('a')).toBeUndefined();
  });
});
