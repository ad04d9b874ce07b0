import { type ArgumentMetadata, HttpStatus, type PipeTransform } from '@nestjs/common';
import { type z } from 'zod';
import { DomainError } from './domain.error';

export interface FieldViolation {
  /** Dotted path of the offending field inside the validated value, e.g. `agent.extension` or `items.2.qty`. */
  readonly field: string;
  readonly message: string;
}

/** The value that failed does not match its schema; answered 400 with one entry per bad field. */
export class ValidationFailedError extends DomainError {
  constructor(
    what: string,
    readonly violations: readonly FieldViolation[],
  ) {
    super(
      'VALIDATION_FAILED',
      `Invalid ${what}: ${violations.map((v) => v.field).join(', ')}`,
      HttpStatus.BAD_REQUEST,
      { details: violations },
    );
  }
}

const ROOT_FIELD = '(root)';

/** Parses `value` with `schema`, or throws `ValidationFailedError` naming each bad field. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what = 'input'): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const violations = result.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || ROOT_FIELD,
    message: issue.message,
  }));
  throw new ValidationFailedError(what, violations);
}

/** `parseInput` for a request body: `const cmd = parseBody(originateSchema, body)`. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  return parseInput(schema, body, 'request body');
}

/** `@Body(new ZodValidationPipe(schema))` or `@Query(new ZodValidationPipe(schema))`. */
export class ZodValidationPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown, metadata: ArgumentMetadata): z.infer<T> {
    const what =
      metadata.type === 'body' ? 'request body' : metadata.type === 'query' ? 'query' : 'parameters';
    return parseInput(this.schema, value, what);
  }
}
