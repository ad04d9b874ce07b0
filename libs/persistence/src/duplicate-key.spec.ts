import { isDuplicateKey } from './duplicate-key';

describe('isDuplicateKey', () => {
  it('recognises a duplicate key from mysql2 directly or wrapped by TypeORM', () => {
    expect(isDuplicateKey({ code: 'ER_DUP_ENTRY' })).toBe(true);
    expect(isDuplicateKey({ errno: 1062 })).toBe(true);
    expect(isDuplicateKey({ driverError: { errno: 1062 } })).toBe(true);
    expect(isDuplicateKey({ driverError: { code: 'ER_DUP_ENTRY' } })).toBe(true);
    expect(isDuplicateKey({ code: 'ER_LOCK_DEADLOCK' })).toBe(false);
    expect(isDuplicateKey(undefined)).toBe(false);
  });
});
