import type { AmiEvent } from '../render/ami-event';
import { fixturePbx } from '../testing/scenarios';
import { DirectCall, type DirectTarget } from './direct-call';
import type { DirectPlan } from './plans';

function place(target: (engine: ReturnType<typeof fixturePbx>) => DirectTarget, plan: DirectPlan) {
  const engine = fixturePbx();
  const events: AmiEvent[] = [];
  engine.pbx.onEvent((e) => events.push(e));
  const from = engine.pbx.agentByExt('101')!;
  new DirectCall(engine.pbx, from, target(engine), plan).start();
  engine.clock.runUntil();
  return { engine, events, call: engine.ledger.list()[0]! };
}

const names = (events: readonly AmiEvent[], name: string) => events.filter((e) => e.name === name);

describe('calls outside the queues', () => {
  it('connects agent to agent (from-internal), marking both busy for the queues', () => {
    const { engine, events, call } = place((e) => ({ kind: 'ext', agent: e.pbx.agentByExt('102')! }), {
      answerAfterSec: 3,
      busy: false,
      talkSec: 20,
      endedBy: 'caller',
    });
    expect(call).toMatchObject({
      direction: 'internal',
      outcome: 'answered',
      from: '101',
      to: '102',
      talkSec: 20,
    });
    expect(names(events, 'DialBegin')[0]!.fields['DestChannel']).toMatch(/^PJSIP\/102-/);
    expect(names(events, 'DialEnd')[0]!.fields['DialStatus']).toBe('ANSWER');
    const busy = names(events, 'QueueMemberStatus').map(
      (e) => `${e.fields['MemberName']} ${e.fields['Status']}`,
    );
    expect(busy).toEqual(
      expect.arrayContaining(['Agent 101 2', 'Agent 102 6', 'Agent 102 2', 'Agent 101 1', 'Agent 102 1']),
    );
    expect(engine.pbx.channels.size).toBe(0);
  });

  it('calls a customer through the trunk; no answer and busy are outcomes of their own', () => {
    const noAnswer = place(() => ({ kind: 'number', number: '79161112233' }), {
      answerAfterSec: null,
      busy: false,
      talkSec: 10,
      endedBy: 'caller',
    });
    expect(noAnswer.call).toMatchObject({ direction: 'outbound', outcome: 'no-answer' });
    expect(names(noAnswer.events, 'DialEnd')[0]!.fields['DialStatus']).toBe('NOANSWER');
    expect(names(noAnswer.events, 'Newchannel').map((e) => e.fields['Channel'])).toEqual([
      expect.stringMatching(/^PJSIP\/101-/),
      expect.stringMatching(/^PJSIP\/trunk-/),
    ]);
    const busy = place(() => ({ kind: 'number', number: '79161112233' }), {
      answerAfterSec: 2,
      busy: true,
      talkSec: 10,
      endedBy: 'caller',
    });
    expect(busy.call.outcome).toBe('busy');
    expect(
      names(busy.events, 'Hangup').find((e) => String(e.fields['Channel']).startsWith('PJSIP/trunk'))!.fields[
        'Cause'
      ],
    ).toBe(17);
  });
});
