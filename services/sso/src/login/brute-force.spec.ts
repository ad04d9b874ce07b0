import {
  BRUTE_FORCE_DEFAULTS,
  ipBucket,
  lockoutDurationMs,
  maxAccountFailuresPerWindow,
  normalizeAccountKey,
  progressiveDelayMs,
  resolveBruteForcePolicy,
  retryAfterSec,
} from './brute-force';

// The Redis behaviour is tested against the real Redis in test/brute-force.int-spec.ts.

const MINUTE = 60_000;

describe('the default policy', () => {
  it('is the one agreed: 5 free, 250 ms doubling to 8 s, 20 → 15 min doubling to 1 h in 24 h, IP 100 → 15 min', () => {
    expect(BRUTE_FORCE_DEFAULTS).toEqual({
      keyPrefix: 'sso:bf:',
      windowMs: 60 * MINUTE,
      freeAttempts: 5,
      delayBaseMs: 250,
      delayMaxMs: 8000,
      lockoutThreshold: 20,
      lockoutMs: 15 * MINUTE,
      lockoutEscalationWindowMs: 24 * 60 * MINUTE,
      lockoutMaxMs: 60 * MINUTE,
      ipLockoutThreshold: 100,
      ipLockoutMs: 15 * MINUTE,
    });
    expect(Object.isFrozen(BRUTE_FORCE_DEFAULTS)).toBe(true);
  });

  it('lets at most 100 failures per account into any hour', () => {
    expect(maxAccountFailuresPerWindow(BRUTE_FORCE_DEFAULTS)).toBe(100);
    expect(
      maxAccountFailuresPerWindow({ windowMs: 60 * MINUTE, lockoutThreshold: 10, lockoutMs: 7 * MINUTE }),
    ).toBe(90);
  });
});

describe('resolveBruteForcePolicy', () => {
  it('applies overrides over the defaults', () => {
    expect(resolveBruteForcePolicy()).toEqual(BRUTE_FORCE_DEFAULTS);
    expect(resolveBruteForcePolicy({ lockoutMs: 1500, lockoutMaxMs: 6000 })).toEqual({
      ...BRUTE_FORCE_DEFAULTS,
      lockoutMs: 1500,
      lockoutMaxMs: 6000,
    });
  });

  it.each([
    ['a zero duration', { lockoutMs: 0 }],
    ['a negative duration', { windowMs: -1 }],
    ['a fractional count', { lockoutThreshold: 2.5 }],
    ['as many free attempts as the threshold', { freeAttempts: 20, lockoutThreshold: 20 }],
    ['a base delay above the maximum', { delayBaseMs: 10_000, delayMaxMs: 8000 }],
    ['a lockout above the maximum', { lockoutMs: 2 * 60 * MINUTE }],
    ['an empty key prefix', { keyPrefix: '' }],
    ['a short HMAC secret', { keySecret: 'short' }],
  ])('rejects %s', (_what, options) => {
    expect(() => resolveBruteForcePolicy(options)).toThrow();
  });
});

describe('progressiveDelayMs', () => {
  it('is free for the first five attempts, then 250 ms doubling, capped at 8 s', () => {
    const delays = Array.from({ length: 14 }, (_, i) => progressiveDelayMs(i + 1, BRUTE_FORCE_DEFAULTS));
    expect(delays).toEqual([0, 0, 0, 0, 0, 250, 500, 1000, 2000, 4000, 8000, 8000, 8000, 8000]);
  });

  it('stays at the cap for any count, however large', () => {
    expect(progressiveDelayMs(2000, BRUTE_FORCE_DEFAULTS)).toBe(8000);
    expect(progressiveDelayMs(Number.MAX_SAFE_INTEGER, BRUTE_FORCE_DEFAULTS)).toBe(8000);
  });

  it('follows the configured numbers', () => {
    const policy = { freeAttempts: 0, delayBaseMs: 10, delayMaxMs: 35 };
    expect([1, 2, 3, 4].map((n) => progressiveDelayMs(n, policy))).toEqual([10, 20, 35, 35]);
  });
});

describe('lockoutDurationMs', () => {
  it('is 15 min, doubling with each earlier lockout in the escalation window, capped at 1 h', () => {
    expect([0, 1, 2, 3, 10].map((n) => lockoutDurationMs(n, BRUTE_FORCE_DEFAULTS) / MINUTE)).toEqual([
      15, 30, 60, 60, 60,
    ]);
  });

  it('always ends: even an absurd history gives the cap, never Infinity', () => {
    expect(lockoutDurationMs(5000, BRUTE_FORCE_DEFAULTS)).toBe(60 * MINUTE);
  });
});

describe('retryAfterSec', () => {
  it('rounds up to whole seconds and is at least 1', () => {
    expect(retryAfterSec(61_000, 1000)).toBe(60);
    expect(retryAfterSec(61_001, 1000)).toBe(61);
    expect(retryAfterSec(1500, 1000)).toBe(1);
    expect(retryAfterSec(1000, 1000)).toBe(1);
  });
});

describe('account keys', () => {
  it('normalises case, surrounding spaces and Unicode forms', () => {
    expect(normalizeAccountKey('  Ivanov@Clinic ')).toBe('ivanov@clinic');
    expect(normalizeAccountKey('ПЁТР@Клиника'.normalize('NFD'))).toBe('пётр@клиника');
  });
});

describe('ipBucket', () => {
  it.each([
    ['10.1.2.3', '10.1.2.3'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:ffff::9', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b:1::1.2.3.4', '64:ff9b:1:0::/64'],
    ['not-an-address', 'not-an-address'],
  ])('puts %s in %s', (ip, bucket) => {
    expect(ipBucket(ip)).toBe(bucket);
  });
});
