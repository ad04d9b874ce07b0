import { z } from 'zod';
import {
  CALL_DIRECTIONS,
  QUEUE_OUTCOMES,
  TRANSFER_KINDS,
  idSchema,
  pbxInterfaceSchema,
  phoneNumberSchema,
  queueNameSchema,
  secondsSchema,
} from '../primitives';

/** topic `telephony.calls.v1`, key = callId. One call id per customer-facing call (Asterisk Linkedid). */
const callBase = {
  callId: idSchema,
  /** The tenant's PBX connection the call came through. */
  connectionId: idSchema,
};
const agentRef = {
  agentInterface: pbxInterfaceSchema,
  /** The OKC user id when the interface is mapped to a user, else null. */
  agentUserId: idSchema.nullable(),
};

export const callStartedSchema = z.object({
  ...callBase,
  direction: z.enum(CALL_DIRECTIONS),
  callerNumber: phoneNumberSchema.nullable(),
  callerName: z.string().max(256).nullable(),
  calleeNumber: phoneNumberSchema.nullable(),
  did: phoneNumberSchema.nullable(),
});
export const callQueuedSchema = z.object({
  ...callBase,
  queue: queueNameSchema,
  position: z.number().int().positive(),
});
export const screenPopSchema = z.record(
  z.string().max(128),
  z.union([z.string().max(4096), z.number(), z.boolean(), z.null()]),
);
export const callOfferedSchema = z.object({
  ...callBase,
  ...agentRef,
  queue: queueNameSchema.nullable(),
  /** Caller data found by the tenant's lookup connectors; null when none or the lookup timed out. */
  screenPop: screenPopSchema.nullable(),
});
export const callRingNoAnswerSchema = z.object({
  ...callBase,
  ...agentRef,
  queue: queueNameSchema.nullable(),
  ringSeconds: secondsSchema,
});
export const callAnsweredSchema = z.object({
  ...callBase,
  ...agentRef,
  queue: queueNameSchema.nullable(),
  /** Seconds from queue entry to answer; null for calls that never waited in a queue. */
  waitSeconds: secondsSchema.nullable(),
});
export const callHeldSchema = z.object({ ...callBase, agentInterface: pbxInterfaceSchema.nullable() });
export const callResumedSchema = callHeldSchema;
export const callTransferredSchema = z.object({
  ...callBase,
  kind: z.enum(TRANSFER_KINDS),
  fromInterface: pbxInterfaceSchema.nullable(),
  target: z.string().min(1).max(128),
});
export const callLeftQueueSchema = z.object({
  ...callBase,
  queue: queueNameSchema,
  outcome: z.enum(QUEUE_OUTCOMES),
  waitSeconds: secondsSchema,
  position: z.number().int().positive().nullable(),
});
export const callEndedSchema = z.object({
  ...callBase,
  /** Q.850 hangup cause as Asterisk reports it. */
  cause: z.number().int().nonnegative().nullable(),
  causeText: z.string().max(128).nullable(),
  durationSeconds: secondsSchema,
});
