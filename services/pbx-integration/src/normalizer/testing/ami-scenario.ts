import type { AmiMessage } from '@okc/ami';
import type { CanonicalFact } from '../facts';
import type { Normalizer } from '../normalizer';

/** A channel of a hand-built scenario; tests move it through the dialplan by assigning fields. */
export interface ScenarioChannel {
  name: string;
  uniqueid: string;
  linkedid: string;
  context: string;
  exten: string;
  callerNum: string;
  callerName: string;
  /** ChannelState: 0 Down, 4 Ring, 5 Ringing, 6 Up. */
  state: string;
}

export interface ScenarioEntry {
  readonly message: AmiMessage;
  readonly receivedAt: Date;
}

/**
 * Builds AMI event sequences the way Asterisk 22 writes them (field names and order of the real transcripts
 * in fixtures/asterisk-22), with a scenario clock: `after(s)` moves it, every event is stamped
 * with it (`Timestamp:` unless built withoutTimestamps, and as the receive time).
 */
export class AmiScenario {
  readonly entries: ScenarioEntry[] = [];
  private nowMs: number;

  constructor(
    start = '2026-11-25T10:00:00.000Z',
    private readonly withTimestamps = true,
  ) {
    this.nowMs = Date.parse(start);
  }

  get messages(): AmiMessage[] {
    return this.entries.map((e) => e.message);
  }

  /** The scenario clock as epoch seconds, the way `Timestamp:` writes it. */
  get epochSeconds(): number {
    return this.nowMs / 1000;
  }

  after(seconds: number): this {
    this.nowMs += Math.round(seconds * 1000);
    return this;
  }

  channel(
    name: string,
    uniqueid: string,
    init: Partial<Omit<ScenarioChannel, 'name' | 'uniqueid'>> = {},
  ): ScenarioChannel {
    return {
      name,
      uniqueid,
      linkedid: init.linkedid ?? uniqueid,
      context: init.context ?? 'default',
      exten: init.exten ?? 's',
      callerNum: init.callerNum ?? '<unknown>',
      callerName: init.callerName ?? '<unknown>',
      state: init.state ?? '4',
    };
  }

