import { z } from 'zod';
import { idSchema } from '../primitives';

/** topic `helper.topics.v1`, key = topicId. */
export const topicUpsertedSchema = z.object({
  topicId: idSchema,
  name: z.string().min(1).max(256),
  parentId: idSchema.nullable(),
  active: z.boolean(),
  version: z.number().int().positive(),
});
export const topicDeletedSchema = z.object({ topicId: idSchema });

/** topic `helper.suggestions.v1`, key = callId. */
export const callTopicSuggestedSchema = z.object({
  callId: idSchema,
  topicId: idSchema,
  articleIds: z.array(idSchema).max(50),
  scriptIds: z.array(idSchema).max(50),
  confidence: z.number().min(0).max(1).nullable(),
});
