import { decryptJwk, encryptJwk, generateSigningJwk } from './key-crypto';

describe('signing key material', () => {
  it('generates an RS256 private JWK whose kid is its thumbprint', async () => {
    const jwk = await generateSigningJwk();
    expect(jwk).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(typeof jwk.d).toBe('string');
    expect(jwk.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const other = await generateSigningJwk();
    expect(other.kid).not.toBe(jwk.kid);
  });

  it('round-trips through encryption and the ciphertext does not contain the private exponent', async () => {
    const jwk = await generateSigningJwk();
    const sealed = encryptJwk(jwk, 'a-secret-of-at-least-thirty-two-chars!!');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(sealed).not.toContain(jwk.d);
    expect(decryptJwk(sealed, 'a-secret-of-at-least-thirty-two-chars!!')).toEqual(jwk);
  });

  it('refuses to decrypt with another secret or a tampered ciphertext', async () => {
    const jwk = await generateSigningJwk();
    const sealed = encryptJwk(jwk, 'a-secret-of-at-least-thirty-two-chars!!');
    expect(() => decryptJwk(sealed, 'another-secret-of-at-least-thirty-two!!')).toThrow();
    const parts = sealed.split('.');
    const data = Buffer.from(parts[3]!, 'base64url');
    data[0] = data[0]! ^ 1;
    parts[3] = data.toString('base64url');
    expect(() => decryptJwk(parts.join('.'), 'a-secret-of-at-least-thirty-two-chars!!')).toThrow();
    expect(() => decryptJwk('v0.x.y.z', 'a-secret-of-at-least-thirty-two-chars!!')).toThrow(/format/);
  });
});
