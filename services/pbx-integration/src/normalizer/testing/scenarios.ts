import type { DirectionRules } from '../direction';
import { createNormalizer, type Normalizer, type NormalizerOptions } from '../normalizer';
import type { AmiScenario, ScenarioChannel } from './ami-scenario';

export const TENANT = 'acme';
export const CONNECTION = 'pbx-1';

/** A FreePBX-like connection: provider trunk on PJSIP, PSTN calls land in from-pstn. */
export const RULES: DirectionRules = {
  trunkChannelPatterns: ['PJSIP/provider-*', 'SIP/trunk-*'],
  inboundContexts: ['from-pstn'],
  outboundContexts: ['outbound-allroutes'],
};

export function testNormalizer(overrides: Partial<NormalizerOptions> = {}): Normalizer {
  return createNormalizer({
    tenantId: TENANT,
    connectionId: CONNECTION,
    directionRules: RULES,
    ...overrides,
  });
}

export const DID = '74951234567';
export const CUSTOMER = '+79161234567';

/** A PSTN call arriving on the provider trunk (created ringing, in from-pstn, to the DID). */
export function incomingTrunkCall(s: AmiScenario, uniqueid: string, seq = '00000001'): ScenarioChannel {
  const caller = s.channel(`PJSIP/provider-${seq}`, uniqueid, {
    context: 'from-pstn',
    exten: DID,
    callerNum: CUSTOMER,
    callerName: 'Ivan Petrov',
    state: '4',
  });
  s.newchannel(caller);
  return caller;
}

/** The caller is answered by the dialplan and sent to Queue(<queue>) in ext-queues. */
export function enterQueue(s: AmiScenario, caller: ScenarioChannel, queue: string, position = 1): void {
  caller.state = '6';
  caller.context = 'ext-queues';
  caller.exten = '600';
  s.queueJoin(caller, queue, position);
}

/** A queue member on Local channels, as FreePBX does it: `Local/<ext>@agents/n` dials the phone. */
export interface MemberLegs {
  readonly iface: string;
  readonly name: string;
  readonly one: ScenarioChannel;
  readonly two: ScenarioChannel;
  readonly phone: ScenarioChannel;
}

/** The queue rings a member: Local pair, AgentCalled, the Local `;2` dialling the phone. */
export function ringMember(
  s: AmiScenario,
  caller: ScenarioChannel,
  queue: string,
  ext: string,
  ids: readonly [string, string, string],
): MemberLegs {
  const linkedid = caller.linkedid;
  const iface = `Local/${ext}@agents/n`;
  const name = `Agent ${ext}`;
  const one = s.channel(`Local/${ext}@agents-${ids[0]};1`, ids[0], {
    linkedid,
    context: 'agents',
    exten: ext,
    state: '0',
  });
  const two = s.channel(`Local/${ext}@agents-${ids[0]};2`, ids[1], {
    linkedid,
    context: 'agents',
    exten: ext,
    state: '4',
  });
  const phone = s.channel(`PJSIP/${ext}-${ids[2]}`, ids[2], {
    linkedid,
    context: 'from-internal',
    exten: ext,
    state: '0',
  });
  s.newchannel(one).newchannel(two).localBridge(one, two);
  s.memberStatus(queue, iface, name, 6);
  s.agentCalled(caller, one, queue, iface, name);
  s.dialBegin(caller, one, iface);
  s.newchannel(phone).dialBegin(two, phone, ext);
  return { iface, name, one, two, phone };
}

/** The member's phone answers; app_queue leaves the queue, connects, and bridges caller and `;1`. */
export function answerMember(
  s: AmiScenario,
  caller: ScenarioChannel,
  legs: MemberLegs,
  queue: string,
  holdTime: number,
  bridgeId: string,
): void {
  legs.phone.state = '6';
  legs.two.state = '6';
  legs.one.state = '6';
  s.dialEnd(legs.two, legs.phone, 'ANSWER');
  s.bridgeEnter(legs.phone, `${bridgeId}-agent`, 1).bridgeEnter(legs.two, `${bridgeId}-agent`, 2);
  s.dialEnd(caller, legs.one, 'ANSWER');
  s.queueLeave(caller, queue, 1);
  s.agentConnect(caller, legs.one, queue, legs.iface, legs.name, holdTime);
  s.bridgeEnter(legs.one, bridgeId, 1).bridgeEnter(caller, bridgeId, 2);
  s.memberStatus(queue, legs.iface, legs.name, 2, false, true);
}

/** The member gave up ringing (member timeout): app_queue hangs up its legs. */
export function ringNoAnswer(
  s: AmiScenario,
  caller: ScenarioChannel,
  legs: MemberLegs,
  queue: string,
  ms: number,
): void {
  s.agentRingNoAnswer(caller, legs.one, queue, legs.iface, legs.name, ms);
  s.hangup(legs.phone, '19', 'No answer')
    .hangup(legs.two, '19', 'No answer')
    .hangup(legs.one, '19', 'No answer');
  s.memberStatus(queue, legs.iface, legs.name, 1);
}
