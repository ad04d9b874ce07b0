import { z } from 'zod';

/** Reusable field schemas. Kept small and strict: these are the edge of every service. */
export const idSchema = z.string().min(1).max(64);
export const uuidSchema = z.uuid();
export const tenantIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a tenant id is 1–64 lowercase letters, digits, "-" or "_"');
/** A PBX interface such as `SIP/101`, `PJSIP/101` or `Local/101@from-queue/n`. */
export const pbxInterfaceSchema = z.string().min(1).max(128);
/** A phone number as the PBX gave it; E.164 where the normalizer could make it so. */
export const phoneNumberSchema = z.string().max(64);
export const queueNameSchema = z.string().min(1).max(128);
export const isoTimestampSchema = z.iso.datetime({ precision: 3 });
export const secondsSchema = z.number().finite().nonnegative();

export const CALL_DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
export const QUEUE_OUTCOMES = [
  'answered',
  'abandoned',
  'timeout',
  'exit-empty',
  'exit-key',
  'overflow',
] as const;
export const TRANSFER_KINDS = ['blind', 'attended'] as const;
export { ROLES, type Role } from './roles';
export const AGENT_STATES = [
  'offline',
  'ready',
  'not-ready',
  'break',
  'ringing',
  'on-call',
  'after-call-work',
] as const;
/** Asterisk device states of a queue member (QueueMemberStatus `Status` 0–8), in words. */
export const MEMBER_DEVICE_STATES = [
  'unknown',
  'not-in-use',
  'in-use',
  'busy',
  'invalid',
  'unavailable',
  'ringing',
  'ring-in-use',
  'on-hold',
] as const;
