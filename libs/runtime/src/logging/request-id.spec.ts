import { validate as isUuid, version as uuidVersion } from 'uuid';
import { isValidRequestId, resolveRequestId } from './request-id';

describe('request id', () => {
  it.each(['abc', 'A.b_c-1', '01a2147e-6a00-7287-b8c5-50f0417a8f95', 'x'.repeat(128)])(
    'keeps a well-formed incoming id %s',
    (id) => {
      expect(isValidRequestId(id)).toBe(true);
      expect(resolveRequestId(id)).toBe(id);
    },
  );

  it.each(['', 'x'.repeat(129), 'has space', 'semi;colon', 'new\nline', 'ünïcode'])(
    'replaces a malformed incoming id %j with a fresh UUIDv7',
    (id) => {
      const resolved = resolveRequestId(id);
      expect(resolved).not.toBe(id);
      expect(isUuid(resolved) && uuidVersion(resolved)).toBe(7);
    },
  );

  it('generates a UUIDv7 when there is no header, and takes the first of repeated headers', () => {
    const generated = resolveRequestId(undefined);
    expect(isUuid(generated) && uuidVersion(generated)).toBe(7);
    expect(resolveRequestId(['first', 'second'])).toBe('first');
  });
});
