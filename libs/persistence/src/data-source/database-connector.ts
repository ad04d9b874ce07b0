import type { DataSource } from 'typeorm';

export interface ConnectorLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
}

/** Exponential backoff with full jitter: attempt 0 → up to initialMs, doubling up to maxMs. */
export function backoffDelay(
  attempt: number,
  { initialMs = 250, maxMs = 10_000 }: BackoffOptions = {},
): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

/**
 * Opens a DataSource in the background and keeps trying with backoff until it succeeds or `stop()` is called.
 * The service stays up (and reports not-ready) while the database is down: no crash loop, no hang at boot.
 */
export class DatabaseConnector {
  private stopped = false;
  private attempt = 0;
  private lastError: string | null = null;
  private readonly readyPromise: Promise<void>;
  private resolveReady!: () => void;
  private rejectReady!: (error: Error) => void;

  constructor(
    readonly dataSource: DataSource,
    private readonly logger: ConnectorLogger,
    private readonly backoff: BackoffOptions = {},
  ) {
    this.readyPromise = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    // Nobody has to listen: a stop before the first connection is a normal shutdown.
    this.readyPromise.catch(() => undefined);
  }

  /** Resolves once the DataSource is initialised; rejects if the connector is stopped before that. */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  get isConnected(): boolean {
    return this.dataSource.isInitialized;
  }

  get lastConnectError(): string | null {
    return this.lastError;
  }

  /** Starts connecting; returns at once. */
  start(): void {
    void this.loop();
  }

  private async loop(): Promise<void> {
    while (!this.stopped && !this.dataSource.isInitialized) {
      try {
        await this.dataSource.initialize();
        if (this.stopped) {
          await this.dataSource.destroy();
          return;
        }
        this.logger.info({ attempts: this.attempt + 1 }, 'database connected');
        this.lastError = null;
        this.resolveReady();
        return;
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
        const delay = backoffDelay(this.attempt++, this.backoff);
        if (this.attempt === 1 || this.attempt % 10 === 0) {
          this.logger.warn(
            { err: this.lastError, attempt: this.attempt, retryInMs: delay },
            'database unavailable; retrying',
          );
        }
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /** Throws when the database is not usable: the readiness check. */
  async check(): Promise<void> {
    if (!this.dataSource.isInitialized)
      throw new Error(`not connected${this.lastError ? `: ${this.lastError}` : ''}`);
    await this.dataSource.query('SELECT 1');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.rejectReady(new Error('database connector stopped'));
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
