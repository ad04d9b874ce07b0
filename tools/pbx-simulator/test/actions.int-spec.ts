import type { AmiMessage } from '@okc/ami';
import { defaultQueue } from '../src/engine/config';
import { fixedInboundPlan } from '../src/engine/plans';
import { parseQueueLogLine } from '../src/ledger/queue-log';
import { startSimulator, type SimulatorHandle } from '../src/simulator';
import { AmiTestClient } from '../src/testing/ami-test-client';

// Each action the simulator obeys, over TCP, against a PBX laid out like the recorded one (support: 101, 102;
// sales: 103) running at 20× real time with no generated traffic: the tests place the calls they need.

let sim: SimulatorHandle;
let ami: AmiTestClient;

const is =
  (event: string, where: Record<string, string | RegExp> = {}) =>
  (m: AmiMessage) =>
    m.headers['event'] === event &&
    Object.entries(where).every(([k, v]) =>
      typeof v === 'string' ? m.headers[k.toLowerCase()] === v : v.test(m.headers[k.toLowerCase()] ?? ''),
    );

/** Every message of an action's list, up to its *Complete event. */
async function list(fields: Record<string, string>, complete: string): Promise<AmiMessage[]> {
  const actionId = `l-${Math.random().toString(36).slice(2)}`;
  const done = ami.next((m) => m.headers['event'] === complete && m.headers['actionid'] === actionId);
  const first = await ami.action({ ...fields, ActionID: actionId });
  await done;
  return [first, ...ami.messages.filter((m) => m.headers['actionid'] === actionId && m !== first)];
}

function callWaitingForever(callerNum: string, queue = 'support') {
  return sim.engine.traffic.inbound(
    fixedInboundPlan({ callerNum, queue, patienceSec: 100_000, rings: [{ answer: false, ringSec: 0 }] }),
  );
}

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    speed: 20,
    callsPerHour: 0,
    profile: { internalCallsPerHour: 0, outboundCallsPerHour: 0, pausesPerAgentHour: 0 },
    queues: [
      defaultQueue('support', { timeoutSec: 100_000 }),
      defaultQueue('sales', { timeoutSec: 100_000 }),
    ],
    agentConfigs: [
      { ext: '101', name: 'Agent 101', queues: ['support'], penalty: 0 },
      { ext: '102', name: 'Agent 102', queues: ['support'], penalty: 0 },
      { ext: '103', name: 'Agent 103', queues: ['sales'], penalty: 0 },
    ],
  });
  ami = await AmiTestClient.connect(sim.port);
  await ami.loginMd5('okc', 'okc');
});

afterAll(async () => {
  ami.close();
  await sim.stop();
});

describe('QueueStatus', () => {
  it('lists the queues, their members and waiting callers, then QueueStatusComplete', async () => {
    await ami.action({ Action: 'QueuePause', Interface: 'Local/103@agents/n', Paused: 'true', Reason: 'x' });
    const call = callWaitingForever('79990000001', 'sales');
    const messages = await list({ Action: 'QueueStatus', Queue: 'sales' }, 'QueueStatusComplete');
    const [response, ...events] = messages;
    expect(response!.headers).toMatchObject({
      response: 'Success',
      eventlist: 'start',
      message: 'Queue status will follow',
    });
    expect(events.map((m) => m.headers['event'])).toEqual([
      'QueueParams',
      'QueueMember',
      'QueueEntry',
      'QueueStatusComplete',
    ]);
    const [params, member, entry, complete] = events;
    expect(params!.headers).toMatchObject({ queue: 'sales', strategy: 'linear', calls: '1' });
    expect(member!.headers).toMatchObject({
      name: 'Agent 103',
      location: 'Local/103@agents/n',
      stateinterface: 'Custom:103',
      membership: 'static',
      paused: '1',
      pausedreason: 'x',
    });
    expect(entry!.headers).toMatchObject({ queue: 'sales', position: '1', channel: call.caller.name });
    expect(entry!.headers['calleridnum']).toBe('79990000001');
    expect(complete!.headers).toMatchObject({ eventlist: 'Complete', listitems: '3' });
    const hungUp = ami.next(is('Hangup', { channel: call.caller.name }));
    await ami.action({ Action: 'Hangup', Channel: call.caller.name });
    await hungUp;
    await ami.action({ Action: 'QueuePause', Interface: 'Local/103@agents/n', Paused: 'false' });
  });
});

