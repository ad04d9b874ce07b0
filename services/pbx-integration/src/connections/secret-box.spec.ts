import { randomBytes } from 'node:crypto';
import { SecretBox } from './secret-box';

const key = randomBytes(32).toString('base64');

describe('SecretBox', () => {
  const box = new SecretBox(key);

  it('opens what it sealed, and never stores the plaintext', () => {
    const sealed = box.seal('ami-s3cret Ω', 'acme:c1');
    expect(sealed).not.toContain('ami-s3cret');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(box.open(sealed, 'acme:c1')).toBe('ami-s3cret Ω');
  });

  it('seals the same secret differently each time (random IV)', () => {
    expect(box.seal('x', 'acme:c1')).not.toBe(box.seal('x', 'acme:c1'));
  });

  it('refuses another row’s context, another key, and a tampered value', () => {
    const sealed = box.seal('secret', 'acme:c1');
    expect(() => box.open(sealed, 'globex:c1')).toThrow();
    expect(() => new SecretBox(randomBytes(32).toString('base64')).open(sealed, 'acme:c1')).toThrow();
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    expect(() => box.open([...parts.slice(0, 3), body.toString('base64url')].join('.'), 'acme:c1')).toThrow();
    expect(() => box.open('plain', 'acme:c1')).toThrow('not a sealed secret');
  });

  it('wants a 32-byte key', () => {
    expect(() => new SecretBox(randomBytes(16).toString('base64'))).toThrow();
  });
});
