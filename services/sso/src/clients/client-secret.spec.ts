import {
  generateClientId,
  generateClientSecret,
  hashClientSecret,
  verifyClientSecret,
} from './client-secret';

describe('client secrets', () => {
  it('verifies the secret it hashed and nothing else', () => {
    const secret = generateClientSecret();
    const hash = hashClientSecret(secret);
    expect(hash).not.toContain(secret);
    expect(verifyClientSecret(hash, secret)).toBe(true);
    expect(verifyClientSecret(hash, `${secret}x`)).toBe(false);
    expect(verifyClientSecret(hash, '')).toBe(false);
    expect(verifyClientSecret(hash, undefined)).toBe(false);
  });

  it('never accepts a stored value that is not a hash (a plain secret stored by mistake)', () => {
    expect(verifyClientSecret('plain-secret', 'plain-secret')).toBe(false);
    expect(verifyClientSecret(null, 'x')).toBe(false);
  });

  it('generates high-entropy secrets and distinct ids by kind', () => {
    const secrets = new Set(Array.from({ length: 50 }, generateClientSecret));
    expect(secrets.size).toBe(50);
    for (const s of secrets) expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateClientId('integrator')).toMatch(/^int_[A-Za-z0-9_-]{16}$/);
    expect(generateClientId('third-party')).toMatch(/^app_[A-Za-z0-9_-]{16}$/);
  });
});