describe('QueuePause', () => {
  it('pauses with a reason: the response, then QueueMemberPause; unpauses', async () => {
    const event = ami.next(is('QueueMemberPause', { membername: 'Agent 101' }));
    const paused = await ami.action({
      Action: 'QueuePause',
      Interface: 'Local/101@agents/n',
      Paused: 'true',
      Queue: 'support',
      Reason: 'lunch',
    });
    expect(paused.headers).toMatchObject({ response: 'Success', message: 'Interface paused successfully' });
    expect((await event).headers).toMatchObject({
      queue: 'support',
      paused: '1',
      pausedreason: 'lunch',
      status: '1',
    });
    expect(ami.messages.indexOf(paused)).toBeLessThan(ami.messages.indexOf(await event));
    const again = ami.next(is('QueueMemberPause', { membername: 'Agent 101' }));
    const unpaused = await ami.action({
      Action: 'QueuePause',
      Interface: 'Local/101@agents/n',
      Paused: 'false',
    });
    expect(unpaused.headers['message']).toBe('Interface unpaused successfully');
    expect((await again).headers).toMatchObject({ paused: '0', pausedreason: '' });
    const lines = sim.queueLog().map(parseQueueLogLine);
    expect(lines.some((l) => l.event === 'PAUSE' && l.agent === 'Agent 101' && l.data[0] === 'lunch')).toBe(
      true,
    );
    expect(lines.some((l) => l.event === 'UNPAUSEALL' && l.agent === 'Local/101@agents/n')).toBe(true);
  });

  it('answers Interface not found for a stranger', async () => {
    const reply = await ami.action({ Action: 'QueuePause', Interface: 'PJSIP/999', Paused: 'true' });
    expect(reply.headers).toMatchObject({ response: 'Error', message: 'Interface not found' });
  });
});

describe('QueueAdd and QueueRemove', () => {
  it('adds a dynamic member, refuses it twice, removes it; static members stay', async () => {
    const added = ami.next(is('QueueMemberAdded', { interface: 'PJSIP/200' }));
    const reply = await ami.action({
      Action: 'QueueAdd',
      Queue: 'sales',
      Interface: 'PJSIP/200',
      MemberName: 'Agent 200',
      Paused: 'false',
    });
    expect(reply.headers['message']).toBe('Added interface to queue');
    expect((await added).headers).toMatchObject({
      queue: 'sales',
      membername: 'Agent 200',
      membership: 'dynamic',
      stateinterface: 'PJSIP/200',
    });
    const twice = await ami.action({ Action: 'QueueAdd', Queue: 'sales', Interface: 'PJSIP/200' });
    expect(twice.headers['message']).toBe('Unable to add interface: Already there');
    const removed = ami.next(is('QueueMemberRemoved', { interface: 'PJSIP/200' }));
    const out = await ami.action({ Action: 'QueueRemove', Queue: 'sales', Interface: 'PJSIP/200' });
    expect(out.headers['message']).toBe('Removed interface from queue');
    await removed;
    const staticMember = await ami.action({
      Action: 'QueueRemove',
      Queue: 'support',
      Interface: 'Local/101@agents/n',
    });
    expect(staticMember.headers).toMatchObject({ response: 'Error', message: 'Member not dynamic' });
    const noQueue = await ami.action({ Action: 'QueueAdd', Queue: 'nope', Interface: 'PJSIP/201' });
    expect(noQueue.headers['message']).toBe('Unable to add interface to queue: No such queue');
    const events = sim
      .queueLog()
      .map(parseQueueLogLine)
      .map((l) => `${l.event} ${l.agent}`);
    expect(events).toEqual(expect.arrayContaining(['ADDMEMBER PJSIP/200', 'REMOVEMEMBER PJSIP/200']));
  });
});

