import { createEvent, formatErrors, validate } from '@okc/contracts';
import type { AgentFact, AgentFactType, CallFact, CallFactType, CanonicalFact } from '../facts';

/** Every fact that fails the contracts (as the outbox would build its envelope), with the reasons. */
export function contractViolations(facts: readonly CanonicalFact[], tenantId: string): string[] {
  const problems: string[] = [];
  for (const fact of facts) {
    const envelope = createEvent(fact.topic, {
      type: fact.type as never,
      tenantId,
      source: 'pbx-integration',
      data: fact.data,
      occurredAt: fact.occurredAt,
    });
    const result = validate(fact.topic, envelope);
    if (!result.ok) problems.push(`${fact.type} ${fact.factKey}: ${formatErrors(result.errors)}`);
  }
  return problems;
}

export function duplicateFactKeys(facts: readonly CanonicalFact[]): string[] {
  const seen = new Set<string>();
  const duplicates: string[] = [];
  for (const fact of facts) {
    if (seen.has(fact.factKey)) duplicates.push(fact.factKey);
    seen.add(fact.factKey);
  }
  return duplicates;
}

export function callFacts<E extends CallFactType>(facts: readonly CanonicalFact[], type: E): CallFact<E>[] {
  return facts.filter((f) => f.topic === 'telephony.calls.v1' && f.type === type) as CallFact<E>[];
}

export function agentFacts<E extends AgentFactType>(
  facts: readonly CanonicalFact[],
  type: E,
): AgentFact<E>[] {
  return facts.filter((f) => f.topic === 'telephony.agents.v1' && f.type === type) as AgentFact<E>[];
}

/** The one fact of a type; fails the test when there is none or more than one. */
export function onlyCallFact<E extends CallFactType>(facts: readonly CanonicalFact[], type: E): CallFact<E> {
  const found = callFacts(facts, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, got ${found.length}`);
  return found[0]!;
}

export function seconds(isoA: string, isoB: string): number {
  return (Date.parse(isoB) - Date.parse(isoA)) / 1000;
}
