import { MEMBER_DEVICE_STATES } from '@okc/contracts';
import { AmiScenario } from './testing/ami-scenario';
import { agentFacts, contractViolations, duplicateFactKeys } from './testing/fact-checks';
import { CONNECTION, TENANT, testNormalizer } from './testing/scenarios';
import type { CanonicalFact } from './facts';

function run(s: AmiScenario): CanonicalFact[] {
  const facts = s.run(testNormalizer());
  expect(contractViolations(facts, TENANT)).toEqual([]);
  expect(duplicateFactKeys(facts)).toEqual([]);
  return facts;
}

describe('normalizer: queue members (telephony.agents.v1)', () => {
  it.each(MEMBER_DEVICE_STATES.map((state, code) => [code, state] as const))(
    'reads QueueMemberStatus Status %i as %s',
    (code, state) => {
      const s = new AmiScenario().memberStatus('support', 'PJSIP/101', 'Alice', code);
      expect(agentFacts(run(s), 'member.status').map((f) => f.data.status)).toEqual([state]);
    },
  );

  it('keys a member’s facts by tenant and interface, and carries the rest of the state', () => {
    const s = new AmiScenario().memberStatus('support', 'PJSIP/101', 'Alice', 2, true, true);
    const [fact] = agentFacts(run(s), 'member.status');
    expect(fact).toMatchObject({
      topic: 'telephony.agents.v1',
      key: 'acme:PJSIP/101',
      occurredAt: '2026-11-25T10:00:00.000Z',
      data: {
        connectionId: CONNECTION,
        interface: 'PJSIP/101',
        memberName: 'Alice',
        queue: 'support',
        status: 'in-use',
        paused: true,
        inCall: true,
      },
    });
  });

  it('says nothing new for a QueueMemberStatus that repeats the state, and speaks again when it changes', () => {
    const s = new AmiScenario();
    s.memberStatus('support', 'PJSIP/101', 'Alice', 1)
      .after(1)
      .memberStatus('support', 'PJSIP/101', 'Alice', 1);
    s.after(1)
      .memberStatus('support', 'PJSIP/101', 'Alice', 6)
      .after(1)
      .memberStatus('support', 'PJSIP/101', 'Alice', 1);
    s.after(1).memberStatus('sales', 'PJSIP/101', 'Alice', 1); // another queue: its own state
    const facts = agentFacts(run(s), 'member.status');
    expect(facts.map((f) => [f.data.queue, f.data.status])).toEqual([
      ['support', 'not-in-use'],
      ['support', 'ringing'],
      ['support', 'not-in-use'],
      ['sales', 'not-in-use'],
    ]);
  });

  it('ignores a member event older than the last one applied (a replay)', () => {
    const normalizer = testNormalizer();
    const now = new AmiScenario('2026-11-25T10:00:10.000Z').memberStatus('support', 'PJSIP/101', 'Alice', 2);
    const older = new AmiScenario('2026-11-25T10:00:05.000Z').memberStatus(
      'support',
      'PJSIP/101',
      'Alice',
      1,
    );
    expect(now.run(normalizer)).toHaveLength(1);
    expect(older.run(normalizer)).toEqual([]);
  });

  it('reports pauses with their reason, once per change', () => {
    const s = new AmiScenario();
    s.memberPause('support', 'PJSIP/101', 'Alice', true, 'lunch').memberPause(
      'support',
      'PJSIP/101',
      'Alice',
      true,
      'lunch',
    );
    s.after(1800).memberPause('support', 'PJSIP/101', 'Alice', false, '');
    const facts = agentFacts(run(s), 'member.paused');
    expect(facts.map((f) => [f.data.paused, f.data.reason, f.occurredAt])).toEqual([
      [true, 'lunch', '2026-11-25T10:00:00.000Z'],
      [false, null, '2026-11-25T10:30:00.000Z'],
    ]);
  });

  it('reports members added and removed, once each', () => {
    const s = new AmiScenario();
    s.memberAdded('support', 'PJSIP/104', 'Dan', 'dynamic', 2).memberAdded(
      'support',
      'PJSIP/104',
      'Dan',
      'dynamic',
      2,
    );
    s.after(60).memberRemoved('support', 'PJSIP/104', 'Dan').memberRemoved('support', 'PJSIP/104', 'Dan');
    const facts = run(s);
    expect(agentFacts(facts, 'member.added').map((f) => f.data)).toEqual([
      {
        connectionId: CONNECTION,
        interface: 'PJSIP/104',
        memberName: 'Dan',
        queue: 'support',
        membership: 'dynamic',
        penalty: 2,
      },
    ]);
    expect(agentFacts(facts, 'member.removed').map((f) => f.data.queue)).toEqual(['support']);
  });

  it('reads a QueueStatus snapshot (QueueMember) as state, silent when nothing changed', () => {
    const s = new AmiScenario();
    s.memberStatus('support', 'PJSIP/101', 'Alice', 1, true);
    const snapshot = {
      Queue: 'support',
      Name: 'Alice',
      Location: 'PJSIP/101',
      Status: '1',
      Paused: '1',
      PausedReason: 'meeting',
      InCall: '0',
    };
    s.after(5).event('QueueMember', snapshot).after(5).event('QueueMember', snapshot);
    const facts = run(s);
    expect(agentFacts(facts, 'member.status')).toHaveLength(1);
    expect(agentFacts(facts, 'member.paused').map((f) => [f.data.interface, f.data.reason])).toEqual([
      ['PJSIP/101', 'meeting'],
    ]);
  });
});