describe('AstDB, globals and device states (day/night)', () => {
  it('stores with DBPut and answers DBGet with DBGetResponse and DBGetComplete', async () => {
    const put = await ami.action({ Action: 'DBPut', Family: 'DAYNIGHT', Key: 'C0', Val: 'NIGHT' });
    expect(put.headers['message']).toBe('Updated database successfully');
    const [response, item, complete] = await list(
      { Action: 'DBGet', Family: 'DAYNIGHT', Key: 'C0' },
      'DBGetComplete',
    );
    expect(response!.headers).toMatchObject({
      response: 'Success',
      eventlist: 'start',
      message: 'Result will follow',
    });
    expect(item!.headers).toMatchObject({
      event: 'DBGetResponse',
      family: 'DAYNIGHT',
      key: 'C0',
      val: 'NIGHT',
    });
    expect(complete!.headers).toMatchObject({ eventlist: 'Complete', listitems: '1' });
    const missing = await ami.action({ Action: 'DBGet', Family: 'DAYNIGHT', Key: 'C9' });
    expect(missing.headers).toMatchObject({ response: 'Error', message: 'Database entry not found' });
    await ami.action({ Action: 'DBPut', Family: 'DAYNIGHT', Key: 'C0', Val: 'DAY' });
  });

  it('sets DEVICE_STATE(Custom:…) with Setvar: DeviceStateChange, and QueueMemberStatus for a member', async () => {
    const blf = ami.next(is('DeviceStateChange', { device: 'Custom:DAYNIGHT0' }));
    const set = await ami.action({
      Action: 'Setvar',
      Variable: 'DEVICE_STATE(Custom:DAYNIGHT0)',
      Value: 'INUSE',
    });
    expect(set.headers['message']).toBe('Variable Set');
    expect((await blf).headers['state']).toBe('INUSE');
    const status = ami.next(is('QueueMemberStatus', { membername: 'Agent 102' }));
    await ami.action({ Action: 'Setvar', Variable: 'DEVICE_STATE(Custom:102)', Value: 'UNAVAILABLE' });
    expect((await status).headers['status']).toBe('5');
    const back = ami.next(is('QueueMemberStatus', { membername: 'Agent 102' }));
    await ami.action({ Action: 'Setvar', Variable: 'DEVICE_STATE(Custom:102)', Value: 'NOT_INUSE' });
    expect((await back).headers['status']).toBe('1');
    const get = await ami.action({ Action: 'Getvar', Variable: 'DEVICE_STATE(Custom:DAYNIGHT0)' });
    expect(get.headers['value']).toBe('INUSE');
  });
});

