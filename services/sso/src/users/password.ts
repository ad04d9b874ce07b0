import {
  type Algorithm,
  hash,
  parseOptions,
  type ParsedHashOptions,
  verify,
  type Version,
} from '@node-rs/argon2';

/**
 * Password hashing (argon2id) and the password policy (NIST SP 800-63B: length and a blocklist, no
 * composition rules, no periodic expiry).
 */

/**
 * `Algorithm.Argon2id` and `Version.V0x13` of @node-rs/argon2. They are ambient `const enum`s there, which
 * `isolatedModules` (SWC compiles file by file) cannot read, so their values are spelled out; the spec checks
 * that a hash made with them is a `$argon2id$v=19$` one.
 */
const ARGON2ID = 2 as Algorithm;
const VERSION_0x13 = 1 as Version;

/**
 * The argon2id cost of every new hash: OWASP's minimum recommended configuration (Password Storage Cheat
 * Sheet: m=19 MiB, t=2, p=1), which is also RFC 9106's "memory-constrained" direction. It takes ~20 ms of one
 * core and 19 MiB per sign-in, so a burst of concurrent sign-ins cannot exhaust the service's memory, while an
 * offline attacker pays the same 19 MiB per guess. Set explicitly, not left to the library's defaults, so an
 * upgrade of the library never changes it silently. Raise it here when hardware allows: `needsRehash` then
 * tells the sign-in flow to re-hash each user's password with the new cost at their next sign-in.
 */
export const ARGON2_PARAMS = {
  algorithm: ARGON2ID,
  version: VERSION_0x13,
  /** KiB. */
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
  /** Bytes of the raw hash. */
  outputLen: 32,
} as const;

/** Bytes of the random salt @node-rs/argon2 generates; a stored hash with a shorter one is re-hashed. */
const MIN_SALT_LENGTH = 16;

/**
 * NIST 800-63B asks to normalise Unicode before hashing, so a password typed as a precomposed "й" on one
 * keyboard and as "и" + combining breve on another is the same password. Every function here applies it.
 */
export function normalizePassword(plain: string): string {
  return plain.normalize('NFKC');
}

/** A PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`) of `plain`, with a fresh random salt. */
export function hashPassword(plain: string): Promise<string> {
  return hash(normalizePassword(plain), ARGON2_PARAMS);
}

/**
 * Whether `plain` matches `hash`. A malformed or empty stored hash is a non-match, never an exception, so a
 * corrupt row cannot turn a sign-in into a 500 (and the caller has a single "wrong password" path).
 */
export async function verifyPassword(hashed: string, plain: string): Promise<boolean> {
  if (!hashed) return false;
  try {
    return await verify(hashed, normalizePassword(plain));
  } catch {
    return false;
  }
}

/**
 * Whether a stored hash was made with a weaker cost than `ARGON2_PARAMS` (or another algorithm, or is
 * unreadable), so the sign-in flow should store `hashPassword(plain)` once the password has been verified.
 * A different parallelism alone is not weaker: the memory (the attacker's cost) is the total over all lanes.
 */
export function needsRehash(hashed: string): boolean {
  let params: ParsedHashOptions;
  try {
    params = parseOptions(hashed);
  } catch {
    return true;
  }
  return (
    params.algorithm !== ARGON2_PARAMS.algorithm ||
    params.version !== ARGON2_PARAMS.version ||
    params.memoryCost < ARGON2_PARAMS.memoryCost ||
    params.timeCost < ARGON2_PARAMS.timeCost ||
    params.outputLen < ARGON2_PARAMS.outputLen ||
    params.saltLen < MIN_SALT_LENGTH
  );
}

/**
 * A hash of a random password nobody knows (it was thrown away when this was generated), with exactly
 * `ARGON2_PARAMS`; the spec fails if the two drift apart. A constant rather than one computed at startup,
 * so even the first sign-in for an unknown user costs exactly one verification.
 */
export const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$KF8dguO0LhnNUNNXGtGnBA$JflTjyr+3AiYoj6wIlPOwBXsr6H7qHAWiOhAOnRdXuA';

/**
 * Runs the same verification as for a real account and answers `false`: call it when the login names no
 * user (or an inactive one), so the response takes as long as for a wrong password, and response time does
 * not tell an attacker which logins exist.
 */
