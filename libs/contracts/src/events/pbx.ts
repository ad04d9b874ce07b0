import { z } from 'zod';
import {
  TRANSFER_KINDS,
  idSchema,
  isoTimestampSchema,
  pbxInterfaceSchema,
  phoneNumberSchema,
  queueNameSchema,
  uuidSchema,
} from '../primitives';

/** topic `pbx.commands.v1`, key = tenant. Each command is idempotent by commandId and expires. */
const commandBase = {
  commandId: uuidSchema,
  /** A command not executed by then fails with `EXPIRED` instead of acting late. */
  expiresAt: isoTimestampSchema,
  /** Who asked: the OKC user, or null for a system action. */
  requestedBy: idSchema.nullable(),
};

export const PBX_COMMANDS = [
  'originate',
  'hangup',
  'hold',
  'unhold',
  'transfer',
  'queue-pause',
  'queue-add',
  'queue-remove',
  'mode-set',
] as const;

export const originateCommandSchema = z.object({
  ...commandBase,
  /** The agent's own interface or extension that rings first (click-to-call). */
  from: pbxInterfaceSchema,
  to: phoneNumberSchema.min(1),
  callerId: z.string().max(128).nullable(),
});
export const hangupCommandSchema = z.object({
  ...commandBase,
  callId: idSchema,
  channel: z.string().max(256).nullable(),
});
export const holdCommandSchema = z.object({
  ...commandBase,
  callId: idSchema,
  agentInterface: pbxInterfaceSchema,
});
export const unholdCommandSchema = holdCommandSchema;
export const transferCommandSchema = z.object({
  ...commandBase,
  callId: idSchema,
  agentInterface: pbxInterfaceSchema,
  kind: z.enum(TRANSFER_KINDS),
  target: z.string().min(1).max(128),
});
export const queuePauseCommandSchema = z.object({
  ...commandBase,
  interface: pbxInterfaceSchema,
  queue: queueNameSchema.nullable(),
  paused: z.boolean(),
  reason: z.string().max(128).nullable(),
});
export const queueAddCommandSchema = z.object({
  ...commandBase,
  interface: pbxInterfaceSchema,
  queue: queueNameSchema,
  memberName: z.string().max(128).nullable(),
  penalty: z.number().int().nonnegative().nullable(),
});
export const queueRemoveCommandSchema = z.object({
  ...commandBase,
  interface: pbxInterfaceSchema,
  queue: queueNameSchema,
});
export const modeSetCommandSchema = z.object({
  ...commandBase,
  mode: z.string().min(1).max(64),
  /** A manual override ends by itself at this time; null = until the next scheduled change. */
  until: isoTimestampSchema.nullable(),
});

/** topic `pbx.command-results.v1`, key = commandId. */
export const commandSucceededSchema = z.object({
  commandId: uuidSchema,
  command: z.enum(PBX_COMMANDS),
  /** The PBX's own `Message:` line, verbatim. */
  pbxMessage: z.string().max(1024).nullable(),
});
export const COMMAND_FAILURE_CODES = ['PBX_ERROR', 'TIMEOUT', 'EXPIRED', 'NOT_CONNECTED', 'INVALID'] as const;
export const commandFailedSchema = z.object({
  commandId: uuidSchema,
  command: z.enum(PBX_COMMANDS),
  code: z.enum(COMMAND_FAILURE_CODES),
  reason: z.string().min(1).max(1024),
});

/** topic `pbx.modes.v1`, key = tenant. */
export const modeChangedSchema = z.object({
  connectionId: idSchema.nullable(),
  mode: z.string().min(1).max(64),
  previousMode: z.string().max(64).nullable(),
  source: z.enum(['schedule', 'manual', 'override-expired', 'holiday']),
  changedBy: idSchema.nullable(),
  until: isoTimestampSchema.nullable(),
});
