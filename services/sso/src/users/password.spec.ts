import * as argon2 from '@node-rs/argon2';
import {
  ARGON2_PARAMS,
  checkPasswordPolicy,
  COMMON_PASSWORDS,
  DUMMY_HASH,
  hashPassword,
  needsRehash,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  verifyAgainstDummy,
  verifyPassword,
} from './password';

// Calls through to the real argon2; lets a test see (or once replace) what verifyAgainstDummy verifies.
jest.mock('@node-rs/argon2', () => {
  const actual = jest.requireActual<typeof argon2>('@node-rs/argon2');
  return { ...actual, verify: jest.fn(actual.verify) };
});

const GOOD = 'correct horse battery staple';

function codes(password: string, context: Parameters<typeof checkPasswordPolicy>[1] = { login: 'ivanov' }) {
  return checkPasswordPolicy(password, context).map((v) => v.code);
}

describe('hashing', () => {
  it('uses argon2id with at least the OWASP minimum cost (m=19456 KiB, t=2, p=1)', () => {
    expect(ARGON2_PARAMS.memoryCost).toBeGreaterThanOrEqual(19_456);
    expect(ARGON2_PARAMS.timeCost).toBeGreaterThanOrEqual(2);
    expect(ARGON2_PARAMS.parallelism).toBeGreaterThanOrEqual(1);
  });

  it('produces an argon2id v19 PHC string with exactly ARGON2_PARAMS', async () => {
    const hashed = await hashPassword(GOOD);
    expect(hashed).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    expect(argon2.parseOptions(hashed)).toEqual({
      algorithm: ARGON2_PARAMS.algorithm,
      version: ARGON2_PARAMS.version,
      memoryCost: ARGON2_PARAMS.memoryCost,
      timeCost: ARGON2_PARAMS.timeCost,
      parallelism: ARGON2_PARAMS.parallelism,
      outputLen: ARGON2_PARAMS.outputLen,
      saltLen: 16,
    });
  });

  it('salts every hash: the same password hashes differently twice', async () => {
    expect(await hashPassword(GOOD)).not.toBe(await hashPassword(GOOD));
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const hashed = await hashPassword(GOOD);
    expect(await verifyPassword(hashed, GOOD)).toBe(true);
    expect(await verifyPassword(hashed, `${GOOD}!`)).toBe(false);
    expect(await verifyPassword(hashed, GOOD.toUpperCase())).toBe(false);
  });

  it('treats the composed and decomposed forms of a letter as the same password (NFKC)', async () => {
    const composed = 'пароль-йод-ёлка-2024';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(await verifyPassword(await hashPassword(composed), decomposed)).toBe(true);
  });

  it.each([
    ['an empty hash', ''],
    ['garbage', 'not a hash'],
    ['a truncated PHC string', '$argon2id$v=19$m=19456,t=2,p=1$'],
    ['a PHC string with an undecodable salt', '$argon2id$v=19$m=19456,t=2,p=1$zz$yy'],
    ['a bcrypt hash', '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW'],
  ])('answers false, without throwing, for %s', async (_what, hashed) => {
    await expect(verifyPassword(hashed, GOOD)).resolves.toBe(false);
  });
});

describe('needsRehash', () => {
  const weaker = (options: argon2.Options) =>
    argon2.hash(GOOD, { ...ARGON2_PARAMS, memoryCost: 1024, timeCost: 1, ...options });

  it('is false for a hash made now', async () => {
    expect(needsRehash(await hashPassword(GOOD))).toBe(false);
  });

  it('is false for a stronger hash (more memory, more passes)', async () => {
    const stronger = await argon2.hash(GOOD, {
      ...ARGON2_PARAMS,
      memoryCost: ARGON2_PARAMS.memoryCost * 2,
      timeCost: ARGON2_PARAMS.timeCost + 1,
    });
    expect(needsRehash(stronger)).toBe(false);
  });

  it('is true for less memory, fewer passes, or another argon2 variant', async () => {
    expect(needsRehash(await weaker({ memoryCost: ARGON2_PARAMS.memoryCost - 1024 }))).toBe(true);
    expect(needsRehash(await weaker({ memoryCost: ARGON2_PARAMS.memoryCost, timeCost: 1 }))).toBe(true);
    const argon2i = await argon2.hash(GOOD, { ...ARGON2_PARAMS, algorithm: 1 as argon2.Algorithm });
    expect(argon2i).toMatch(/^\$argon2i\$/);
    expect(needsRehash(argon2i)).toBe(true);
  });

  it('is true for a hash it cannot read', () => {
    expect(needsRehash('')).toBe(true);
    expect(needsRehash('not a hash')).toBe(true);
  });
});

describe('verifyAgainstDummy', () => {
  const verify = jest.mocked(argon2.verify);
  beforeEach(() => verify.mockClear());

  it('has a dummy hash with exactly the current cost, so it takes as long as a real verification', () => {
    expect(argon2.parseOptions(DUMMY_HASH)).toMatchObject({
      algorithm: ARGON2_PARAMS.algorithm,
      version: ARGON2_PARAMS.version,
      memoryCost: ARGON2_PARAMS.memoryCost,
      timeCost: ARGON2_PARAMS.timeCost,
      parallelism: ARGON2_PARAMS.parallelism,
      outputLen: ARGON2_PARAMS.outputLen,
    });
    expect(needsRehash(DUMMY_HASH)).toBe(false);
  });

  it('runs a real argon2 verification against the dummy hash and answers false', async () => {
    await expect(verifyAgainstDummy(GOOD)).resolves.toBe(false);
    expect(verify).toHaveBeenCalledTimes(1);
    expect(verify).toHaveBeenCalledWith(DUMMY_HASH, GOOD);
    // The real verification ran and did not match: the dummy's password is not the one tried.
    await expect(verify.mock.results[0]?.value).resolves.toBe(false);
  });

  it('answers false even if the dummy hash were to match', async () => {
    verify.mockResolvedValueOnce(true);
    await expect(verifyAgainstDummy(GOOD)).resolves.toBe(false);
    expect(verify).toHaveBeenCalledTimes(1);
  });
});

