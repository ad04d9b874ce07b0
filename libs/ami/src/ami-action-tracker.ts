import type { AmiListResult, AmiTimers } from './ami-client.types';
import { AmiError } from './ami-errors';
import type { AmiMessage } from './ami-message';

/** What became of a message handed to the tracker. */
export type AmiRouting =
  /** The response or a list event of a pending action: consumed here. */
  | 'action'
  /** An event for the listeners. */
  | 'event'
  /** A late event of a timed-out list: dropped, as its list would have swallowed it. */
  | 'dropped'
  /** A response that matches nothing pending (late after a timeout, or not ours). */
  | 'unmatched';

interface Pending {
  readonly id: string;
  readonly action: string;
  readonly list: boolean;
  readonly timeoutMs: number;
  readonly resolve: (result: AmiListResult) => void;
  readonly reject: (error: AmiError) => void;
  readonly timer: unknown;
  response: AmiMessage | null;
  complete: AmiMessage | null;
  readonly events: AmiMessage[];
}

/** Cap on remembered timed-out lists; past it, their late events reach the listeners. */
const MAX_ABANDONED_LISTS = 1000;

const lower = (value: string | undefined) => value?.toLowerCase();

/**
 * Pending actions by ActionID: matches responses in any order, collects list events up to
 * `EventList: Complete`, and times actions out one by one. No I/O: the client writes, this correlates.
 */
export class AmiActionTracker {
  private readonly pending = new Map<string, Pending>();
  private readonly abandonedLists = new Set<string>();

  constructor(
    private readonly timers: AmiTimers,
    private readonly onTimeout: (action: string) => void = () => undefined,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  /** Resolves with the response (and the list), rejects with ACTION_FAILED on `Response: Error`. */
  track(id: string, action: string, list: boolean, timeoutMs: number): Promise<AmiListResult> {
    return new Promise((resolve, reject) => {
      const timer = this.timers.setTimeout(() => this.timeOut(id), timeoutMs);
      const events: AmiMessage[] = [];
      this.pending.set(id, {
        id,
        action,
        list,
        timeoutMs,
        resolve,
        reject,
        timer,
        events,
        response: null,
        complete: null,
      });
    });
  }

  route(message: AmiMessage): AmiRouting {
    const { headers } = message;
    const id = headers.actionid;
    if (headers.event === undefined) {
      const pending = id === undefined ? undefined : this.pending.get(id);
      if (pending === undefined) return 'unmatched';
      pending.response = message;
      // A list refused, or answered without `EventList: start`, ends with its response.
      const listFollows = pending.list && lower(headers.eventlist) === 'start';
      if (!listFollows || pending.complete !== null) this.settle(pending);
      return 'action';
    }
    if (id === undefined) return 'event';
    const pending = this.pending.get(id);
    if (pending?.list) {
      if (lower(headers.eventlist) === 'complete') {
        pending.complete = message;
        if (pending.response !== null) this.settle(pending);
      } else {
        pending.events.push(message);
      }
      return 'action';
    }
    if (this.abandonedLists.has(id)) {
      if (lower(headers.eventlist) === 'complete') this.abandonedLists.delete(id);
      return 'dropped';
    }
    // Events of an action that is not a list (OriginateResponse) are ordinary events.
    return 'event';
  }

  /** On disconnect: every pending action fails with `error`. */
  rejectAll(error: AmiError): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    this.abandonedLists.clear();
    for (const pending of all) {
      this.timers.clearTimeout(pending.timer);
      pending.reject(error);
    }
  }

  private settle(pending: Pending): void {
    this.pending.delete(pending.id);
    this.timers.clearTimeout(pending.timer);
    const response = pending.response!;
    if (lower(response.headers.response) === 'error') {
      const reason = response.headers.message || 'no message';
      pending.reject(new AmiError('ACTION_FAILED', `${pending.action}: ${reason}`, response));
    } else {
      pending.resolve({ response, events: pending.events, complete: pending.complete });
    }
  }

  private timeOut(id: string): void {
    const pending = this.pending.get(id);
    if (pending === undefined) return;
    this.pending.delete(id);
    if (pending.list && this.abandonedLists.size < MAX_ABANDONED_LISTS) this.abandonedLists.add(id);
    this.onTimeout(pending.action);
    pending.reject(
      new AmiError('ACTION_TIMEOUT', `${pending.action}: no response within ${pending.timeoutMs} ms`),
    );
  }
}
