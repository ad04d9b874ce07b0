import { OUTBOX_LANES } from './outbox/outbox-message.entity';
import { laneOf } from './outbox/outbox.writer';
import { isTransientError } from './consumer/transient-errors';
import { Sleeper, backoff } from './logger';

describe('laneOf (ordering lanes of the outbox)', () => {
  it('maps a key to the same lane every time', () => {
    for (const key of ['call-1', '1764064800.101', 'demo:SIP/101', '']) expect(laneOf(key)).toBe(laneOf(key));
  });

  it('stays inside [0, lanes) for any key, including non-ASCII ones', () => {
    const keys = Array.from({ length: 2000 }, (_, i) => `key-${i}-Звонок-${i * 7919}`);
    for (const key of keys) {
      const lane = laneOf(key);
      expect(Number.isInteger(lane)).toBe(true);
      expect(lane).toBeGreaterThanOrEqual(0);
      expect(lane).toBeLessThan(OUTBOX_LANES);
    }
  });

  it('spreads typical call ids over every lane, none with more than twice its fair share', () => {
    const counts = new Array<number>(OUTBOX_LANES).fill(0);
    const n = 16_000;
    for (let i = 0; i < n; i++) counts[laneOf(`${1764064800 + i}.${i % 1000}`)]!++;
    expect(counts.every((c) => c > 0)).toBe(true);
    expect(Math.max(...counts)).toBeLessThan((2 * n) / OUTBOX_LANES);
  });

  it('honours a custom lane count', () => {
    for (let i = 0; i < 100; i++) expect(laneOf(`k${i}`, 3)).toBeLessThan(3);
  });
});

describe('isTransientError (retry forever, never dead-letter)', () => {
  it.each([
    'ECONNREFUSED',
    'ECONNRESET',
    'PROTOCOL_CONNECTION_LOST',
    'ER_LOCK_DEADLOCK',
    'ER_LOCK_WAIT_TIMEOUT',
  ])('treats %s as transient', (code) =>
    expect(isTransientError(Object.assign(new Error('x'), { code }))).toBe(true),
  );

  it('treats kafkajs connection errors as transient', () => {
    expect(
      isTransientError(Object.assign(new Error('broker gone'), { name: 'KafkaJSConnectionError' })),
    ).toBe(true);
  });

  it('looks through error causes', () => {
    const cause = Object.assign(new Error('inner'), { code: 'ECONNREFUSED' });
    expect(isTransientError(new Error('outer', { cause }))).toBe(true);
  });

  it.each([
    ['a domain error', new Error('agent not ready')],
    ['a duplicate key', Object.assign(new Error('dup'), { code: 'ER_DUP_ENTRY' })],
    ['a syntax error', Object.assign(new Error('bad sql'), { code: 'ER_PARSE_ERROR' })],
    ['a string', 'ECONNREFUSED'],
    ['null', null],
  ])('treats %s as a real failure', (_, error) => expect(isTransientError(error)).toBe(false));

  it('does not loop on an error that is its own cause', () => {
    const e = new Error('self') as Error & { cause?: unknown };
    e.cause = e;
    expect(isTransientError(e)).toBe(false);
  });
});

describe('backoff', () => {
  it('grows exponentially with jitter between half and all of the ceiling, capped at max', () => {
    for (let attempt = 0; attempt < 30; attempt++) {
      const ceiling = Math.min(5000, 100 * 2 ** attempt);
      for (let i = 0; i < 50; i++) {
        const delay = backoff(attempt, 100, 5000);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });
});

describe('Sleeper', () => {
  it('wakeAll() ends every pending sleep at once', async () => {
    const sleeper = new Sleeper();
    const woken: number[] = [];
    const sleeps = [1, 2, 3].map((n) => sleeper.sleep(60_000).then(() => woken.push(n)));
    sleeper.wakeAll();
    await Promise.all(sleeps);
    expect(woken.sort()).toEqual([1, 2, 3]);
  });

  it('a sleep ends by itself when nobody wakes it', async () => {
    await expect(new Sleeper().sleep(1)).resolves.toBeUndefined();
  });
});