describe('calls', () => {
  it('Originate: queued at once, the agent rings and answers, the customer is dialled and bridged', async () => {
    const originated = ami.next(is('OriginateResponse', { actionid: 'o-1' }));
    const reply = await ami.action({
      Action: 'Originate',
      ActionID: 'o-1',
      Channel: 'PJSIP/101',
      Context: 'from-internal',
      Exten: '79161234567',
      Priority: '1',
      CallerID: '"Agent 101" <101>',
      Async: 'true',
    });
    expect(reply.headers).toMatchObject({ response: 'Success', message: 'Originate successfully queued' });
    const response = await originated;
    expect(response.headers).toMatchObject({
      response: 'Success',
      reason: '4',
      context: 'from-internal',
      exten: '79161234567',
    });
    expect(response.headers['channel']).toMatch(/^PJSIP\/101-[0-9a-f]{8}$/);
    const trunk = await ami.find(is('Newchannel', { channel: /^PJSIP\/trunk-/, exten: '79161234567' }));
    const linkedid = response.headers['uniqueid']!;
    expect(trunk.headers['linkedid']).toBe(linkedid);
    await ami.find(is('BridgeEnter', { linkedid, bridgenumchannels: '2' }));
    // CoreShowChannels lists both channels of the call, bridged together.
    const channels = await list({ Action: 'CoreShowChannels' }, 'CoreShowChannelsComplete');
    const ours = channels.filter(
      (m) => m.headers['event'] === 'CoreShowChannel' && m.headers['linkedid'] === linkedid,
    );
    expect(ours.map((m) => m.headers['channel']).sort()).toEqual(
      [response.headers['channel'], trunk.headers['channel']].sort(),
    );
    expect(new Set(ours.map((m) => m.headers['bridgeid'])).size).toBe(1);
    expect(channels.at(-1)!.headers['listitems']).toBe(String(channels.length - 2));
    // Hangup the customer: both sides go, with cause 16.
    const gone = ami.next(is('Hangup', { channel: response.headers['channel']! }));
    const hungUp = await ami.action({ Action: 'Hangup', Channel: trunk.headers['channel']! });
    expect(hungUp.headers['message']).toBe('Channel Hungup');
    expect((await gone).headers).toMatchObject({ cause: '16', 'cause-txt': 'Normal Clearing' });
    const call = sim.ledger().find((c) => c.callId === linkedid)!;
    expect(call).toMatchObject({
      direction: 'outbound',
      origin: 'originate',
      outcome: 'answered',
      to: '79161234567',
    });
  });

  it('Hangup of a waiting caller is an abandon; of a stranger, No such channel', async () => {
    const call = callWaitingForever('79990000002');
    await ami.find(is('QueueCallerJoin', { channel: call.caller.name }));
    const abandon = ami.next(is('QueueCallerAbandon', { channel: call.caller.name }));
    await ami.action({ Action: 'Hangup', Channel: call.caller.name });
    expect((await abandon).headers['queue']).toBe('support');
    await ami.find(is('Hangup', { channel: call.caller.name, cause: '16' }));
    expect(call.record).toMatchObject({ outcome: 'abandoned', endedBy: 'caller' });
    const stranger = await ami.action({ Action: 'Hangup', Channel: 'PJSIP/nobody-00000000' });
    expect(stranger.headers).toMatchObject({ response: 'Error', message: 'No such channel' });
  });

  it('Redirect moves a waiting caller to another queue (one Linkedid, two visits)', async () => {
    const call = callWaitingForever('79990000003');
    await ami.find(is('QueueCallerJoin', { channel: call.caller.name }));
    const rejoin = ami.next(is('QueueCallerJoin', { channel: call.caller.name, queue: 'sales' }));
    const reply = await ami.action({
      Action: 'Redirect',
      Channel: call.caller.name,
      Context: 'from-trunk',
      Exten: 'sales',
      Priority: '1',
    });
    expect(reply.headers['message']).toBe('Redirect successful');
    expect((await rejoin).headers['linkedid']).toBe(call.caller.linkedid);
    const noExten = await ami.action({ Action: 'Redirect', Channel: call.caller.name });
    expect(noExten.headers['message']).toBe('Exten not specified');
    await ami.action({ Action: 'Hangup', Channel: call.caller.name });
    expect(call.record.segments.map((s) => s.queue)).toEqual(['support', 'sales']);
  });

  it('BlindTransfer and Atxfer from the agent’s channel', async () => {
    const blind = sim.engine.traffic.inbound(
      fixedInboundPlan({ callerNum: '79990000004', talkSec: 100_000 }),
    );
    const connect = await ami.find(is('AgentConnect', { channel: blind.caller.name }));
    const agentChannel = connect.headers['destchannel']!;
    const transferred = ami.next(is('BlindTransfer', { transfereechannel: blind.caller.name }));
    const reply = await ami.action({
      Action: 'BlindTransfer',
      Channel: agentChannel,
      Context: 'from-trunk',
      Exten: 'sales',
    });
    expect(reply.headers['message']).toBe('Transfer succeeded');
    expect((await transferred).headers).toMatchObject({
      result: 'Success',
      extension: 'sales',
      transfererchannel: agentChannel,
    });
    await ami.find(is('AgentComplete', { channel: blind.caller.name, reason: 'transfer' }));
    await ami.find(is('QueueCallerJoin', { channel: blind.caller.name, queue: 'sales' }));

    const attended = sim.engine.traffic.inbound(
      fixedInboundPlan({ callerNum: '79990000005', talkSec: 100_000 }),
    );
    const connected = await ami.find(is('AgentConnect', { channel: attended.caller.name }));
    const done = ami.next(is('AttendedTransfer', { transfereechannel: attended.caller.name }));
    const atxfer = await ami.action({
      Action: 'Atxfer',
      Channel: connected.headers['destchannel']!,
      Exten: '102',
      Context: 'agents',
    });
    expect(atxfer.headers['message']).toBe('Atxfer successfully queued');
    expect((await done).headers).toMatchObject({ result: 'Success', desttype: 'Bridge' });
    expect(attended.record.transfers).toEqual([
      expect.objectContaining({ kind: 'attended', to: 'Agent 102' }),
    ]);
    await ami.action({ Action: 'Hangup', Channel: blind.caller.name });
    await ami.action({ Action: 'Hangup', Channel: attended.caller.name });
    await ami.find(is('Hangup', { channel: attended.caller.name }));
  });
});