describe('checkPasswordPolicy', () => {
  it('accepts a long passphrase without digits, capitals or symbols (no composition rules)', () => {
    expect(checkPasswordPolicy(GOOD, { login: 'ivanov@clinic', name: 'Иван Иванов' })).toEqual([]);
    expect(codes('зелёный слон читает газету')).toEqual([]);
  });

  it(`requires at least ${PASSWORD_MIN_LENGTH} characters, counted in code points`, () => {
    expect(codes('kvlw-tpzx-m')).toEqual(['too-short']);
    expect(codes('kvlw-tpzx-mr')).toEqual([]);
    // Six emoji are twelve UTF-16 units but six characters.
    const emoji = '🦊🐙🌵🚲🎻🧩';
    const moreEmoji = '🍄🐝🦉🌻🎈🧲';
    expect(emoji.length).toBe(12);
    expect(codes(emoji)).toEqual(['too-short']);
    expect(codes(`${emoji}${moreEmoji}`)).toEqual([]);
    expect(codes('')).toEqual(['too-short']);
  });

  it(`allows at most ${PASSWORD_MAX_LENGTH} characters, counted in code points`, () => {
    const atMax = 'Жук🐞'.repeat(PASSWORD_MAX_LENGTH / 4);
    expect([...atMax]).toHaveLength(PASSWORD_MAX_LENGTH);
    expect(atMax.length).toBeGreaterThan(PASSWORD_MAX_LENGTH);
    expect(codes(atMax)).not.toContain('too-long');
    expect(codes(`${atMax}z`)).toContain('too-long');
  });

  it('rejects a password of spaces only', () => {
    expect(codes(' '.repeat(14))).toEqual(['whitespace-only']);
    expect(codes('\u00a0\t '.repeat(5))).toEqual(['whitespace-only']);
  });

  it('rejects a password containing the login, in any case, including either part of login@tenant', () => {
    expect(codes('my-IvAnOv-passphrase', { login: 'ivanov' })).toEqual(['contains-login']);
    expect(codes('my-ivanov-passphrase', { login: 'Ivanov@clinic7' })).toEqual(['contains-login']);
    expect(codes('CLINIC7-is-my-workplace', { login: 'ivanov@clinic7' })).toEqual(['contains-login']);
    expect(codes('plain-passphrase-here', { login: 'ivanov@clinic7' })).toEqual([]);
  });

  it('does not search for logins or name words shorter than three characters', () => {
    expect(codes('a-perfectly-fine-phrase', { login: 'fi', name: 'Al Ed' })).toEqual([]);
  });

  it('rejects a password containing a word of the user’s name', () => {
    expect(codes('ПетровИван-1987-весна', { login: 'ip', name: 'Иван Петров' })).toEqual(['contains-name']);
    expect(codes('plain-passphrase-here', { login: 'ip', name: 'Иван Петров' })).toEqual([]);
  });

  it.each([
    'qwerty123',
    'password',
    '123456789012',
    'йцукен',
    'ЙЦУКЕНГШЩЗХЪ',
    'Password2024!!',
    '!!qwerty123456',
  ])('rejects the common password %s', (password) => {
    expect(codes(password)).toContain('common');
  });

  it('has a blocklist of a few dozen lower-case entries, Russian keyboard ones included', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThanOrEqual(30);
    expect(COMMON_PASSWORDS.has('йцукен')).toBe(true);
    expect([...COMMON_PASSWORDS].every((p) => p === p.toLowerCase())).toBe(true);
  });

  it.each(['aaaaaaaaaaaaaa', '121212121212', 'passpasspasspass', 'abcdefghijklmn', '9876543210'])(
    'rejects the repetitive or sequential password %s',
    (password) => {
      expect(codes(password)).toContain('repetitive');
    },
  );

  it('checks only the length of a huge input (the pattern checks are skipped)', () => {
    expect(codes(`${'1'.repeat(1_000_000)}a`)).toEqual(['too-long']);
    expect(codes('a'.repeat(1_000_000))).toEqual(['too-long']);
  });

  it('reports every rule broken at once', () => {
    expect(codes('ivanov', { login: 'ivanov' })).toEqual(['too-short', 'contains-login']);
    expect(codes('qwerty', { login: 'qwerty' })).toEqual(['too-short', 'contains-login', 'common']);
  });

  it('answers in Russian by default and in English on request', () => {
    expect(checkPasswordPolicy('short', { login: 'ivanov' })).toEqual([
      { code: 'too-short', message: 'Пароль должен содержать не менее 12 символов.' },
    ]);
    expect(checkPasswordPolicy('short', { login: 'ivanov', locale: 'en' })).toEqual([
      { code: 'too-short', message: 'The password must be at least 12 characters long.' },
    ]);
  });
});
