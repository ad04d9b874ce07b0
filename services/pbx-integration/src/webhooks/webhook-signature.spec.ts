import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook } from './webhook-signature';

describe('webhook signatures', () => {
  const body = '{"type":"call.ended"}';

  it('is HMAC-SHA256 over "<timestamp>.<body>", hex, prefixed v1=', () => {
    const independent = createHmac('sha256', 'whsec').update(`1700000000.${body}`).digest('hex');
    expect(signWebhook('whsec', 1700000000, body)).toBe(`v1=${independent}`);
  });

  it('verifies the genuine signature and refuses a changed body, secret, timestamp or an old one', () => {
    const signature = signWebhook('whsec', 1700000000, body);
    const ok = (s: string | undefined, t: string | undefined, b = body, secret = 'whsec', now = 1700000010) =>
      verifyWebhook(secret, { signature: s, timestamp: t }, b, now);
    expect(ok(signature, '1700000000')).toBe(true);
    expect(ok(signature, '1700000000', '{"type":"call.answered"}')).toBe(false);
    expect(ok(signature, '1700000000', body, 'other')).toBe(false);
    expect(ok(signature, '1700000001')).toBe(false);
    expect(ok(signature, '1700000000', body, 'whsec', 1700000000 + 301)).toBe(false);
    expect(ok(undefined, '1700000000')).toBe(false);
    expect(ok(signature, 'soon')).toBe(false);
  });
});
