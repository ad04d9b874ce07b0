import { DirectCall } from '../engine/direct-call';
import { InboundCall } from '../engine/inbound-call';
import type { Pbx } from '../engine/pbx';
import type { InboundPlan } from '../engine/plans';
import { Prng } from '../engine/prng';
import type { Agent } from '../engine/queue';
import { directPlan, inboundPlan, phoneNumber, type TrafficProfile } from './profile';

export interface TrafficLimits {
  /** Stop generating after this many inbound calls. */
  readonly calls?: number;
  /** Stop generating after this much virtual time. */
  readonly durationSec?: number;
}

/**
 * Drives the PBX with traffic: Poisson arrivals into the queues, agents' pauses, internal and outbound calls.
 * Each kind of randomness has a stream of its own (derived from the seed), so the same seed gives the same
 * calls whatever the clients do.
 */
export class TrafficGenerator {
  private readonly arrivals: Prng;
  private readonly internal: Prng;
  private readonly outbound: Prng;
  private inboundCount = 0;
  private directCount = 0;
  private readonly active = new Set<InboundCall | DirectCall>();
  /** Agents on a generated pause: the run is not over before they are back. */
  private pausesRunning = 0;
  private stopAt = Number.POSITIVE_INFINITY;
  private generating = false;
  private readonly doneListeners: (() => void)[] = [];
  private finished = false;

  constructor(
    private readonly pbx: Pbx,
    private readonly seed: number,
    private readonly profile: TrafficProfile,
    private readonly limits: TrafficLimits = {},
  ) {
    this.arrivals = Prng.derive(seed, 'arrivals');
    this.internal = Prng.derive(seed, 'internal');
    this.outbound = Prng.derive(seed, 'outbound');
  }

  get activeCalls(): number {
    return this.active.size;
  }

  get generatedCalls(): number {
    return this.inboundCount;
  }

  /** Resolves when generation stopped (limits reached) and every call has ended. */
  onDone(listener: () => void): void {
    if (this.finished) listener();
    else this.doneListeners.push(listener);
  }

  start(): void {
    if (this.generating) return;
    this.generating = true;
    const { pbx, profile } = this;
    if (this.limits.durationSec !== undefined) this.stopAt = pbx.now() + this.limits.durationSec * 1e6;
    if (profile.callsPerHour > 0) this.scheduleArrival();
    if (profile.internalCallsPerHour > 0) this.scheduleDirect(false);
    if (profile.outboundCallsPerHour > 0) this.scheduleDirect(true);
    if (profile.pausesPerAgentHour > 0) {
      for (const agent of [...pbx.agents.values()])
        this.schedulePause(agent, Prng.derive(this.seed, 'pause', agent.ext));
    }
    this.checkDone();
  }

  /** Stops generating new traffic; calls in progress go on to their end. */
  stop(): void {
    this.generating = false;
    this.checkDone();
  }

  /** Places one inbound call now, with a given plan (tests and scripted scenarios). */
  inbound(plan: InboundPlan): InboundCall {
    const call = new InboundCall(this.pbx, plan, (c) => this.ended(c));
    this.active.add(call);
    call.start();
    return call;
  }

  private isOpen(): boolean {
    return this.generating && this.pbx.now() < this.stopAt;
  }

  private scheduleArrival(): void {
    const gap = this.arrivals.exponential(3600 / this.profile.callsPerHour);
    this.pbx.clock.after(gap, () => {
      if (!this.isOpen()) return this.stop();
      if (this.limits.calls !== undefined && this.inboundCount >= this.limits.calls) return this.stop();
      const queues = [...this.pbx.queues.values()].map((q) => ({ name: q.name, share: q.config.share }));
      const extensions = [...this.pbx.agents.values()].map((a) => a.ext);
      const plan = inboundPlan(this.seed, this.inboundCount++, this.profile, queues, extensions);
      this.inbound(plan);
      if (this.limits.calls !== undefined && this.inboundCount >= this.limits.calls) return this.stop();
      this.scheduleArrival();
    });
  }

  private scheduleDirect(outbound: boolean): void {
    const prng = outbound ? this.outbound : this.internal;
    const rate = outbound ? this.profile.outboundCallsPerHour : this.profile.internalCallsPerHour;
    this.pbx.clock.after(prng.exponential(3600 / rate), () => {
      if (!this.isOpen()) return;
      const callPrng = Prng.derive(
        this.seed,
        outbound ? 'outbound-call' : 'internal-call',
        this.directCount++,
      );
      const idle = [...this.pbx.agents.values()].filter((a) => this.isIdle(a));
      if (idle.length > 0) {
        const from = callPrng.pick(idle);
        const others = [...this.pbx.agents.values()].filter((a) => a !== from);
        if (outbound || others.length > 0) {
          const target = outbound
            ? ({ kind: 'number', number: phoneNumber(callPrng) } as const)
            : ({ kind: 'ext', agent: callPrng.pick(others) } as const);
          const call = new DirectCall(
            this.pbx,
            from,
            target,
            directPlan(callPrng, this.profile, outbound),
            (c) => this.ended(c),
          );
          this.active.add(call);
          call.start();
        }
      }
      this.scheduleDirect(outbound);
    });
  }

  private isIdle(agent: Agent): boolean {
    const members = this.pbx.memberships(agent);
    return !agent.engaged && this.pbx.status(agent) <= 1 && members.every((m) => !m.paused);
  }

  private schedulePause(agent: Agent, prng: Prng): void {
    this.pbx.clock.after(prng.exponential(3600 / this.profile.pausesPerAgentHour), () => {
      if (!this.isOpen()) return;
      const iface = agent.interface_;
      const members = this.pbx.memberships(agent);
      if (members.length === 0 || members.some((m) => m.paused)) return this.schedulePause(agent, prng);
      const reason = prng.pick(this.profile.pauseReasons);
      const length = Math.max(
        30,
        prng.exponential(reason === 'lunch' ? this.profile.pauseMeanSec * 3 : this.profile.pauseMeanSec),
      );
      this.pbx.pause(iface, true, reason, undefined);
      this.pausesRunning++;
      this.pbx.clock.after(length, () => {
        this.pausesRunning--;
        if (this.pbx.memberships(agent).some((m) => m.paused)) this.pbx.pause(iface, false, '', undefined);
        if (this.isOpen()) this.schedulePause(agent, prng);
        else this.checkDone();
      });
    });
  }

  private ended(call: InboundCall | DirectCall): void {
    this.active.delete(call);
    this.checkDone();
  }

  private checkDone(): void {
    if (this.finished || this.generating || this.active.size > 0 || this.pausesRunning > 0) return;
    this.finished = true;
    for (const listener of this.doneListeners.splice(0)) listener();
  }
}
