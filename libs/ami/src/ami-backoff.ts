/** How the client waits before reconnecting. */
export interface AmiReconnectOptions {
  /** Upper bound of the first delay (full jitter: the delay is random in [0, bound)). Default 500 ms. */
  readonly initialDelayMs?: number;
  /** The bound doubles per failed attempt up to this. Default 30 s. */
  readonly maxDelayMs?: number;
  /** After a refused login: a wrong secret will not fix itself, so retry rarely. Default 60 s (plus up to 20 %). */
  readonly authFailedDelayMs?: number;
  /** A connection that stayed logged in this long resets the attempt count. Default 10 s. */
  readonly stableAfterMs?: number;
}

export const DEFAULT_RECONNECT: Required<AmiReconnectOptions> = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  authFailedDelayMs: 60_000,
  stableAfterMs: 10_000,
};

/**
 * Exponential backoff with full jitter (AWS architecture blog): random in [0, min(max, initial * 2^attempt)).
 * The jitter keeps many clients from reconnecting in step after a PBX restart.
 */
export function reconnectDelayMs(
  attempt: number,
  random: () => number,
  options: Required<AmiReconnectOptions>,
): number {
  const bound = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * bound);
}

/** Never shorter than authFailedDelayMs; the jitter only lengthens it. */
export function authFailedDelayMs(random: () => number, options: Required<AmiReconnectOptions>): number {
  return Math.floor(options.authFailedDelayMs * (1 + 0.2 * random()));
}
