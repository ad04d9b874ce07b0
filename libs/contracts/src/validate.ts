import type { z } from 'zod';
import { envelopeSchema, type Envelope } from './envelope/envelope';
import { eventDefinition } from './registry';

export interface FieldError {
  /** Dotted path of the offending field from the envelope root, e.g. `data.callId` or `occurredAt`. */
  field: string;
  message: string;
}

export type ValidationResult = { ok: true; event: Envelope } | { ok: false; errors: FieldError[] };

function toFieldErrors(issues: readonly z.core.$ZodIssue[], prefix: string[] = []): FieldError[] {
  return issues.map((issue) => ({
    field: [...prefix, ...issue.path.map(String)].join('.') || '(root)',
    message: issue.message,
  }));
}

/**
 * The one validator used on produce (before the outbox row is written) and on consume (before a handler runs).
 * Checks the envelope, then that `type` belongs to `topic`, that `version` is the registered one, and `data`
 * against the type's schema. Unknown extra fields in `data` are dropped, not rejected, so that an additive
 * change (a new optional field) does not break older consumers.
 */
export function validate(topic: string, candidate: unknown): ValidationResult {
  const envelope = envelopeSchema.safeParse(candidate);
  if (!envelope.success) return { ok: false, errors: toFieldErrors(envelope.error.issues) };
  const { type, version } = envelope.data;
  const definition = eventDefinition(topic, type);
  if (!definition) {
    return {
      ok: false,
      errors: [{ field: 'type', message: `event type "${type}" is not carried by topic "${topic}"` }],
    };
  }
  if (version !== definition.version) {
    return {
      ok: false,
      errors: [{ field: 'version', message: `"${type}" is version ${definition.version}; got ${version}` }],
    };
  }
  const data = definition.schema.safeParse(envelope.data.data);
  if (!data.success) return { ok: false, errors: toFieldErrors(data.error.issues, ['data']) };
  return { ok: true, event: { ...envelope.data, data: data.data } };
}

/** One line naming every bad field: for logs and DLQ reasons. */
export function formatErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join('; ');
}

export class EventValidationError extends Error {
  readonly code = 'EVENT_INVALID';
  constructor(
    readonly topic: string,
    readonly errors: FieldError[],
  ) {
    super(`invalid event for ${topic}: ${formatErrors(errors)}`);
    this.name = 'EventValidationError';
  }
}