export async function verifyAgainstDummy(plain: string): Promise<false> {
  await verifyPassword(DUMMY_HASH, plain);
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// Policy

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
/** Logins and name parts shorter than this are not searched for in the password (too many false hits). */
const MIN_CONTEXT_WORD_LENGTH = 3;

export type PasswordPolicyCode =
  'too-short' | 'too-long' | 'whitespace-only' | 'contains-login' | 'contains-name' | 'common' | 'repetitive';

export interface PasswordPolicyViolation {
  readonly code: PasswordPolicyCode;
  readonly message: string;
}

export interface PasswordPolicyContext {
  /** The user's login, or `login@tenant`: each part of 3+ characters must not appear in the password. */
  readonly login: string;
  /** The user's name: each word of 3+ characters must not appear in the password. */
  readonly name?: string;
  /** Language of the messages; Russian by default, like the UI. */
  readonly locale?: 'ru' | 'en';
}

const MESSAGES: Readonly<Record<'ru' | 'en', Readonly<Record<PasswordPolicyCode, string>>>> = {
  ru: {
    'too-short': `Пароль должен содержать не менее ${PASSWORD_MIN_LENGTH} символов.`,
    'too-long': `Пароль должен содержать не более ${PASSWORD_MAX_LENGTH} символов.`,
    'whitespace-only': 'Пароль не может состоять из одних пробелов.',
    'contains-login': 'Пароль не должен содержать логин.',
    'contains-name': 'Пароль не должен содержать ваше имя.',
    common: 'Этот пароль слишком распространён, его легко подобрать.',
    repetitive: 'Пароль состоит из повторяющихся или идущих подряд символов, его легко подобрать.',
  },
  en: {
    'too-short': `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`,
    'too-long': `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`,
    'whitespace-only': 'The password cannot consist of spaces only.',
    'contains-login': 'The password must not contain your login.',
    'contains-name': 'The password must not contain your name.',
    common: 'This password is too common and easy to guess.',
    repetitive: 'The password is made of repeated or consecutive characters and is easy to guess.',
  },
};

/**
 * The most common passwords of public breach corpora, including Russian ones and the Russian-keyboard
 * forms of Latin ones (`йцукен` is `qwerty`, `gfhjkm` is `пароль` typed in the wrong layout). Compared in
 * lower case, whole and with leading/trailing digits and symbols stripped (`Password2024!` → `password`).
 * Short entries are kept: the length rule already rejects them, but so does a reader of this list.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456',
  '12345678',
  '123456789',
  '1234567890',
  '12345678910',
  '123456789012',
  '1234567890123',
  '111111111111',
  '000000000000',
  '123123123123',
  '987654321',
  'qwerty',
  'qwerty123',
  'qwerty12345',
  'qwerty123456',
  'qwertyuiop',
  'qwertyuiop123',
  'qwertyuiopasdfghjkl',
  'asdfghjkl',
  'zxcvbnm',
  'qazwsxedc',
  'qazwsxedcrfv',
  '1q2w3e4r',
  '1q2w3e4r5t',
  '1q2w3e4r5t6y',
  '1qaz2wsx',
  '1qaz2wsx3edc',
  'zaq12wsx',
  'password',
  'password1',
  'password123',
  'password1234',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword',
  'iloveyou',
  'admin',
  'admin123',
  'administrator',
  'welcome',
  'letmein',
  'changeme',
  'secret',
  'monkey',
  'dragon',
  'football',
  'abc123',
  'пароль',
  'парольпароль',
  'gfhjkm',
  'йцукен',
  'йцукенгшщз',
  'йцукенгшщзхъ',
  'фывапролджэ',
  'ячсмитьбю',
  'любовь',
  'привет',
  'qwertyйцукен',
  'okc',
]);

function codePoints(s: string): string[] {
  return [...s];
}

/** Strips leading and trailing digits, punctuation and symbols: `!!Qwerty2024` → `qwerty`. */
function core(lowered: string): string {
  return lowered.replace(/^[\p{N}\p{P}\p{S}\s]+|[\p{N}\p{P}\p{S}\s]+$/gu, '');
}

function isCommon(lowered: string): boolean {
  const stripped = core(lowered);
  return COMMON_PASSWORDS.has(lowered) || (stripped.length > 0 && COMMON_PASSWORDS.has(stripped));
}

/**
 * A unit repeated at least three times (`aaaaaaaaaaaa`, `121212121212`, `passpasspass`), or a run of
 * consecutive code points up or down (`abcdefghijklm`, `987654321`).
 */
function isRepetitive(chars: readonly string[]): boolean {
  for (let unit = 1; unit <= chars.length / 3; unit++) {
    if (chars.every((c, i) => c === chars[i % unit])) return true;
  }
  const codes = chars.map((c) => c.codePointAt(0) ?? 0);
  const step = (codes[1] ?? 0) - (codes[0] ?? 0);
  return (
    codes.length > 2 &&
    Math.abs(step) === 1 &&
    codes.every((c, i) => i === 0 || c - (codes[i - 1] ?? 0) === step)
  );
}

function contextWords(value: string, separators: RegExp): string[] {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .split(separators)
    .filter((w) => codePoints(w).length >= MIN_CONTEXT_WORD_LENGTH);
}

/**
 * The rules `password` breaks, empty when it is acceptable. Length counts Unicode code points (an emoji or
 * "ё" is one character). There are deliberately no composition rules (a digit, a capital…): NIST 800-63B
 * found they make passwords weaker and harder to remember; length and a blocklist are what matter.
 */
export function checkPasswordPolicy(
  password: string,
  context: PasswordPolicyContext,
): PasswordPolicyViolation[] {
  const messages = MESSAGES[context.locale ?? 'ru'];
  const codes: PasswordPolicyCode[] = [];
  const normalized = normalizePassword(password);
  const chars = codePoints(normalized);
  const lowered = normalized.toLowerCase();

  if (chars.length < PASSWORD_MIN_LENGTH) codes.push('too-short');
  if (chars.length > PASSWORD_MAX_LENGTH) codes.push('too-long');
  if (chars.length > 0 && normalized.trim() === '') codes.push('whitespace-only');
  if (contextWords(context.login, /@/).some((part) => lowered.includes(part))) codes.push('contains-login');
  if (context.name && contextWords(context.name, /[\s\p{P}]+/u).some((word) => lowered.includes(word))) {
    codes.push('contains-name');
  }
  // The pattern checks are quadratic at worst: not run on input already refused for its length.
  if (chars.length <= PASSWORD_MAX_LENGTH) {
    if (isCommon(lowered)) codes.push('common');
    else if (normalized.trim() !== '' && isRepetitive(chars)) codes.push('repetitive');
  }

  return codes.map((code) => ({ code, message: messages[code] }));
}
