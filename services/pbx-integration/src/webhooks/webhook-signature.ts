import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers a receiver checks: `X-OKC-Timestamp` and `X-OKC-Signature: v1=<hex>`. */
export const SIGNATURE_HEADER = 'x-okc-signature';
export const TIMESTAMP_HEADER = 'x-okc-timestamp';

/**
 * HMAC-SHA256 over `<timestamp>.<body>` with the webhook's secret, hex, as `v1=<hex>`. The timestamp (unix
 * seconds) is signed too, so a receiver can refuse replays older than a few minutes.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (documented for integrators; used by the tests as a receiver would). */
export function verifyWebhook(
  secret: string,
  headers: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  nowSec: number,
  toleranceSec = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(timestamp) || Math.abs(nowSec - timestamp) > toleranceSec)
    return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