  event(name: string, ...blocks: Record<string, string>[]): this {
    const fields: Record<string, string> = { Event: name, Privilege: 'call,all' };
    if (this.withTimestamps) fields.Timestamp = (this.nowMs / 1000).toFixed(6);
    for (const block of blocks) Object.assign(fields, block);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(fields)) headers[key.toLowerCase()] = value;
    this.entries.push({ message: { headers, repeated: null }, receivedAt: new Date(this.nowMs) });
    return this;
  }

  newchannel(ch: ScenarioChannel): this {
    return this.event('Newchannel', block(ch));
  }

  /** Dialling `dest` from `src`, or an Originate's first leg when `src` is null. */
  dialBegin(src: ScenarioChannel | null, dest: ScenarioChannel, dialString: string): this {
    return this.event('DialBegin', src ? block(src) : {}, block(dest, 'Dest'), { DialString: dialString });
  }

  dialEnd(src: ScenarioChannel | null, dest: ScenarioChannel, status: string): this {
    return this.event('DialEnd', src ? block(src) : {}, block(dest, 'Dest'), { DialStatus: status });
  }

  localBridge(one: ScenarioChannel, two: ScenarioChannel): this {
    return this.event('LocalBridge', block(one, 'LocalOne'), block(two, 'LocalTwo'), {
      LocalOptimization: 'No',
    });
  }

  bridgeEnter(ch: ScenarioChannel, bridgeId: string, count: number): this {
    return this.event('BridgeEnter', bridgeBlock(bridgeId, count), block(ch));
  }

  bridgeLeave(ch: ScenarioChannel, bridgeId: string, count: number): this {
    return this.event('BridgeLeave', bridgeBlock(bridgeId, count), block(ch));
  }

  hangup(ch: ScenarioChannel, cause = '16', causeText = 'Normal Clearing'): this {
    return this.event('Hangup', block(ch), { Cause: cause, 'Cause-txt': causeText });
  }

  varSet(ch: ScenarioChannel, variable: string, value: string): this {
    return this.event('VarSet', block(ch), { Variable: variable, Value: value });
  }

  queueJoin(ch: ScenarioChannel, queue: string, position: number): this {
    return this.event('QueueCallerJoin', block(ch), {
      Queue: queue,
      Position: `${position}`,
      Count: `${position}`,
    });
  }

  queueLeave(ch: ScenarioChannel, queue: string, position: number): this {
    return this.event('QueueCallerLeave', block(ch), { Queue: queue, Position: `${position}`, Count: '0' });
  }

  queueAbandon(ch: ScenarioChannel, queue: string, position: number, holdTime: number): this {
    return this.event('QueueCallerAbandon', block(ch), {
      Queue: queue,
      Position: `${position}`,
      OriginalPosition: `${position}`,
      HoldTime: `${holdTime}`,
    });
  }

  agentCalled(
    caller: ScenarioChannel,
    member: ScenarioChannel,
    queue: string,
    iface: string,
    name: string,
  ): this {
    return this.event('AgentCalled', block(caller), block(member, 'Dest'), {
      Queue: queue,
      Interface: iface,
      MemberName: name,
    });
  }

  agentRingNoAnswer(
    caller: ScenarioChannel,
    member: ScenarioChannel,
    queue: string,
    iface: string,
    name: string,
    ringTimeMs: number,
  ): this {
    return this.event('AgentRingNoAnswer', block(caller), block(member, 'Dest'), {
      Queue: queue,
      Interface: iface,
      MemberName: name,
      RingTime: `${ringTimeMs}`,
    });
  }

  agentConnect(
    caller: ScenarioChannel,
    member: ScenarioChannel,
    queue: string,
    iface: string,
    name: string,
    holdTime: number,
  ): this {
    return this.event('AgentConnect', block(caller), block(member, 'Dest'), {
      Queue: queue,
      Interface: iface,
      MemberName: name,
      HoldTime: `${holdTime}`,
      RingTime: '1',
    });
  }

  hold(ch: ScenarioChannel): this {
    return this.event('Hold', block(ch), { MusicClass: 'default' });
  }

  unhold(ch: ScenarioChannel): this {
    return this.event('Unhold', block(ch));
  }

  blindTransfer(
    transferer: ScenarioChannel,
    transferee: ScenarioChannel,
    extension: string,
    context: string,
  ): this {
    return this.event(
      'BlindTransfer',
      { Result: 'Success' },
      block(transferer, 'Transferer'),
      block(transferee, 'Transferee'),
      {
        IsExternal: 'No',
        Context: context,
        Extension: extension,
      },
    );
  }

  attendedTransfer(parts: {
    origTransferer: ScenarioChannel;
    secondTransferer: ScenarioChannel;
    transferee: ScenarioChannel;
    target: ScenarioChannel;
  }): this {
    return this.event(
      'AttendedTransfer',
      { Result: 'Success' },
      block(parts.origTransferer, 'OrigTransferer'),
      block(parts.secondTransferer, 'SecondTransferer'),
      { DestType: 'Bridge', DestBridgeUniqueid: 'b-orig' },
      block(parts.transferee, 'Transferee'),
      block(parts.target, 'TransferTarget'),
      { IsExternal: 'No' },
    );
  }

  /** CEL LINKEDID_END, as a `read = all` user gets it. */
  linkedidEnd(ch: ScenarioChannel): this {
    return this.event('CEL', {
      EventName: 'LINKEDID_END',
      Channel: ch.name,
      UniqueID: ch.uniqueid,
      LinkedID: ch.linkedid,
    });
  }

  memberStatus(
    queue: string,
    iface: string,
    name: string,
    status: number,
    paused = false,
    inCall = false,
  ): this {
    return this.event('QueueMemberStatus', memberBlock(queue, iface, name), {
      InCall: inCall ? '1' : '0',
      Status: `${status}`,
      Paused: paused ? '1' : '0',
      PausedReason: '',
    });
  }

  memberPause(queue: string, iface: string, name: string, paused: boolean, reason: string): this {
    return this.event('QueueMemberPause', memberBlock(queue, iface, name), {
      InCall: '0',
      Status: '1',
      Paused: paused ? '1' : '0',
      PausedReason: reason,
    });
  }

  memberAdded(queue: string, iface: string, name: string, membership: string, penalty: number): this {
    return this.event('QueueMemberAdded', memberBlock(queue, iface, name), {
      Membership: membership,
      Penalty: `${penalty}`,
      Status: '1',
      Paused: '0',
    });
  }

  memberRemoved(queue: string, iface: string, name: string): this {
    return this.event('QueueMemberRemoved', memberBlock(queue, iface, name));
  }

  /** Feeds every entry to the normalizer, each with its own receive time; returns all facts in order. */
  run(normalizer: Normalizer): CanonicalFact[] {
    return this.entries.flatMap((e) => normalizer.push(e.message, e.receivedAt));
  }
}

function block(ch: ScenarioChannel, prefix = ''): Record<string, string> {
  return {
    [`${prefix}Channel`]: ch.name,
    [`${prefix}ChannelState`]: ch.state,
    [`${prefix}CallerIDNum`]: ch.callerNum,
    [`${prefix}CallerIDName`]: ch.callerName,
    [`${prefix}Context`]: ch.context,
    [`${prefix}Exten`]: ch.exten,
    [`${prefix}Priority`]: '1',
    [`${prefix}Uniqueid`]: ch.uniqueid,
    [`${prefix}Linkedid`]: ch.linkedid,
  };
}

function bridgeBlock(bridgeId: string, count: number): Record<string, string> {
  return {
    BridgeUniqueid: bridgeId,
    BridgeType: 'basic',
    BridgeTechnology: 'simple_bridge',
    BridgeNumChannels: `${count}`,
  };
}

function memberBlock(queue: string, iface: string, name: string): Record<string, string> {
  return {
    Privilege: 'agent,all',
    Queue: queue,
    MemberName: name,
    Interface: iface,
    StateInterface: iface,
    Membership: 'static',
    Penalty: '0',
  };
}
