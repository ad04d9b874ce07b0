import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ROOT_LOGGER } from '@okc/runtime';
import type { Logger } from 'pino';
import { ModesService } from './modes.service';

/** How often the schedule is checked: a scheduled switch happens within this of its minute. */
export const MODE_TICK_MS = 20_000;

/**
 * Applies the schedule as time passes: every tick, every tenant's mode is reconciled (a no-op when nothing
 * is due). Several instances may tick at once; reconcile locks the tenant's state row, so each change is
 * committed and emitted once.
 */
@Injectable()
export class ModeTicker implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly modes: ModesService,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), MODE_TICK_MS);
    this.timer.unref();
  }

  async tick(now = new Date()): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        for (const tenantId of await this.modes.tenants()) {
          await this.modes.reconcile(tenantId, now).catch((err: unknown) => {
            this.logger.warn({ err, tenant: tenantId }, 'operating mode not reconciled; retrying next tick');
          });
        }
      } catch (err) {
        // The database is away: the next tick tries again.
        this.logger.debug({ err }, 'mode tick skipped');
      }
    })().finally(() => (this.running = null));
    return this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
