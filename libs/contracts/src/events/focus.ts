import { z } from 'zod';
import { AGENT_STATES, idSchema, pbxInterfaceSchema, secondsSchema } from '../primitives';

/** topic `focus.agent-states.v1`, key = agentId. */
export const agentSessionStartedSchema = z.object({
  agentId: idSchema,
  sessionId: idSchema,
  pbxInterface: pbxInterfaceSchema.nullable(),
});
export const agentStateChangedSchema = z.object({
  agentId: idSchema,
  sessionId: idSchema.nullable(),
  state: z.enum(AGENT_STATES),
  previousState: z.enum(AGENT_STATES).nullable(),
  /** The not-ready / break reason chosen by the agent or the supervisor. */
  reason: z.string().max(128).nullable(),
  /** The supervisor who forced the change, when it was forced. */
  forcedBy: idSchema.nullable(),
});
export const agentSessionEndedSchema = z.object({
  agentId: idSchema,
  sessionId: idSchema,
  reason: z.enum(['logout', 'timeout', 'forced']),
});

/** topic `focus.dispositions.v1`, key = callId. */
export const callWrappedUpSchema = z.object({
  callId: idSchema,
  agentId: idSchema,
  topicId: idSchema.nullable(),
  outcomeCode: z.string().min(1).max(64),
  notes: z.string().max(4000).nullable(),
  wrapUpSeconds: secondsSchema,
});
