import type { CanonicalFact } from '../normalizer/facts';
import type { QueueLogRecord } from './queue-log-parser';

/** A queue member as the AGENT column names it. */
export interface AgentRef {
  readonly iface: string;
  /** The member name, when the column or agentMap gives one. */
  readonly memberName: string | null;
}

/** What the call and member rebuilders share: where facts go, and how members are resolved. */
export interface ImportContext {
  readonly tenantId: string;
  readonly connectionId: string;
  /** Collects a fact dated `ms`; a factKey already built is counted as unchanged and dropped. */
  push(ms: number, fact: CanonicalFact): void;
  /** Reports a record that could not be used. */
  skip(r: QueueLogRecord, reason: string): void;
  /** Counts a record that makes no fact by design. */
  ignore(event: string): void;
  /** Counts a record that says nothing new. */
  unchanged(): void;
  /** The AGENT column as an interface, or null when it is none and agentMap does not name it. */
  agentOf(r: QueueLogRecord): AgentRef | null;
  /** The OKC user of an interface (agentUserId). */
  userOf(iface: string): string | null;
}

export function unknownAgent(r: QueueLogRecord): string {
  return `${r.event}: agent "${r.agent}" is not an interface; add it to agentMap`;
}

/** The QUEUE column as a queue name; null for `NONE`. */
export function queueName(column: string): string | null {
  return column && column !== 'NONE' ? column.slice(0, 128) : null;
}

export function nonNegativeInt(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}

export function positiveInt(value: string | undefined): number | null {
  const n = nonNegativeInt(value);
  return n !== null && n > 0 ? n : null;
}
