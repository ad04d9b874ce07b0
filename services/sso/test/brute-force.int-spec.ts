import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { getTestInfra, waitFor } from '@okc/testing';
import {
  BRUTE_FORCE_DEFAULTS,
  BruteForceProtection,
  type BruteForceOptions,
  type Clock,
  maxAccountFailuresPerWindow,
  resolveBruteForcePolicy,
} from '../src/login/brute-force';

// Against the real local Redis (127.0.0.1:6379). The client under test has its own unique key prefix, as a
// service's client has its REDIS_KEY_PREFIX; `raw` (no prefix) looks at what was really written.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** A clock the test moves by hand: hours pass in milliseconds, and every answer is exact. */
function manualClock(start = Date.now()): Clock & { advance(ms: number): void } {
  let now = start;
  return Object.assign(() => now, {
    advance: (ms: number) => {
      now += ms;
    },
  });
}

let n = 0;
/** A fresh account per test, so the tests do not share counters. */
function account(): string {
  n += 1;
  return `user${n}@clinic`;
}

describe('BruteForceProtection against the local Redis', () => {
  let prefix: string;
  let redis: Redis;
  let raw: Redis;

  beforeAll(async () => {
    const infra = await getTestInfra();
    prefix = `${infra.redisKeyPrefix}sso-bf-${randomBytes(4).toString('hex')}:`;
    redis = new Redis(infra.redisUrl, { keyPrefix: prefix });
    raw = new Redis(infra.redisUrl);
  });

  afterAll(async () => {
    const keys = await raw.keys(`${prefix}*`);
    if (keys.length > 0) await raw.del(...keys);
    await Promise.all([redis.quit(), raw.quit()]);
  });

  function protection(options: BruteForceOptions = {}, clock?: Clock): BruteForceProtection {
    return new BruteForceProtection(redis, options, clock);
  }

  async function keysMatching(pattern: string): Promise<string[]> {
    return raw.keys(`${prefix}${pattern}`);
  }

  it('locks the account at the threshold with a Retry-After, refuses it during the lockout, from any IP', async () => {
    const clock = manualClock();
    const bf = protection(
      { freeAttempts: 2, lockoutThreshold: 4, lockoutMs: MINUTE, lockoutMaxMs: HOUR },
      clock,
    );
    const who = account();

    expect(await bf.check(who, '192.0.2.1')).toEqual({ allowed: true, delayMs: 0 });
    for (const expected of [1, 2, 3]) {
      expect(await bf.recordFailure(who, '192.0.2.1')).toEqual({ failures: expected, lockedNow: false });
    }
    // The fourth attempt is the second paid one: 2 × the base delay.
    expect(await bf.check(who, '192.0.2.1')).toEqual({ allowed: true, delayMs: 2 * 250 });

    expect(await bf.recordFailure(who, '192.0.2.1')).toEqual({
      failures: 4,
      lockedNow: true,
      scope: 'account',
      retryAfterSec: 60,
    });
    expect(await bf.check(who, '192.0.2.1')).toEqual({ allowed: false, scope: 'account', retryAfterSec: 60 });
    clock.advance(20 * SECOND);
    expect(await bf.check(who, '198.51.100.9')).toEqual({
      allowed: false,
      scope: 'account',
      retryAfterSec: 40,
    });
    // Another account from the same address is not affected.
    expect(await bf.check(account(), '192.0.2.1')).toEqual({ allowed: true, delayMs: 0 });
    // A failure during the lockout (a request that passed check just before) does not start another one.
    expect(await bf.recordFailure(who, '192.0.2.1')).toEqual({
      failures: 1,
      lockedNow: false,
      scope: 'account',
      retryAfterSec: 40,
    });
  });

  it('treats Ivanov@Clinic and ivanov@clinic as one account', async () => {
    const bf = protection({ freeAttempts: 1, lockoutThreshold: 2 }, manualClock());
    await bf.recordFailure('Ivanov@Clinic', undefined);
    expect(await bf.recordFailure(' ivanov@clinic', undefined)).toMatchObject({
      failures: 2,
      lockedNow: true,
    });
    expect(await bf.check('IVANOV@CLINIC', undefined)).toMatchObject({ allowed: false, scope: 'account' });
  });

  it('ends a lockout by itself through the Redis TTL, and restarts the failure count', async () => {
    const bf = protection({
      keyPrefix: 'sso:bf-ttl:',
      freeAttempts: 1,
      lockoutThreshold: 2,
      lockoutMs: 1500,
      lockoutMaxMs: 1500,
    });
    const who = account();
    await bf.recordFailure(who, '192.0.2.2');
    expect(await bf.recordFailure(who, '192.0.2.2')).toMatchObject({ lockedNow: true, scope: 'account' });
    expect(await bf.check(who, '192.0.2.2')).toMatchObject({ allowed: false, scope: 'account' });

    const lockKeys = await keysMatching('sso:bf-ttl:acct:*:lock');
    expect(lockKeys).toHaveLength(1);
    const lockKey = lockKeys[0];
    const ttl = await raw.pttl(lockKey!);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1500);

    await waitFor('the lockout to expire', async () => (await bf.check(who, '192.0.2.2')).allowed, 10_000);
    expect(await raw.exists(lockKey!)).toBe(0);
    expect(await bf.check(who, '192.0.2.2')).toEqual({ allowed: true, delayMs: 0 });
    expect(await bf.recordFailure(who, '192.0.2.2')).toEqual({ failures: 1, lockedNow: false });
  });

  it('doubles each further lockout within the escalation window, up to the maximum, then starts over', async () => {
    const clock = manualClock();
    const bf = protection(
      {
        freeAttempts: 1,
        lockoutThreshold: 3,
        lockoutMs: MINUTE,
        lockoutMaxMs: 4 * MINUTE,
        lockoutEscalationWindowMs: 30 * MINUTE,
      },
      clock,
    );
    const who = account();
    const lockouts: (number | undefined)[] = [];
    const lockOnce = async (): Promise<void> => {
      for (let i = 0; i < 3; i++) {
        const result = await bf.recordFailure(who, undefined);
        if (result.lockedNow) lockouts.push(result.retryAfterSec);
      }
      const refused = await bf.check(who, undefined);
      if (!refused.allowed) clock.advance(refused.retryAfterSec * SECOND);
    };
    for (let i = 0; i < 4; i++) await lockOnce();
    expect(lockouts).toEqual([60, 120, 240, 240]);

    clock.advance(31 * MINUTE);
    await lockOnce();
    expect(lockouts.at(-1)).toBe(60);
  });

  it('clears the failure count on success, but not the lockout history nor the IP count', async () => {
    const clock = manualClock();
    const bf = protection(
      { freeAttempts: 1, lockoutThreshold: 3, lockoutMs: MINUTE, ipLockoutThreshold: 6, ipLockoutMs: MINUTE },
      clock,
    );
    const who = account();
    const ip = '203.0.113.50';
    await bf.recordFailure(who, ip);
    expect(await bf.recordFailure(who, ip)).toEqual({ failures: 2, lockedNow: false });
    // The third attempt is the second paid one.
    expect(await bf.check(who, ip)).toEqual({ allowed: true, delayMs: 500 });

    await bf.recordSuccess(who);
    expect(await bf.check(who, ip)).toEqual({ allowed: true, delayMs: 0 });
    expect(await bf.recordFailure(who, ip)).toEqual({ failures: 1, lockedNow: false });

    // The history survives a success: the next lockout is the doubled one.
    await bf.recordFailure(who, ip);
    expect(await bf.recordFailure(who, ip)).toMatchObject({ lockedNow: true, retryAfterSec: 60 });
    clock.advance(MINUTE);
    await bf.recordSuccess(who);
    // Six failures from this IP so far (2 + 3 + this one): the IP's threshold.
    expect(await bf.recordFailure(account(), ip)).toMatchObject({ lockedNow: true, scope: 'ip' });
    await bf.recordFailure(who, '203.0.113.51');
    await bf.recordFailure(who, '203.0.113.51');
    expect(await bf.recordFailure(who, '203.0.113.51')).toMatchObject({
      lockedNow: true,
      scope: 'account',
      retryAfterSec: 120,
    });
  });

  it('locks an IP that fails on many different accounts (credential stuffing), and only that IP', async () => {
    const clock = manualClock();
    const bf = protection({ ipLockoutThreshold: 5, ipLockoutMs: 15 * MINUTE }, clock);
    const ip = '2001:db8:aa:bb::1';
    for (let i = 0; i < 4; i++) {
      expect(await bf.recordFailure(account(), ip)).toEqual({ failures: 1, lockedNow: false });
    }
    expect(await bf.recordFailure(account(), ip)).toEqual({
      failures: 1,
      lockedNow: true,
      scope: 'ip',
      retryAfterSec: 900,
    });
    expect(await bf.check(account(), ip)).toEqual({ allowed: false, scope: 'ip', retryAfterSec: 900 });
    // The same /64 is the same client; another network is not.
    expect(await bf.check(account(), '2001:db8:aa:bb:ffff::2')).toMatchObject({
      allowed: false,
      scope: 'ip',
    });
    expect(await bf.check(account(), '2001:db8:aa:cc::1')).toEqual({ allowed: true, delayMs: 0 });
    clock.advance(15 * MINUTE);
    expect(await bf.check(account(), ip)).toEqual({ allowed: true, delayMs: 0 });
  });

  it('reports a lockout of the account that starts while the IP is already locked', async () => {
    const clock = manualClock();
    const bf = protection(
      {
        freeAttempts: 1,
        lockoutThreshold: 4,
        lockoutMs: MINUTE,
        ipLockoutThreshold: 3,
        ipLockoutMs: 5 * MINUTE,
      },
      clock,
    );
    const who = account();
    const ip = '198.51.100.200';
    await bf.recordFailure(who, ip);
    await bf.recordFailure(who, ip);
    expect(await bf.recordFailure(who, ip)).toEqual({
      failures: 3,
      lockedNow: true,
      scope: 'ip',
      retryAfterSec: 300,
    });
    // A request that passed check before the IP lockout fails too: the account's own lockout starts.
    expect(await bf.recordFailure(who, ip)).toEqual({
      failures: 4,
      lockedNow: true,
      scope: 'account',
      retryAfterSec: 300,
    });
    expect(await bf.check(who, ip)).toEqual({ allowed: false, scope: 'ip', retryAfterSec: 300 });
    expect(await bf.check(who, '198.51.100.201')).toEqual({
      allowed: false,
      scope: 'account',
      retryAfterSec: 60,
    });
  });

  it('counts concurrent failures exactly, and exactly one of them starts the lockout', async () => {
    const bf = protection({ lockoutThreshold: 20 }, manualClock());
    const who = account();
    const results = await Promise.all(Array.from({ length: 30 }, () => bf.recordFailure(who, undefined)));
    const counts = results.map((r) => r.failures).sort((a, b) => a - b);
    // 1…20 up to the lockout, which restarts the count; the 10 during the lockout count 1…10 again.
    const upTo = (k: number) => Array.from({ length: k }, (_, i) => i + 1);
    expect(counts).toEqual([...upTo(20), ...upTo(10)].sort((a, b) => a - b));
    expect(results.filter((r) => r.lockedNow)).toHaveLength(1);
  });

  it('lets one attempt per account run at a time, with a slot that expires by itself', async () => {
    const bf = protection();
    const key = account();
    const other = account();
    expect(await bf.beginAttempt(key)).toBe(true);
    expect(await bf.beginAttempt(key.toUpperCase())).toBe(false); // the same account, however typed
    expect(await bf.beginAttempt(other)).toBe(true); // the control: another account is not held up
    const [slot] = await keysMatching('*:slot');
    expect(await raw.pttl(slot!)).toBeGreaterThan(0);
    await bf.endAttempt(key);
    expect(await bf.beginAttempt(key)).toBe(true);
    await Promise.all([bf.endAttempt(key), bf.endAttempt(other)]);
  });

  it('loads its script again when Redis has lost it (a restart, SCRIPT FLUSH)', async () => {
    const bf = protection({}, manualClock());
    const who = account();
    expect(await bf.recordFailure(who, undefined)).toEqual({ failures: 1, lockedNow: false });
    await raw.script('FLUSH');
    expect(await bf.recordFailure(who, undefined)).toEqual({ failures: 2, lockedNow: false });
  });

  it('unlocks an account on an administrator’s request, forgetting its history', async () => {
    const clock = manualClock();
    const bf = protection({ freeAttempts: 1, lockoutThreshold: 2, lockoutMs: MINUTE }, clock);
    const who = account();
    await bf.recordFailure(who, undefined);
    await bf.recordFailure(who, undefined);
    expect(await bf.check(who, undefined)).toMatchObject({ allowed: false });

    await bf.unlock(who);
    expect(await bf.check(who, undefined)).toEqual({ allowed: true, delayMs: 0 });
    await bf.recordFailure(who, undefined);
    expect(await bf.recordFailure(who, undefined)).toMatchObject({ lockedNow: true, retryAfterSec: 60 });
  });

  it('writes no login, tenant or address in clear: keys and values are hashes and timestamps', async () => {
    const bf = protection(
      { keyPrefix: 'sso:bf-clear:', freeAttempts: 1, lockoutThreshold: 2 },
      manualClock(),
    );
    const who = 'Secret.Login@Tenant-X';
    await bf.recordFailure(who, '203.0.113.77');
    await bf.recordFailure(who, '203.0.113.77');
    await bf.recordFailure(account(), '203.0.113.77');

    const keys = await keysMatching('sso:bf-clear:*');
    // The account's lock and lockout history (its failures were cleared by the lockout), the other
    // account's failures, the IP's failures.
    expect(keys.length).toBe(4);
    for (const key of keys) {
      expect(key.startsWith(prefix)).toBe(true);
      expect(key.slice(prefix.length)).toMatch(
        /^sso:bf-clear:(acct|ip):\{[0-9a-f]{64}\}:(fails|lock|lockouts)$/,
      );
    }
    const values = await Promise.all(
      keys.map(async (key) =>
        (await raw.type(key)) === 'zset'
          ? (await raw.zrange(key, 0, -1)).join(' ')
          : ((await raw.get(key)) ?? ''),
      ),
    );
    const everything = [...keys, ...values].join('\n').toLowerCase();
    for (const secret of ['secret', 'login', 'tenant', 'clinic', 'user', '203.0.113']) {
      expect(everything).not.toContain(secret);
    }
  });

  it('with a keySecret, derives different key names (HMAC) than without', async () => {
    const who = account();
    await protection({ keyPrefix: 'sso:bf-hmac:' }, manualClock()).recordFailure(who, undefined);
    await protection(
      { keyPrefix: 'sso:bf-hmac:', keySecret: 'a-long-enough-secret' },
      manualClock(),
    ).recordFailure(who, undefined);
    const keys = await keysMatching('sso:bf-hmac:acct:*:fails');
    expect(keys).toHaveLength(2);
  });

  describe('an attacker trying one account as fast as allowed, for hours, from a new IP each time', () => {
    /**
     * The attacker waits exactly the delay it is given and exactly the Retry-After it is refused with, then
     * tries again; every attempt fails. Answers the failure timestamps and the lockout lengths it met.
     */
    async function attack(options: BruteForceOptions, duration: number) {
      const clock = manualClock(Date.UTC(2030, 0, 1));
      const start = clock();
      const bf = protection(options, clock);
      const who = account();
      const failures: number[] = [];
      const lockouts: number[] = [];
      let ip = 0;
      while (clock() - start < duration) {
        ip += 1;
        const address = `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`;
        const decision = await bf.check(who, address);
        if (!decision.allowed) {
          expect(decision.scope).toBe('account');
          clock.advance(decision.retryAfterSec * SECOND);
          continue;
        }
        clock.advance(decision.delayMs);
        const result = await bf.recordFailure(who, address);
        failures.push(clock());
        if (result.lockedNow) lockouts.push(result.retryAfterSec ?? 0);
      }
      return { failures, lockouts };
    }

    /** The most failures inside any window [t, t + windowMs], t ranging over the failures. */
    function busiestWindow(failures: readonly number[], windowMs: number): number {
      let most = 0;
      for (let i = 0, j = 0; i < failures.length; i++) {
        while (j < failures.length && failures[j]! <= failures[i]! + windowMs) j++;
        most = Math.max(most, j - i);
      }
      return most;
    }

    it('gets at most 100 failures into any hour with the default policy, meeting escalating lockouts', async () => {
      const { failures, lockouts } = await attack({}, 4 * HOUR);
      expect(maxAccountFailuresPerWindow(resolveBruteForcePolicy())).toBe(100);
      expect(busiestWindow(failures, HOUR)).toBeLessThanOrEqual(100);
      // 20 failures (~88 s), 15 min; 20, 30 min; 20, 1 h; then 20 an hour.
      expect(lockouts.slice(0, 4)).toEqual([900, 1800, 3600, 3600]);
      expect(lockouts.every((sec) => sec <= 3600)).toBe(true);
      expect(busiestWindow(failures, HOUR)).toBe(60);
      expect(failures.length).toBe(20 * lockouts.length);
    });

    it('still stays within the bound when lockouts do not escalate (every one 15 min)', async () => {
      const options = { lockoutMaxMs: BRUTE_FORCE_DEFAULTS.lockoutMs };
      const { failures, lockouts } = await attack(options, 4 * HOUR);
      expect(lockouts.every((sec) => sec === 900)).toBe(true);
      const busiest = busiestWindow(failures, HOUR);
      expect(busiest).toBeLessThanOrEqual(maxAccountFailuresPerWindow(resolveBruteForcePolicy(options)));
      // Runs of 20 every ~16.5 min: four fit in an hour.
      expect(busiest).toBe(80);
    });
  });
});
