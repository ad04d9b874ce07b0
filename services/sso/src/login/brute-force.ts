import { createHash, createHmac, randomBytes } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/**
 * Throttling of failed sign-ins, in Redis so every replica of the service sees the same counters.
 *
 * Per account (`login@tenant`, whether or not it exists, so a lockout never tells an attacker which logins
 * are real): the first `freeAttempts` failures in the rolling `windowMs` cost nothing, each further attempt
 * waits `delayBaseMs · 2^(n − freeAttempts − 1)` (at most `delayMaxMs`; the caller sleeps it before
 * answering), and the `lockoutThreshold`-th failure locks the account for `lockoutMs`, doubled for each
 * earlier lockout within `lockoutEscalationWindowMs`, at most `lockoutMaxMs`. A lockout is a Redis key with
 * a TTL, so it always ends, and it restarts the failure count: with the defaults at most
 * 20 × (60 / 15 + 1) = 100 failures fit in any hour (`maxAccountFailuresPerWindow`).
 *
 * Per client IP: `ipLockoutThreshold` failures in the window, across all accounts, lock the IP for
 * `ipLockoutMs`, which slows credential stuffing (one password tried on many logins).
 *
 * Time is the injected clock's, stored in the values (failure timestamps, lock ends), so a spec can
 * simulate hours in milliseconds; the Redis TTLs only bound how long the keys live.
 *
 * `check` is read-only, so two requests can both pass it before either failure is recorded: the limits
 * hold for a client that waits for its answers. Concurrent failures are all counted (each is one atomic
 * script), and the failures beyond the threshold during a lockout count towards the next one.
 */

/** Milliseconds since the epoch; `Date.now` in production, a variable in specs. */
export type Clock = () => number;

export type LockScope = 'account' | 'ip';

const positiveMs = z.number().int().positive();

export const bruteForceOptionsSchema = z
  .object({
    /** Relative to the client's own REDIS_KEY_PREFIX, which ioredis prepends. */
    keyPrefix: z.string().min(1),
    /** The rolling window in which failures are counted, per account and per IP. */
    windowMs: positiveMs,
    freeAttempts: z.number().int().nonnegative(),
    delayBaseMs: positiveMs,
    delayMaxMs: positiveMs,
    lockoutThreshold: z.number().int().positive(),
    lockoutMs: positiveMs,
    lockoutEscalationWindowMs: positiveMs,
    lockoutMaxMs: positiveMs,
    ipLockoutThreshold: z.number().int().positive(),
    ipLockoutMs: positiveMs,
    /**
     * When set, account and IP keys are HMAC-SHA256(secret, value) instead of SHA-256(value): logins are
     * guessable, so a plain hash lets someone reading Redis confirm a guessed login; a keyed one does not.
     */
    keySecret: z.string().min(16).optional(),
  })
  .refine((o) => o.freeAttempts < o.lockoutThreshold, 'freeAttempts must be below lockoutThreshold')
  .refine((o) => o.delayBaseMs <= o.delayMaxMs, 'delayBaseMs must not exceed delayMaxMs')
  .refine((o) => o.lockoutMs <= o.lockoutMaxMs, 'lockoutMs must not exceed lockoutMaxMs');

export type BruteForcePolicy = z.infer<typeof bruteForceOptionsSchema>;
export type BruteForceOptions = Partial<BruteForcePolicy>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const BRUTE_FORCE_DEFAULTS: Readonly<BruteForcePolicy> = Object.freeze({
  keyPrefix: 'sso:bf:',
  windowMs: HOUR,
  freeAttempts: 5,
  delayBaseMs: 250,
  delayMaxMs: 8_000,
  lockoutThreshold: 20,
  lockoutMs: 15 * MINUTE,
  lockoutEscalationWindowMs: 24 * HOUR,
  lockoutMaxMs: HOUR,
  ipLockoutThreshold: 100,
  ipLockoutMs: 15 * MINUTE,
});

/** The defaults with `options` applied, validated: a nonsensical policy fails at startup, not at sign-in. */
export function resolveBruteForcePolicy(options: BruteForceOptions = {}): BruteForcePolicy {
  return bruteForceOptionsSchema.parse({ ...BRUTE_FORCE_DEFAULTS, ...options });
}

