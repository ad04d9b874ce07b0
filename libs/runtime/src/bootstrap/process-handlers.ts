import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';

export interface FatalHandlers {
  /** Switches to the application's logger once it exists. */
  useLogger(logger: Logger): void;
}

/**
 * An uncaught exception or an unhandled rejection leaves the process in an unknown state: log it and exit 1,
 * and let the supervisor (systemd, Kubernetes, the dev runner) restart the service. Errors that code
 * handles (request errors, reconnect failures) never get here.
 */
export function installFatalHandlers(initial: Logger): FatalHandlers {
  let logger = initial;
  process.on('uncaughtException', (err, origin) => {
    logger.fatal({ err, origin }, 'Uncaught exception; exiting');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'Unhandled promise rejection; exiting');
    process.exit(1);
  });
  return {
    useLogger(next) {
      logger = next;
    },
  };
}

/**
 * Complements Nest's shutdown hooks: on the first SIGTERM/SIGINT stop accepting connections at once
 * (in-flight requests finish), and arm a hard exit in case a hook hangs.
 */
export function installGracefulShutdown(app: INestApplication, logger: Logger, timeoutMs: number): void {
  let shuttingDown = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, `${signal} received; shutting down`);
    const server = app.getHttpServer() as { close(): unknown; listening?: boolean };
    if (server.listening) server.close();
    // Not unref'd on purpose: a hook awaiting a promise that nothing drives would otherwise let the event
    // loop drain and the process end with 0 as if the shutdown had completed.
    setTimeout(() => {
      logger.error({ timeoutMs }, `Shutdown did not finish within ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('exit', (code) => {
    if (shuttingDown && code === 0) logger.info({ exitCode: code }, 'Shutdown complete');
  });
}
