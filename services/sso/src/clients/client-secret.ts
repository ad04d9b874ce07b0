import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256$';

/**
 * Client secrets are 256 random bits generated here, so a single SHA-256 is the right hash (as for API
 * keys): a slow password hash would add nothing against guessing and cost every client-credentials grant
 * tens of milliseconds. The development seed's `demo-integrator-secret` is the one low-entropy exception,
 * and it exists only outside production.
 */
export function hashClientSecret(secret: string): string {
  return PREFIX + createHash('sha256').update(secret, 'utf8').digest('base64url');
}

export function verifyClientSecret(storedHash: string | undefined | null, presented: unknown): boolean {
  if (typeof storedHash !== 'string' || !storedHash.startsWith(PREFIX)) return false;
  if (typeof presented !== 'string' || presented.length === 0 || presented.length > 512) return false;
  const expected = Buffer.from(storedHash);
  const actual = Buffer.from(hashClientSecret(presented));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A new secret, shown to the admin once: 43 url-safe characters. */
export function generateClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A new client id: readable, unique, not guessable from the name. */
export function generateClientId(kind: 'third-party' | 'integrator'): string {
  return `${kind === 'integrator' ? 'int' : 'app'}_${randomBytes(12).toString('base64url')}`;
}