// ---------------------------------------------------------------------------------------------------------
// The policy's arithmetic

/**
 * How long the caller waits before answering the `attempt`-th attempt (1-based: the number of failures in
 * the window so far, plus one): 0 for the free ones, then `delayBaseMs`, doubling, at most `delayMaxMs`.
 */
export function progressiveDelayMs(
  attempt: number,
  policy: Pick<BruteForcePolicy, 'freeAttempts' | 'delayBaseMs' | 'delayMaxMs'>,
): number {
  const paid = attempt - policy.freeAttempts;
  if (paid <= 0) return 0;
  // 2^paid overflows to Infinity for absurd counts; min() still answers delayMaxMs.
  return Math.min(policy.delayBaseMs * 2 ** (paid - 1), policy.delayMaxMs);
}

/** The duration of a lockout preceded by `priorLockouts` within the escalation window. */
export function lockoutDurationMs(
  priorLockouts: number,
  policy: Pick<BruteForcePolicy, 'lockoutMs' | 'lockoutMaxMs'>,
): number {
  return Math.min(policy.lockoutMs * 2 ** Math.max(0, priorLockouts), policy.lockoutMaxMs);
}

/** Whole seconds until `untilMs`, rounded up and at least 1: the value of a `Retry-After` header. */
export function retryAfterSec(untilMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((untilMs - nowMs) / 1000));
}

/**
 * An upper bound of the failures one account can take in any window of `windowMs`, however the attacker
 * times them: each run of at most `lockoutThreshold` failures ends in a lockout of at least `lockoutMs`.
 */
export function maxAccountFailuresPerWindow(
  policy: Pick<BruteForcePolicy, 'windowMs' | 'lockoutThreshold' | 'lockoutMs'>,
): number {
  return policy.lockoutThreshold * (Math.floor(policy.windowMs / policy.lockoutMs) + 1);
}

// ---------------------------------------------------------------------------------------------------------
// Keys

/** `login@tenant` as one account: NFKC, trimmed, lower case, so `Ivanov@Clinic ` is `ivanov@clinic`. */
export function normalizeAccountKey(accountKey: string): string {
  return accountKey.normalize('NFKC').trim().toLowerCase();
}

/**
 * The throttling bucket of a client address: IPv4 as is (also when IPv4-mapped, `::ffff:10.0.0.1`), IPv6 by
 * its /64, because one subscriber usually gets a whole /64 and could otherwise rotate addresses for free.
 */
