import { Inject, Injectable, Logger, Optional } from '@nestjs/common';

/** A named dependency check; it resolves when the dependency is usable and throws (or rejects) when not. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
  /** Overrides the registry's default timeout for this check. */
  readonly timeoutMs?: number;
}

export type CheckResult = { readonly status: 'up' } | { readonly status: 'down'; readonly error: string };

export interface ReadinessReport {
  readonly status: 'ready' | 'not_ready';
  readonly checks: Readonly<Record<string, CheckResult>>;
  /** Names of the checks that are down; present only when not ready. */
  readonly failing?: readonly string[];
}

export interface ReadinessOptions {
  /** How long one check may take before it counts as down. */
  readonly timeoutMs: number;
}

export const READINESS_OPTIONS = Symbol('READINESS_OPTIONS');
export const DEFAULT_READINESS_TIMEOUT_MS = 2000;

/**
 * The service's readiness: other libs register one check per dependency (db, kafka, redis). All checks run
 * in parallel, each bounded by a timeout, so `/health/ready` answers even when a dependency hangs.
 * A change of a check's state is logged once, not on every probe.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly logger = new Logger('Readiness');
  private readonly checks = new Map<string, ReadinessCheck>();
  private readonly lastStatus = new Map<string, CheckResult['status']>();
  private readonly timeoutMs: number;

  constructor(@Optional() @Inject(READINESS_OPTIONS) options?: ReadinessOptions) {
    this.timeoutMs = options?.timeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS;
  }

  register(check: ReadinessCheck): void {
    if (this.checks.has(check.name)) throw new Error(`Readiness check "${check.name}" is already registered`);
    this.checks.set(check.name, check);
  }

  unregister(name: string): void {
    this.checks.delete(name);
    this.lastStatus.delete(name);
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  async evaluate(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks.values()].map(async (check) => [check.name, await this.run(check)] as const),
    );
    const checks = Object.fromEntries(entries);
    const failing = entries.filter(([, result]) => result.status === 'down').map(([name]) => name);
    return failing.length === 0 ? { status: 'ready', checks } : { status: 'not_ready', checks, failing };
  }

  private async run(check: ReadinessCheck): Promise<CheckResult> {
    const timeoutMs = check.timeoutMs ?? this.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    let result: CheckResult;
    try {
      // `Promise.resolve().then` also turns a check that throws synchronously into a rejection.
      await Promise.race([Promise.resolve().then(() => check.check()), timeout]);
      result = { status: 'up' };
    } catch (err) {
      result = { status: 'down', error: err instanceof Error ? err.message : String(err) };
    } finally {
      clearTimeout(timer);
    }
    this.noteChange(check.name, result);
    return result;
  }

  private noteChange(name: string, result: CheckResult): void {
    const previous = this.lastStatus.get(name);
    this.lastStatus.set(name, result.status);
    if (previous === result.status) return;
    // A dependency still connecting at start-up is expected: say so, without a warning.
    if (result.status === 'down' && previous === undefined)
      this.logger.log(`Readiness check "${name}" is not up yet: ${result.error}`);
    else if (result.status === 'down') this.logger.warn(`Readiness check "${name}" is down: ${result.error}`);
    else if (previous === 'down') this.logger.log(`Readiness check "${name}" is up again`);
  }
}
