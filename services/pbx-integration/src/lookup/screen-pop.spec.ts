import { screenPopSchema } from '@okc/contracts';
import {
  mapFields,
  mergeScreenPops,
  SCREEN_POP_KEY_MAX,
  SCREEN_POP_VALUE_MAX,
  toScreenPopValue,
  truncate,
} from './screen-pop';

describe('truncate', () => {
  it('cuts to the limit and leaves shorter text alone', () => {
    expect(truncate('abcdef', 4)).toBe('abcd');
    expect(truncate('abc', 4)).toBe('abc');
  });

  it('never leaves half of a surrogate pair', () => {
    const text = `abc${'😀'}`; // 3 + 2 UTF-16 units
    expect(truncate(text, 4)).toBe('abc');
    expect(truncate(text, 5)).toBe(text);
  });
});

describe('toScreenPopValue', () => {
  it('keeps strings, finite numbers and booleans', () => {
    expect(toScreenPopValue('Ada')).toBe('Ada');
    expect(toScreenPopValue(0)).toBe(0);
    expect(toScreenPopValue(12.5)).toBe(12.5);
    expect(toScreenPopValue(false)).toBe(false);
  });

  it('turns other values into text', () => {
    expect(toScreenPopValue(12345678901234567890n)).toBe('12345678901234567890');
    expect(toScreenPopValue(new Date('2025-01-02T03:04:05.000Z'))).toBe('2025-01-02T03:04:05.000Z');
    expect(toScreenPopValue(Buffer.from('Ада', 'utf8'))).toBe('Ада');
    expect(toScreenPopValue({ a: [1, 2] })).toBe('{"a":[1,2]}');
  });

  it('treats null, undefined and non-finite numbers as not found', () => {
    expect(toScreenPopValue(null)).toBeUndefined();
    expect(toScreenPopValue(undefined)).toBeUndefined();
    expect(toScreenPopValue(Number.NaN)).toBeUndefined();
    expect(toScreenPopValue(Infinity)).toBeUndefined();
  });

  it('truncates text to the schema limit', () => {
    expect(toScreenPopValue('x'.repeat(5000))).toHaveLength(SCREEN_POP_VALUE_MAX);
    expect(toScreenPopValue({ long: 'y'.repeat(5000) })).toHaveLength(SCREEN_POP_VALUE_MAX);
  });
});

describe('mapFields', () => {
  const row: Record<string, unknown> = { name: 'Ada', tier: null, vip: true };

  it('takes each mapped value and names the keys that found nothing', () => {
    expect(mapFields({ customer: 'name', tier: 'tier', vip: 'vip', phone: 'phone' }, (c) => row[c])).toEqual({
      screenPop: { customer: 'Ada', vip: true },
      missingKeys: ['tier', 'phone'],
    });
  });

  it('is a miss (null) when nothing is found', () => {
    expect(mapFields({ tier: 'tier', x: 'x' }, (c) => row[c])).toEqual({
      screenPop: null,
      missingKeys: ['tier', 'x'],
    });
  });

  it('produces what the call.offered schema accepts, even from oversized values and keys', () => {
    const found = mapFields({ ['k'.repeat(200)]: 'big', note: 'big' }, () => 'v'.repeat(10_000));
    expect(found.screenPop).not.toBeNull();
    expect(screenPopSchema.safeParse(found.screenPop).success).toBe(true);
    expect(Object.keys(found.screenPop!)[0]).toHaveLength(SCREEN_POP_KEY_MAX);
    // The limits here are the schema's: one unit more is refused.
    expect(screenPopSchema.safeParse({ note: 'v'.repeat(SCREEN_POP_VALUE_MAX + 1) }).success).toBe(false);
    expect(screenPopSchema.safeParse({ ['k'.repeat(SCREEN_POP_KEY_MAX + 1)]: 1 }).success).toBe(false);
  });
});

describe('mergeScreenPops', () => {
  it('lets the earlier (higher-priority) answer win a key and keeps the others', () => {
    expect(
      mergeScreenPops([
        { name: 'From CRM', vip: true },
        null,
        undefined,
        { name: 'From billing', balance: 12 },
      ]),
    ).toEqual({ name: 'From CRM', vip: true, balance: 12 });
  });

  it('is null when nothing was found', () => {
    expect(mergeScreenPops([])).toBeNull();
    expect(mergeScreenPops([null, undefined, {}])).toBeNull();
  });
});
