import { z } from 'zod';
import { MEMBER_DEVICE_STATES, idSchema, pbxInterfaceSchema, queueNameSchema } from '../primitives';

/** topic `telephony.agents.v1`, key = `<tenant>:<interface>`. Queue-member facts from the PBX. */
const memberBase = {
  connectionId: idSchema,
  interface: pbxInterfaceSchema,
  memberName: z.string().max(128).nullable(),
};

export const memberStatusSchema = z.object({
  ...memberBase,
  queue: queueNameSchema.nullable(),
  status: z.enum(MEMBER_DEVICE_STATES),
  paused: z.boolean(),
  inCall: z.boolean().nullable(),
});
export const memberPausedSchema = z.object({
  ...memberBase,
  /** null = paused in every queue the member belongs to. */
  queue: queueNameSchema.nullable(),
  paused: z.boolean(),
  reason: z.string().max(128).nullable(),
});
export const memberAddedSchema = z.object({
  ...memberBase,
  queue: queueNameSchema,
  membership: z.enum(['dynamic', 'static', 'realtime']).nullable(),
  penalty: z.number().int().nonnegative().nullable(),
});
export const memberRemovedSchema = z.object({ ...memberBase, queue: queueNameSchema });
