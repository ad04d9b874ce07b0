import { DEFAULT_RECONNECT, authFailedDelayMs, reconnectDelayMs } from './ami-backoff';

describe('reconnect backoff', () => {
  const options = { ...DEFAULT_RECONNECT, initialDelayMs: 100, maxDelayMs: 1000 };

  it('doubles the jitter bound per attempt up to the maximum', () => {
    const justBelowOne = () => 0.9999;
    expect([0, 1, 2, 3, 4, 5, 50].map((attempt) => reconnectDelayMs(attempt, justBelowOne, options))).toEqual(
      [99, 199, 399, 799, 999, 999, 999],
    );
  });

  it('draws the whole delay from [0, bound): full jitter', () => {
    expect(reconnectDelayMs(3, () => 0, options)).toBe(0);
    expect(reconnectDelayMs(3, () => 0.5, options)).toBe(400);
  });

  it('never waits less than authFailedDelayMs after a refused login, at most 20 % more', () => {
    expect(authFailedDelayMs(() => 0, DEFAULT_RECONNECT)).toBe(60_000);
    expect(authFailedDelayMs(() => 0.9999, DEFAULT_RECONNECT)).toBe(71_998);
    expect(DEFAULT_RECONNECT.authFailedDelayMs).toBeGreaterThanOrEqual(60_000);
  });
});
