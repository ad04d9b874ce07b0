import type { QueueMemberView } from '../render/queue-events';
import type { Channel } from './channel';
import type { QueueConfig } from './config';
import type { Prng } from './prng';

/** Device states by name, with app_queue's numeric Status for each. */
export const DEVICE_STATUS: Readonly<Record<string, number>> = {
  UNKNOWN: 0,
  NOT_INUSE: 1,
  INUSE: 2,
  BUSY: 3,
  INVALID: 4,
  UNAVAILABLE: 5,
  RINGING: 6,
  RINGINUSE: 7,
  ONHOLD: 8,
};

/** A person at an extension: one device, possibly a member of several queues. */
export class Agent {
  /** Set while the simulator rings or connects this agent (ringinuse = no): never ring twice at once. */
  engaged = false;

  constructor(
    readonly ext: string,
    readonly name: string,
    readonly interface_: string,
    readonly stateInterface: string,
  ) {}
}

/** One membership: app_queue keeps counters per (queue, interface). */
export class QueueMember {
  callsTaken = 0;
  lastCall = 0;
  lastPause = 0;
  paused = false;
  pausedReason = '';
  inCall = false;
  wrapupUntil = 0;

  constructor(
    readonly queue: Queue,
    readonly agent: Agent,
    readonly memberName: string,
    readonly membership: 'static' | 'dynamic',
    public penalty: number,
    readonly loginTime: number,
  ) {}

  get interface(): string {
    return this.agent.interface_;
  }

  view(status: number): QueueMemberView {
    return {
      queue: this.queue.name,
      memberName: this.memberName,
      interface: this.agent.interface_,
      stateInterface: this.agent.stateInterface,
      membership: this.membership,
      penalty: this.penalty,
      callsTaken: this.callsTaken,
      lastCall: this.lastCall,
      lastPause: this.lastPause,
      loginTime: this.loginTime,
      inCall: this.inCall,
      status,
      paused: this.paused,
      pausedReason: this.pausedReason,
      ringinuse: false,
      wrapuptime: this.queue.config.wrapupSec,
    };
  }
}

/** A caller waiting in a queue, as the queue sees it. */
export interface QueueEntry {
  readonly channel: Channel;
  readonly joinedAt: number;
  readonly originalPosition: number;
  /** Virtual time before which this caller is not offered to a member (the `retry` pause). */
  retryAt: number;
  /** True while one of its members rings. */
  ringing: boolean;
  /** Members already rung in the current round (linear / rrmemory move on to the next one). */
  readonly tried: Set<QueueMember>;
  /** Ring the given member for this caller. */
  offer(member: QueueMember): void;
}

export class Queue {
  readonly members: QueueMember[] = [];
  readonly entries: QueueEntry[] = [];
  holdtime = 0;
  talktime = 0;
  completed = 0;
  abandoned = 0;
  completedInSl = 0;
  abandonedInSl = 0;
  /** rrmemory: index of the member after the last one rung. */
  private rrNext = 0;

  constructor(readonly config: QueueConfig) {}

  get name(): string {
    return this.config.name;
  }

  member(interface_: string): QueueMember | undefined {
    return this.members.find((m) => m.interface.toLowerCase() === interface_.toLowerCase());
  }

  position(entry: QueueEntry): number {
    return this.entries.indexOf(entry) + 1;
  }

  /** Asterisk's running averages: new = (3 * old + sample) / 4, in whole seconds. */
  recordCompleted(holdSec: number, talkSec: number): void {
    this.completed++;
    this.talktime = (this.talktime * 3 + talkSec) >> 2;
    if (holdSec <= this.config.serviceLevelSec) this.completedInSl++;
  }

  recordConnected(holdSec: number): void {
    this.holdtime = (this.holdtime * 3 + holdSec) >> 2;
  }

  recordAbandoned(holdSec: number): void {
    this.abandoned++;
    if (holdSec <= this.config.serviceLevelSec) this.abandonedInSl++;
  }

  serviceLevelPerf(): number {
    return this.completed > 0 ? (this.completedInSl * 100) / this.completed : 0;
  }

  serviceLevelPerf2(): number {
    const all = this.completed + this.abandoned;
    return all > 0 ? ((this.completedInSl + this.abandonedInSl) * 100) / all : 0;
  }

  /** Chooses the member to ring for an entry among the available ones, by the queue's strategy. */
  choose(candidates: readonly QueueMember[], entry: QueueEntry, prng: Prng): QueueMember | undefined {
    if (candidates.length === 0) return undefined;
    let pool = candidates.filter((m) => !entry.tried.has(m));
    if (pool.length === 0) {
      entry.tried.clear();
      pool = [...candidates];
    }
    const minPenalty = Math.min(...pool.map((m) => m.penalty));
    pool = pool.filter((m) => m.penalty === minPenalty);
    const order = (m: QueueMember) => this.members.indexOf(m);
    switch (this.config.strategy) {
      case 'linear':
        return pool.reduce((a, b) => (order(b) < order(a) ? b : a));
      case 'rrmemory': {
        const n = this.members.length;
        const ranked = [...pool].sort(
          (a, b) => ((order(a) - this.rrNext + n) % n) - ((order(b) - this.rrNext + n) % n),
        );
        const chosen = ranked[0]!;
        this.rrNext = (order(chosen) + 1) % n;
        return chosen;
      }
      case 'leastrecent':
        return pool.reduce((a, b) => (b.lastCall < a.lastCall ? b : a));
      case 'fewestcalls':
        return pool.reduce((a, b) => (b.callsTaken < a.callsTaken ? b : a));
      case 'random':
        return prng.pick(pool);
    }
  }
}
