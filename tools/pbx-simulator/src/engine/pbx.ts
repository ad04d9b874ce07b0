import { formatTimestamp, type AmiEvent, type EventSpec } from '../render/ami-event';
import { deviceStateChange, newexten, varSet } from '../render/channel-events';
import { queueMemberEvent, type QueueMemberEventName } from '../render/queue-events';
import { cel, type CelEventName } from '../render/records';
import type { Ledger } from '../ledger/ledger';
import type { QueueLog } from '../ledger/queue-log';
import { Channel } from './channel';
import type { AgentConfig, QueueConfig } from './config';
import { IdFactory } from './ids';
import { Prng } from './prng';
import { Agent, DEVICE_STATUS, Queue, QueueMember, type QueueEntry } from './queue';
import type { Scheduler } from './scheduler';

export interface PbxOptions {
  readonly tenant: string;
  readonly seed: number;
  readonly queues: readonly QueueConfig[];
  readonly agents: readonly AgentConfig[];
  /** cel_manager / cdr_manager: CEL and Cdr events in the stream (a `read = all` user gets both). */
  readonly cel: boolean;
  readonly cdr: boolean;
}

export type EventListener = (event: AmiEvent) => void;

/**
 * The simulated Asterisk: channels, queues with their members, device states, AstDB and globals. Everything
 * that happens goes out through emit(), stamped by the virtual clock; the call flows drive it.
 */
export class Pbx {
  readonly ids: IdFactory;
  /** Jitter between events of one instant, bridge ids: a stream of its own, so traffic stays put. */
  readonly noise: Prng;
  /** Choices app_queue makes itself (strategy random). */
  readonly choices: Prng;
  readonly channels = new Map<string, Channel>();
  readonly queues = new Map<string, Queue>();
  readonly agents = new Map<string, Agent>();
  readonly devices = new Map<string, string>();
  readonly astdb = new Map<string, string>();
  readonly globals = new Map<string, string>();
  callsProcessed = 0;
  private readonly listeners = new Set<EventListener>();
  private lastMicros = 0;
  private readonly availability = new Map<string, boolean>();
  private readonly dispatchPending = new Set<string>();
  /** Channels per Linkedid whose CEL CHAN_END has not been written yet (LINKEDID_END follows the last one). */
  private readonly liveByLinkedid = new Map<string, number>();

  constructor(
    readonly options: PbxOptions,
    readonly clock: Scheduler,
    readonly ledger: Ledger,
    readonly queueLog: QueueLog,
  ) {
    this.ids = new IdFactory(Prng.derive(options.seed, 'bridge-ids'));
    this.noise = Prng.derive(options.seed, 'noise');
    this.choices = Prng.derive(options.seed, 'choices');
    const login = Math.floor(clock.now() / 1e6);
    for (const config of options.queues) this.queues.set(config.name, new Queue(config));
    for (const agentConfig of options.agents) {
      const agent = this.agentFor(
        `Local/${agentConfig.ext}@agents/n`,
        `Custom:${agentConfig.ext}`,
        agentConfig,
      );
      for (const queueName of agentConfig.queues) {
        const queue = this.queues.get(queueName);
        if (!queue) throw new Error(`agent ${agentConfig.ext}: no queue ${queueName}`);
        queue.members.push(
          new QueueMember(
            queue,
            agent,
            agentConfig.name,
            agentConfig.membership ?? 'static',
            agentConfig.penalty,
            login,
          ),
        );
      }
    }
    for (const queue of this.queues.values()) this.availability.set(queue.name, this.anyAvailable(queue));
  }

  get tenant(): string {
    return this.options.tenant;
  }

  now(): number {
    return this.clock.now();
  }

