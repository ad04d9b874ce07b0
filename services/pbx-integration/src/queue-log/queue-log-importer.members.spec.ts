import type { AgentFact, AgentFactType, CanonicalFact } from '../normalizer/facts';
import { contractViolations, factKeys, importLines } from './testing/queue-log-checks';

const agentMap = new Map([
  ['Alice', 'PJSIP/101'],
  ['Bob', 'PJSIP/102'],
]);
const T0 = 1893456000;
const at = (s: number) => String(T0 + s);
const ms = (s: number) => (T0 + s) * 1000;

function agentFacts<E extends AgentFactType>(facts: readonly CanonicalFact[], type: E): AgentFact<E>[] {
  return facts.filter((f) => f.topic === 'telephony.agents.v1' && f.type === type) as AgentFact<E>[];
}

describe('importQueueLog: PAUSE and UNPAUSE', () => {
  it('PAUSE → member.paused with its reason, keyed like the normalizer’s', () => {
    const { facts } = importLines([`${at(0)}|NONE|support|Alice|PAUSE|lunch`], { agentMap });
    expect(facts).toEqual([
      {
        topic: 'telephony.agents.v1',
        key: 'acme:PJSIP/101',
        type: 'member.paused',
        occurredAt: new Date(ms(0)).toISOString(),
        data: {
          connectionId: 'pbx-1',
          interface: 'PJSIP/101',
          memberName: 'Alice',
          queue: 'support',
          paused: true,
          reason: 'lunch',
        },
        factKey: `acme:PJSIP/101|member.paused|support|true|${ms(0)}`,
      },
    ]);
    expect(contractViolations(facts)).toEqual([]);
  });

  it('UNPAUSE → paused false; a repeat of the state says nothing; an older line is not applied', () => {
    const { facts, counts } = importLines(
      [
        `${at(0)}|NONE|support|Alice|PAUSE|lunch`,
        `${at(1)}|NONE|support|Alice|PAUSE|lunch`,
        `${at(60)}|NONE|support|Alice|UNPAUSE|`,
        `${at(30)}|NONE|support|Alice|PAUSE|late line`,
      ],
      { agentMap },
    );
    expect(agentFacts(facts, 'member.paused').map((f) => [f.data.paused, f.data.reason])).toEqual([
      [true, 'lunch'],
      [false, null],
    ]);
    expect(counts.unchanged).toBe(2);
  });

  it('keeps the state per queue', () => {
    const { facts } = importLines(
      [`${at(0)}|NONE|support|Alice|PAUSE|`, `${at(0)}|NONE|sales|Alice|PAUSE|`],
      { agentMap },
    );
    expect(factKeys(facts)).toEqual([
      `acme:PJSIP/101|member.paused|support|true|${ms(0)}`,
      `acme:PJSIP/101|member.paused|sales|true|${ms(0)}`,
    ]);
  });

  it('reports a member name agentMap does not know', () => {
    const { facts, skipped } = importLines([`${at(0)}|NONE|support|Carol|PAUSE|`], { agentMap });
    expect(facts).toEqual([]);
    expect(skipped).toEqual([
      { line: 1, reason: 'PAUSE: agent "Carol" is not an interface; add it to agentMap' },
    ]);
  });
});

describe('importQueueLog: PAUSEALL and UNPAUSEALL', () => {
  it('leaves a PAUSEALL to the per-queue PAUSE rows app_queue writes after it', () => {
    const { facts, counts } = importLines(
      [
        `${at(0)}|NONE|NONE|PJSIP/101|PAUSEALL|`,
        `${at(0)}|NONE|support|Alice|PAUSE|break`,
        `${at(0)}|NONE|sales|Alice|PAUSE|break`,
        `${at(9)}|NONE|NONE|PJSIP/101|UNPAUSEALL|`,
        `${at(9)}|NONE|support|Alice|UNPAUSE|`,
        `${at(9)}|NONE|sales|Alice|UNPAUSE|`,
      ],
      { agentMap },
    );
    expect(agentFacts(facts, 'member.paused').map((f) => [f.data.queue, f.data.paused])).toEqual([
      ['support', true],
      ['sales', true],
      ['support', false],
      ['sales', false],
    ]);
    expect(counts.ignored).toEqual({ PAUSEALL: 1, UNPAUSEALL: 1 });
  });

  it('makes a PAUSEALL with no per-queue rows after it a pause in every queue (queue null)', () => {
    const { facts } = importLines(
      [`${at(0)}|NONE|NONE|PJSIP/101|PAUSEALL|`, `${at(5)}|NONE|support|Bob|PAUSE|`],
      { agentMap },
    );
    const [all] = agentFacts(facts, 'member.paused');
    expect(all?.data).toMatchObject({
      interface: 'PJSIP/101',
      memberName: 'Alice',
      queue: null,
      paused: true,
    });
    expect(all?.factKey).toBe(`acme:PJSIP/101|member.paused|*|true|${ms(0)}`);
    expect(contractViolations(facts)).toEqual([]);
  });
});

describe('importQueueLog: ADDMEMBER and REMOVEMEMBER', () => {
  it('ADDMEMBER (interface in AGENT) → member.added dynamic, named through agentMap', () => {
    const { facts } = importLines([`${at(0)}|NONE|support|PJSIP/101|ADDMEMBER|`], { agentMap });
    const [added] = agentFacts(facts, 'member.added');
    expect(added?.data).toEqual({
      connectionId: 'pbx-1',
      interface: 'PJSIP/101',
      memberName: 'Alice',
      queue: 'support',
      membership: 'dynamic',
      penalty: null,
    });
    expect(added?.factKey).toBe(`acme:PJSIP/101|member.added|support|${ms(0)}`);
    expect(contractViolations(facts)).toEqual([]);
  });

  it('reads a realtime member (REALTIME in CALLID) and a name in AGENT (log_membername_as_agent)', () => {
    const { facts } = importLines([`${at(0)}|REALTIME|support|Bob|ADDMEMBER|`], { agentMap });
    expect(agentFacts(facts, 'member.added')[0]?.data).toMatchObject({
      interface: 'PJSIP/102',
      memberName: 'Bob',
      membership: 'realtime',
    });
  });

  it('REMOVEMEMBER → member.removed; only changes of presence make facts', () => {
    const { facts, counts } = importLines([
      `${at(0)}|NONE|support|PJSIP/101|ADDMEMBER|`,
      `${at(1)}|NONE|support|PJSIP/101|ADDMEMBER|`,
      `${at(60)}|NONE|support|PJSIP/101|REMOVEMEMBER|`,
      `${at(90)}|NONE|support|PJSIP/101|ADDMEMBER|PAUSED`,
    ]);
    expect(factKeys(facts)).toEqual([
      `acme:PJSIP/101|member.added|support|${ms(0)}`,
      `acme:PJSIP/101|member.removed|support|${ms(60)}`,
      `acme:PJSIP/101|member.added|support|${ms(90)}`,
    ]);
    expect(counts.unchanged).toBe(1);
    expect(contractViolations(facts)).toEqual([]);
  });

  it('forgets the pause state with the membership: a pause after re-adding is a fact again', () => {
    const { facts } = importLines([
      `${at(0)}|NONE|support|PJSIP/101|PAUSE|`,
      `${at(10)}|NONE|support|PJSIP/101|REMOVEMEMBER|`,
      `${at(20)}|NONE|support|PJSIP/101|ADDMEMBER|`,
      `${at(30)}|NONE|support|PJSIP/101|PAUSE|`,
    ]);
    expect(agentFacts(facts, 'member.paused')).toHaveLength(2);
  });
});
