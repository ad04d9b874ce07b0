import { parseJsonPath, readJsonPath } from './json-path';

const path = (text: string) => {
  const parsed = parseJsonPath(text);
  if (!parsed.ok) throw new Error(`not a path: ${text} (${parsed.problem})`);
  return parsed.path;
};

describe('parseJsonPath', () => {
  it.each([
    ['data.customer.name', ['data', 'customer', 'name']],
    ['$.data.customer.name', ['data', 'customer', 'name']],
    ['$data', ['data']],
    ['items.0.id', ['items', '0', 'id']],
    ['items[0].id', ['items', '0', 'id']],
    ['items[10][2]', ['items', '10', '2']],
    ['[0].name', ['0', 'name']],
    ['first-name', ['first-name']],
    ['  name  ', ['name']],
  ])('reads %s as its steps', (text, steps) => {
    expect(parseJsonPath(text)).toEqual({ ok: true, path: steps });
  });

  it.each([
    ['', /at least one field/],
    ['$', /at least one field/],
    ['$.', /at least one field/],
    ['a..b', /empty field name/],
    ['.a', /empty field name/],
    ['a.', /ends with a dot/],
    ['items[x]', /array index/],
    ['items[0', /array index/],
    ['items]', /without its \[/],
    ['items[0]name', /dot is missing/],
    ['a'.repeat(257), /at most 256/],
    [Array.from({ length: 33 }, () => 'a').join('.'), /at most 32 steps/],
  ])('refuses %j, saying why', (text, problem) => {
    const parsed = parseJsonPath(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.problem).toMatch(problem);
  });
});

describe('readJsonPath', () => {
  const answer = {
    data: { customer: { name: 'Ada', vip: true, balance: 0, note: null } },
    items: [{ id: 'C-1' }, { id: 'C-2' }],
    codes: { '0': 'zero' },
  };

  it('follows keys and array indexes', () => {
    expect(readJsonPath(answer, path('data.customer.name'))).toBe('Ada');
    expect(readJsonPath(answer, path('items.1.id'))).toBe('C-2');
    expect(readJsonPath(answer, path('items[0].id'))).toBe('C-1');
    expect(readJsonPath(answer, path('codes.0'))).toBe('zero');
    expect(readJsonPath([{ a: 1 }], path('0.a'))).toBe(1);
  });

  it('returns falsy values as they are', () => {
    expect(readJsonPath(answer, path('data.customer.vip'))).toBe(true);
    expect(readJsonPath(answer, path('data.customer.balance'))).toBe(0);
    expect(readJsonPath(answer, path('data.customer.note'))).toBeNull();
  });

  it('answers undefined for any missing step', () => {
    expect(readJsonPath(answer, path('data.customer.phone'))).toBeUndefined();
    expect(readJsonPath(answer, path('items.5.id'))).toBeUndefined();
    expect(readJsonPath(answer, path('items.id'))).toBeUndefined();
    expect(readJsonPath(answer, path('data.customer.name.first'))).toBeUndefined();
    expect(readJsonPath(answer, path('data.customer.note.x'))).toBeUndefined();
    expect(readJsonPath('text', path('length'))).toBeUndefined();
    expect(readJsonPath(null, path('a'))).toBeUndefined();
  });

  it('never reads inherited properties', () => {
    expect(readJsonPath(answer, path('constructor'))).toBeUndefined();
    expect(readJsonPath(answer, path('data.__proto__'))).toBeUndefined();
    expect(readJsonPath(answer, path('items.length'))).toBeUndefined();
    expect(readJsonPath(answer, path('data.hasOwnProperty'))).toBeUndefined();
  });
});