  /** Whole seconds of the virtual clock: app_queue's time(NULL). */
  nowSec(): number {
    return Math.floor(this.clock.now() / 1e6);
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stamps and sends an event. Events of one instant get a few microseconds apart, as on a real server. */
  emit(spec: EventSpec): void {
    const micros = Math.max(this.clock.now(), this.lastMicros + 3 + Math.floor(this.noise.next() * 20));
    this.lastMicros = micros;
    const event: AmiEvent = { ...spec, micros };
    for (const listener of this.listeners) listener(event);
  }

  /** The time the next event would get (Ping's Timestamp, SuccessfulAuth). */
  timestamp(): string {
    return formatTimestamp(Math.max(this.clock.now(), this.lastMicros));
  }

  emitCel(channel: Channel, name: CelEventName, options: Parameters<typeof cel>[3] = {}): void {
    if (this.options.cel) this.emit(cel(channel, name, this.now(), options));
  }

  emitCdr(spec: () => EventSpec): void {
    if (this.options.cdr) this.emit(spec());
  }

  newChannel(
    name: string,
    linkedid: string | null,
    init: { state: number; context: string; exten: string },
  ): Channel {
    const uniqueid = this.ids.uniqueid(this.now());
    const channel = new Channel(name, uniqueid, linkedid ?? uniqueid, init, this.now());
    this.channels.set(name, channel);
    this.liveByLinkedid.set(channel.linkedid, (this.liveByLinkedid.get(channel.linkedid) ?? 0) + 1);
    return channel;
  }

  /** A dialplan step: the channel moves to `priority` and runs `application` (Newexten). */
  step(channel: Channel, priority: number, application: string, appData: string, exten?: string): void {
    channel.priority = priority;
    if (exten !== undefined) channel.exten = exten;
    channel.application = application;
    channel.appData = appData;
    this.emit(newexten(channel, application, appData));
  }

  setVar(channel: Channel, variable: string, value: string | number): void {
    this.emit(varSet(channel, variable, value));
  }

  /** CEL HANGUP and CHAN_END, and LINKEDID_END when this was the last channel of its call. */
  celEnd(channel: Channel, extra: string): void {
    this.emitCel(channel, 'HANGUP', { extra, ani: channel.callerNum !== null });
    this.emitCel(channel, 'CHAN_END', { ani: channel.callerNum !== null });
    const left = (this.liveByLinkedid.get(channel.linkedid) ?? 1) - 1;
    if (left > 0) {
      this.liveByLinkedid.set(channel.linkedid, left);
    } else {
      this.liveByLinkedid.delete(channel.linkedid);
      this.emitCel(channel, 'LINKEDID_END');
    }
  }

  /** Forgets a hung-up channel. */
  release(channel: Channel): void {
    channel.hungUp = true;
    this.channels.delete(channel.name);
  }

  findChannel(name: string): Channel | undefined {
    return (
      this.channels.get(name) ??
      [...this.channels.values()].find((c) => c.name.toLowerCase() === name.toLowerCase())
    );
  }

  // ---- agents and queue members -------------------------------------------------------------------------

  agentFor(interface_: string, stateInterface: string, config?: AgentConfig): Agent {
    const key = interface_.toLowerCase();
    const existing = this.agents.get(key);
    if (existing) return existing;
    const ext = config?.ext ?? /^(?:Local|PJSIP|SIP)\/(\w+)/.exec(interface_)?.[1] ?? interface_;
    const agent = new Agent(ext, config?.name ?? interface_, interface_, stateInterface);
    this.agents.set(key, agent);
    if (!this.devices.has(stateInterface)) this.devices.set(stateInterface, 'NOT_INUSE');
    return agent;
  }

  agentByExt(ext: string): Agent | undefined {
    return [...this.agents.values()].find((a) => a.ext === ext);
  }

  memberships(agent: Agent): QueueMember[] {
    const all: QueueMember[] = [];
    for (const queue of this.queues.values()) {
      const member = queue.members.find((m) => m.agent === agent);
      if (member) all.push(member);
    }
    return all;
  }

  status(agent: Agent): number {
    return DEVICE_STATUS[this.devices.get(agent.stateInterface) ?? 'UNKNOWN'] ?? 0;
  }

  memberEvent(name: QueueMemberEventName, member: QueueMember): void {
    this.emit(queueMemberEvent(name, member.view(this.status(member.agent))));
  }

  /**
   * Sets a device state (Setvar DEVICE_STATE(), the agents' dialplan): DeviceStateChange when it changed, then
   * QueueMemberStatus for every membership whose state interface it is, as app_queue reacts to it.
   */
  setDeviceState(device: string, state: string): void {
    if (this.devices.get(device) === state) return;
    this.devices.set(device, state);
    this.emit(deviceStateChange(device, state));
    for (const agent of this.agents.values()) {
      if (agent.stateInterface !== device) continue;
      for (const member of this.memberships(agent)) this.memberEvent('QueueMemberStatus', member);
      this.refreshAvailability();
      if (state === 'NOT_INUSE' || state === 'UNKNOWN') this.scheduleDispatchFor(agent);
    }
  }

  isAvailable(member: QueueMember): boolean {
    const status = this.status(member.agent);
    return (
      !member.paused &&
      (status === 1 || status === 0) &&
      !member.agent.engaged &&
      this.clock.now() >= member.wrapupUntil
    );
  }

  /** `Queue:<name>_avail`: INUSE when no member could take a call, NOT_INUSE when one could. */
  refreshAvailability(): void {
    for (const queue of this.queues.values()) {
      const now = this.anyAvailable(queue);
      if (this.availability.get(queue.name) === now) continue;
      this.availability.set(queue.name, now);
      this.emit(deviceStateChange(`Queue:${queue.name}_avail`, now ? 'NOT_INUSE' : 'INUSE'));
    }
  }

  private anyAvailable(queue: Queue): boolean {
    return queue.members.some((m) => {
      const status = this.status(m.agent);
      return !m.paused && (status === 1 || status === 0);
    });
  }

  /** QueuePause for one queue or (queue undefined) all of the interface's queues; false when not a member. */
  pause(interface_: string, paused: boolean, reason: string, queueName: string | undefined): boolean {
    const members = [...this.queues.values()]
      .filter((q) => queueName === undefined || q.name === queueName)
      .map((q) => q.member(interface_))
      .filter((m): m is QueueMember => m !== undefined);
    if (members.length === 0) return false;
    if (queueName === undefined) {
      this.queueLog.write('NONE', 'NONE', interface_, paused ? 'PAUSEALL' : 'UNPAUSEALL', ['']);
    }
    for (const member of members) {
      const changed = member.paused !== paused;
      member.paused = paused;
      member.pausedReason = paused ? reason : '';
      if (paused) member.lastPause = this.nowSec();
      if (changed) {
        this.emit(
          deviceStateChange(
            `Queue:${member.queue.name}_pause_${member.interface}`,
            paused ? 'INUSE' : 'NOT_INUSE',
          ),
        );
      }
      this.refreshAvailability();
      this.memberEvent('QueueMemberPause', member);
      this.queueLog.write(member.queue.name, 'NONE', member.memberName, paused ? 'PAUSE' : 'UNPAUSE', [
        paused ? reason : '',
      ]);
      if (!paused) this.scheduleDispatch(member.queue);
    }
    return true;
  }

  addMember(
    queue: Queue,
    interface_: string,
    options: {
      memberName?: string;
      stateInterface?: string;
      penalty?: number;
      paused?: boolean;
      reason?: string;
    },
  ): QueueMember {
    const agent = this.agentFor(interface_, options.stateInterface ?? interface_);
    const member = new QueueMember(
      queue,
      agent,
      options.memberName ?? (agent.name === interface_ ? interface_ : agent.name),
      'dynamic',
      options.penalty ?? 0,
      this.nowSec(),
    );
    member.paused = options.paused ?? false;
    member.pausedReason = member.paused ? (options.reason ?? '') : '';
    queue.members.push(member);
    this.memberEvent('QueueMemberAdded', member);
    // log_membername_as_agent = no (the default): the AGENT column of (ADD|REMOVE)MEMBER is the interface.
    this.queueLog.write(queue.name, 'MANAGER', interface_, 'ADDMEMBER', [member.paused ? 'PAUSED' : '']);
    this.refreshAvailability();
    this.scheduleDispatch(queue);
    return member;
  }

  removeMember(member: QueueMember): void {
    const queue = member.queue;
    queue.members.splice(queue.members.indexOf(member), 1);
    this.memberEvent('QueueMemberRemoved', member);
    this.queueLog.write(queue.name, 'MANAGER', member.interface, 'REMOVEMEMBER', ['']);
    this.refreshAvailability();
  }

  // ---- matching waiting callers with members -------------------------------------------------------------

  private scheduleDispatchFor(agent: Agent): void {
    for (const member of this.memberships(agent)) this.scheduleDispatch(member.queue);
  }

  /**
   * Offers waiting callers to available members, soon rather than at once: app_queue's waiting callers look
   * again once a second, and the event sequence that freed the member finishes first.
   */
  scheduleDispatch(queue: Queue, immediate = false): void {
    if (this.dispatchPending.has(queue.name) || queue.entries.length === 0) return;
    this.dispatchPending.add(queue.name);
    const delay = immediate ? 0 : 0.2 + this.noise.next() * 0.8;
    this.clock.after(delay, () => {
      this.dispatchPending.delete(queue.name);
      this.dispatch(queue);
    });
  }

  private dispatch(queue: Queue): void {
    const now = this.clock.now();
    let nextRetry = Number.POSITIVE_INFINITY;
    for (const entry of [...queue.entries]) {
      if (entry.ringing) continue;
      if (entry.retryAt > now) {
        nextRetry = Math.min(nextRetry, entry.retryAt);
        continue;
      }
      const candidates = queue.members.filter((m) => this.isAvailable(m));
      const member = queue.choose(candidates, entry, this.choices);
      if (!member) break;
      entry.tried.add(member);
      entry.offer(member);
    }
    if (Number.isFinite(nextRetry) && !this.dispatchPending.has(queue.name)) {
      this.dispatchPending.add(queue.name);
      this.clock.at(nextRetry, () => {
        this.dispatchPending.delete(queue.name);
        this.dispatch(queue);
      });
    }
  }

  /** Members that can still take calls or are busy with one (for leavewhenempty). */
  hasUsableMembers(queue: Queue): boolean {
    return queue.members.some((m) => !m.paused && this.status(m.agent) !== 5 && this.status(m.agent) !== 4);
  }

  removeEntry(queue: Queue, entry: QueueEntry): void {
    const index = queue.entries.indexOf(entry);
    if (index >= 0) queue.entries.splice(index, 1);
  }
}
