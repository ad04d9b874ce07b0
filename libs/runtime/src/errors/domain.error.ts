import { HttpStatus } from '@nestjs/common';

export interface DomainErrorOptions {
  /** Machine-readable specifics, returned to the client as `details`. */
  readonly details?: unknown;
  readonly cause?: unknown;
}

/**
 * Base of every business error. It carries a stable `code` clients can branch on (`AGENT_NOT_READY`) and
 * the HTTP status the exception filter answers with; the filter is the only place that maps errors to HTTP.
 *
 *   export class AgentNotReadyError extends DomainError {
 *     constructor(agentId: string) {
 *       super('AGENT_NOT_READY', `Agent ${agentId} must be ready to take a call`, HttpStatus.CONFLICT);
 *     }
 *   }
 */
export class DomainError extends Error {
  readonly details?: unknown;

  constructor(
    readonly code: string,
    message: string,
    readonly status: number = HttpStatus.BAD_REQUEST,
    options: DomainErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options.details !== undefined) this.details = options.details;
  }
}
