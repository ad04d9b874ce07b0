import { MAX_RETRY_DELAY_MS, redisRetryDelay } from './redis.client';

describe('redisRetryDelay', () => {
  it('backs off exponentially from 100 ms', () => {
    expect([1, 2, 3, 4, 5, 6].map(redisRetryDelay)).toEqual([100, 200, 400, 800, 1600, 3200]);
  });

  it('caps at 5 s and never gives up (a number, never null), however many attempts failed', () => {
    expect(redisRetryDelay(7)).toBe(MAX_RETRY_DELAY_MS);
    expect(redisRetryDelay(10_000)).toBe(5000);
    expect(redisRetryDelay(Number.MAX_SAFE_INTEGER)).toBe(5000);
  });
});