export function ipBucket(ip: string): string {
  let address = ip.trim().toLowerCase();
  const zone = address.indexOf('%');
  if (zone >= 0) address = address.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight hextets of a valid IPv6 address, without leading zeros. */
function expandIPv6(address: string): string[] {
  let text = address;
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text)?.[1];
  if (v4) {
    const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
    text = `${text.slice(0, -v4.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - headParts.length - tailParts.length).fill('0');
  return [...headParts, ...zeros, ...tailParts].map((h) => parseInt(h, 16).toString(16));
}

// ---------------------------------------------------------------------------------------------------------
// Redis

/**
 * Records one failure atomically. KEYS: failures (sorted set of timestamps), lock (string: the lock's end,
 * with a TTL), and for accounts the lockout history (sorted set). ARGV: now, window, threshold, lockout ms,
 * max lockout ms, escalation window ms, a unique member. Answers {failures, locked now (0/1), locked until}.
 */
const RECORD_FAILURE_LUA = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local threshold = tonumber(ARGV[3])
local lockMs = tonumber(ARGV[4])
local maxLockMs = tonumber(ARGV[5])
local escalationWindow = tonumber(ARGV[6])
local member = ARGV[7]
local function int(n) return string.format('%.0f', n) end

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', int(now - window))
redis.call('ZADD', KEYS[1], int(now), member)
redis.call('PEXPIRE', KEYS[1], int(window))
local failures = redis.call('ZCARD', KEYS[1])

local lockedUntil = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
if lockedUntil > now then return {failures, 0, lockedUntil} end
if failures < threshold then return {failures, 0, 0} end

local duration = lockMs
if KEYS[3] then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', int(now - escalationWindow))
  local prior = redis.call('ZCARD', KEYS[3])
  duration = math.min(lockMs * math.pow(2, prior), maxLockMs)
  redis.call('ZADD', KEYS[3], int(now), member)
  redis.call('PEXPIRE', KEYS[3], int(escalationWindow))
end
redis.call('SET', KEYS[2], int(now + duration), 'PX', int(duration))
redis.call('DEL', KEYS[1])
return {failures, 1, now + duration}
`;
const RECORD_FAILURE_SHA = createHash('sha1').update(RECORD_FAILURE_LUA).digest('hex');

const scriptReply = z.tuple([z.number(), z.number(), z.number()]);

/** How long an attempt slot outlives a holder that never freed it (longer than any delay plus argon2). */
export const ATTEMPT_SLOT_MS = 30_000;

export type CheckResult =
  | { readonly allowed: true; readonly delayMs: number }
  | { readonly allowed: false; readonly scope: LockScope; readonly retryAfterSec: number };

export interface FailureResult {
  /** Failures of the account in the window, this one included (the count that locked it, if it did). */
  readonly failures: number;
  /** Whether this failure started a lockout (of `scope`). */
  readonly lockedNow: boolean;
  /**
   * Set when the account or the IP is locked after this failure: the lockout that started now, else the
   * one that ends last.
   */
  readonly scope?: LockScope;
  /** Until this client may try again: the later end of the account's and the IP's lockouts. */
  readonly retryAfterSec?: number;
}

interface Keys {
  readonly fails: string;
  readonly lock: string;
  readonly lockouts?: string;
}

interface ScopeOutcome {
  readonly failures: number;
  readonly lockedNow: boolean;
  readonly lockedUntil: number;
}

/**
 * The sign-in throttle. `ip` may be undefined (no client address known): then only the account is checked.
 * Behind the gateway, `ip` must be the client's address (Express `trust proxy`), not the gateway's, or the
 * IP limit would lock every user at once. Redis errors propagate: the caller decides to fail closed or open.
 */
export class BruteForceProtection {
  private readonly policy: BruteForcePolicy;

  constructor(
    private readonly redis: Redis,
    options: BruteForceOptions = {},
    private readonly clock: Clock = Date.now,
  ) {
    this.policy = resolveBruteForcePolicy(options);
  }

  /**
   * Claims the account's one attempt slot: false while another attempt for the same account is being
   * checked. Attempts of one account are thus serialised, which is what keeps the failure bound true
   * against an attacker who sends many guesses at once (a read-only `check` would let them all through
   * before the first failure is counted). The slot expires by itself after `ATTEMPT_SLOT_MS` if its
   * holder dies; `endAttempt` frees it.
   */
  async beginAttempt(accountKey: string): Promise<boolean> {
    const reply = await this.redis.set(this.accountKeys(accountKey).slot, '1', 'PX', ATTEMPT_SLOT_MS, 'NX');
    return reply === 'OK';
  }

  async endAttempt(accountKey: string): Promise<void> {
    await this.redis.del(this.accountKeys(accountKey).slot);
  }

  /** May this attempt go ahead, and after what delay? Read-only. */
  async check(accountKey: string, ip: string | undefined): Promise<CheckResult> {
    const now = this.clock();
    const account = this.accountKeys(accountKey);
    const address = ip === undefined ? undefined : this.ipKeys(ip);
    const [failures, accountLock, ipLock] = await Promise.all([
      this.redis.zcount(account.fails, `(${now - this.policy.windowMs}`, '+inf'),
      this.redis.get(account.lock),
      address ? this.redis.get(address.lock) : null,
    ]);
    const accountUntil = Number(accountLock ?? 0);
    const ipUntil = Number(ipLock ?? 0);
    if (accountUntil > now || ipUntil > now) {
      // When both are locked, the later end is the honest Retry-After.
      const scope: LockScope = accountUntil >= ipUntil ? 'account' : 'ip';
      return { allowed: false, scope, retryAfterSec: retryAfterSec(Math.max(accountUntil, ipUntil), now) };
    }
    return { allowed: true, delayMs: progressiveDelayMs(failures + 1, this.policy) };
  }

  /** Counts a failed sign-in against the account and the IP; locks either when its threshold is reached. */
  async recordFailure(accountKey: string, ip: string | undefined): Promise<FailureResult> {
    const now = this.clock();
    const member = `${now}:${randomBytes(6).toString('hex')}`;
    const p = this.policy;
    const [account, address] = await Promise.all([
      this.recordIn(
        this.accountKeys(accountKey),
        now,
        member,
        p.lockoutThreshold,
        p.lockoutMs,
        p.lockoutMaxMs,
      ),
      ip === undefined
        ? undefined
        : this.recordIn(this.ipKeys(ip), now, member, p.ipLockoutThreshold, p.ipLockoutMs, p.ipLockoutMs),
    ]);
    const accountUntil = account.lockedUntil > now ? account.lockedUntil : 0;
    const ipUntil = address !== undefined && address.lockedUntil > now ? address.lockedUntil : 0;
    if (!accountUntil && !ipUntil) return { failures: account.failures, lockedNow: false };
    // A lockout that starts now is reported (and audited) even when the other one lasts longer.
    const startedNow: LockScope | undefined = account.lockedNow
      ? 'account'
      : address?.lockedNow
        ? 'ip'
        : undefined;
    return {
      failures: account.failures,
      lockedNow: startedNow !== undefined,
      scope: startedNow ?? (accountUntil >= ipUntil ? 'account' : 'ip'),
      retryAfterSec: retryAfterSec(Math.max(accountUntil, ipUntil), now),
    };
  }

  /** A successful sign-in: forgets the account's failures; its lockout history and the IP's count stay. */
  async recordSuccess(accountKey: string): Promise<void> {
    await this.redis.del(this.accountKeys(accountKey).fails);
  }

  /** An administrator's reset: ends the account's lockout and forgets its failures and lockout history. */
  async unlock(accountKey: string): Promise<void> {
    const keys = this.accountKeys(accountKey);
    await this.redis.del(keys.fails, keys.lock, keys.lockouts);
  }

  private async recordIn(
    keys: Keys,
    now: number,
    member: string,
    threshold: number,
    lockMs: number,
    maxLockMs: number,
  ): Promise<ScopeOutcome> {
    const keyList = keys.lockouts ? [keys.fails, keys.lock, keys.lockouts] : [keys.fails, keys.lock];
    const args = [
      now,
      this.policy.windowMs,
      threshold,
      lockMs,
      maxLockMs,
      this.policy.lockoutEscalationWindowMs,
    ];
    const reply = scriptReply.parse(await this.runRecordScript(keyList, [...args.map(String), member]));
    return { failures: reply[0], lockedNow: reply[1] === 1, lockedUntil: reply[2] };
  }

  /** EVALSHA, falling back to EVAL once when Redis does not have the script (restarted, flushed). */
  private async runRecordScript(keys: string[], args: string[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(RECORD_FAILURE_SHA, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.redis.eval(RECORD_FAILURE_LUA, keys.length, ...keys, ...args);
    }
  }

  /** The hash tag `{…}` keeps an account's keys in one Redis Cluster slot, as one script touches them all. */
  private accountKeys(accountKey: string): Required<Keys> & { slot: string } {
    const base = `${this.policy.keyPrefix}acct:{${this.digest(normalizeAccountKey(accountKey))}}`;
    return {
      fails: `${base}:fails`,
      lock: `${base}:lock`,
      lockouts: `${base}:lockouts`,
      slot: `${base}:slot`,
    };
  }

  private ipKeys(ip: string): Keys {
    const base = `${this.policy.keyPrefix}ip:{${this.digest(ipBucket(ip))}}`;
    return { fails: `${base}:fails`, lock: `${base}:lock` };
  }

  /** Logins and addresses never reach Redis in clear. */
  private digest(value: string): string {
    const { keySecret } = this.policy;
    return keySecret
      ? createHmac('sha256', keySecret).update(value).digest('hex')
      : createHash('sha256').update(value).digest('hex');
  }
}
