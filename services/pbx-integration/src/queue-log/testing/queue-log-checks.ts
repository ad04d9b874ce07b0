import { createEvent, formatErrors, validate } from '@okc/contracts';
import type { CallFact, CallFactType, CanonicalFact } from '../../normalizer/facts';
import { parseQueueLog } from '../queue-log-parser';
import { importQueueLog, type QueueLogImport, type QueueLogImportOptions } from '../queue-log-importer';

export const TENANT = 'acme';
export const CONNECTION = 'pbx-1';

/** Every fact that fails its contracts schema, wrapped in an envelope as the outbox would do it. */
export function contractViolations(facts: readonly CanonicalFact[]): string[] {
  const problems: string[] = [];
  for (const fact of facts) {
    const envelope = createEvent(fact.topic, {
      type: fact.type as never,
      tenantId: TENANT,
      source: 'pbx-integration',
      data: fact.data,
      occurredAt: fact.occurredAt,
    });
    const result = validate(fact.topic, envelope);
    if (!result.ok) problems.push(`${fact.type} ${fact.factKey}: ${formatErrors(result.errors)}`);
  }
  return problems;
}

/** queue_log text (one line per array item) through the parser and the importer; bad lines must be none. */
export function importLines(
  lines: readonly string[],
  options: Partial<QueueLogImportOptions> = {},
): QueueLogImport {
  const { records, skipped } = parseQueueLog(`${lines.join('\n')}\n`);
  if (skipped.length > 0) throw new Error(`bad test lines: ${JSON.stringify(skipped)}`);
  return importQueueLog(records, { tenantId: TENANT, connectionId: CONNECTION, ...options });
}

export function callFactsOf<E extends CallFactType>(facts: readonly CanonicalFact[], type: E): CallFact<E>[] {
  return facts.filter((f) => f.topic === 'telephony.calls.v1' && f.type === type) as CallFact<E>[];
}

/** The one fact of a type; fails when there is none or more than one. */
export function onlyCallFact<E extends CallFactType>(facts: readonly CanonicalFact[], type: E): CallFact<E> {
  const found = callFactsOf(facts, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, got ${found.length}`);
  return found[0]!;
}

export function factKeys(facts: readonly CanonicalFact[], ...types: string[]): string[] {
  return facts.filter((f) => types.length === 0 || types.includes(f.type)).map((f) => f.factKey);
}
