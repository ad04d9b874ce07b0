import type { AmiMessage } from '@okc/ami';
import type { Engine } from '../engine/engine';
import type { AmiSession } from '../server/ami-session';

export interface ActionContext {
  readonly engine: Engine;
  readonly session: AmiSession;
  readonly message: AmiMessage;
  readonly actionId: string | undefined;
  /** A header's value (keys are case-insensitive), or undefined when absent or empty. */
  header(name: string): string | undefined;
  /** Writes to the session that sent the action (responses come before the events they cause). */
  reply(text: string): void;
}

export type ActionHandler = (context: ActionContext) => void;

/** ast_true(): yes, true, y, t, 1, on. */
export function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['yes', 'true', 'y', 't', '1', 'on'].includes(value.trim().toLowerCase());
}
