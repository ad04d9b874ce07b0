import { parseQueueLog } from './queue-log-parser';
import { importQueueLog } from './queue-log-importer';
import {
  CONNECTION,
  TENANT,
  callFactsOf,
  contractViolations,
  factKeys,
  importLines,
  onlyCallFact,
} from './testing/queue-log-checks';

const agentMap = new Map([
  ['Alice', 'PJSIP/101'],
  ['Bob', 'PJSIP/102'],
]);

/** 2030-01-01T00:00:00Z and seconds after it, as queue_log's UNIXTIME. */
const T0 = 1893456000;
const at = (s: number) => String(T0 + s);
const iso = (s: number) => new Date((T0 + s) * 1000).toISOString();

const ENTER = `${at(0)}|1893456000.1|support|NONE|ENTERQUEUE||79161234567|2|Ivan Petrov`;

describe('importQueueLog: a caller entering a queue', () => {
  it('ENTERQUEUE → call.started (inbound, unknowns null) and call.queued at the line’s time', () => {
    const { facts } = importLines([ENTER]);
    expect(facts.map((f) => f.type)).toEqual(['call.started', 'call.queued']);
    const started = onlyCallFact(facts, 'call.started');
    expect(started).toMatchObject({
      topic: 'telephony.calls.v1',
      key: '1893456000.1',
      occurredAt: iso(0),
      factKey: '1893456000.1|call.started',
    });
    expect(started.data).toEqual({
      callId: '1893456000.1',
      connectionId: CONNECTION,
      direction: 'inbound',
      callerNumber: '79161234567',
      callerName: 'Ivan Petrov',
      calleeNumber: null,
      did: null,
    });
    const queued = onlyCallFact(facts, 'call.queued');
    expect(queued.factKey).toBe('1893456000.1|call.queued|1');
    expect(queued.data).toMatchObject({ queue: 'support', position: 2 });
    expect(contractViolations(facts)).toEqual([]);
  });

  it('takes the DID from a FreePBX DID row and dates call.started at it', () => {
    const { facts, counts } = importLines([`${at(-2)}|1893456000.1|NONE|NONE|DID|74950001122`, ENTER]);
    const started = onlyCallFact(facts, 'call.started');
    expect(started.occurredAt).toBe(iso(-2));
    expect(started.data).toMatchObject({ did: '74950001122', calleeNumber: '74950001122' });
    expect(counts.ignored).toEqual({ DID: 1 });
  });

  it('counts a second ENTERQUEUE of the call as visit 2, closing a stay left open as overflow', () => {
    const { facts } = importLines([ENTER, `${at(30)}|1893456000.1|sales|NONE|ENTERQUEUE||79161234567|1`]);
    expect(factKeys(facts, 'call.queued', 'call.left-queue')).toEqual([
      '1893456000.1|call.queued|1',
      '1893456000.1|call.left-queue|1',
      '1893456000.1|call.queued|2',
    ]);
    expect(onlyCallFact(facts, 'call.left-queue').data).toMatchObject({
      queue: 'support',
      outcome: 'overflow',
      waitSeconds: 30,
    });
    expect(callFactsOf(facts, 'call.started')).toHaveLength(1);
  });
});

describe('importQueueLog: answered calls', () => {
  const connect = `${at(12)}|1893456000.1|support|Alice|CONNECT|12|1893456012.7|4`;

  it('CONNECT → call.left-queue answered (wait = holdtime) and call.answered by the mapped member', () => {
    const { facts } = importLines([ENTER, connect], { agentMap, resolveAgent: () => 'user-alice' });
    const left = onlyCallFact(facts, 'call.left-queue');
    expect(left.factKey).toBe('1893456000.1|call.left-queue|1');
    expect(left.occurredAt).toBe(iso(12));
    expect(left.data).toMatchObject({
      queue: 'support',
      outcome: 'answered',
      waitSeconds: 12,
      position: null,
    });
    const answered = onlyCallFact(facts, 'call.answered');
    expect(answered.factKey).toBe('1893456000.1|call.answered|1|PJSIP/101');
    expect(answered.data).toMatchObject({
      agentInterface: 'PJSIP/101',
      agentUserId: 'user-alice',
      queue: 'support',
      waitSeconds: 12,
    });
    expect(facts.map((f) => f.type)).toEqual([
      'call.started',
      'call.queued',
      'call.left-queue',
      'call.answered',
    ]);
    expect(contractViolations(facts)).toEqual([]);
  });

  it('takes an AGENT column that is an interface as it is', () => {
    const line = `${at(12)}|1893456000.1|support|Local/103@from-queue/n|CONNECT|12|1893456012.7|4`;
    const { facts } = importLines([ENTER, line]);
    expect(onlyCallFact(facts, 'call.answered').data.agentInterface).toBe('Local/103@from-queue/n');
  });

  it('reports an unmapped member name, still closing the stay', () => {
    const { facts, skipped } = importLines([ENTER, connect]);
    expect(onlyCallFact(facts, 'call.left-queue').data.outcome).toBe('answered');
    expect(callFactsOf(facts, 'call.answered')).toEqual([]);
    expect(skipped).toEqual([{ line: 2, reason: expect.stringContaining('"Alice" is not an interface') }]);
  });

  it.each(['COMPLETEAGENT', 'COMPLETECALLER'])('%s → call.ended (cause unknown) at its time', (event) => {
    const { facts } = importLines([ENTER, connect, `${at(72)}|1893456000.1|support|Alice|${event}|12|60|2`], {
      agentMap,
    });
    const ended = onlyCallFact(facts, 'call.ended');
    expect(ended.factKey).toBe('1893456000.1|call.ended');
    expect(ended.occurredAt).toBe(iso(72));
    expect(ended.data).toMatchObject({ cause: null, causeText: null, durationSeconds: 72 });
    expect(facts.at(-1)?.type).toBe('call.ended');
    expect(contractViolations(facts)).toEqual([]);
  });

  it('does not end a call that queues again after COMPLETEAGENT (the dialplan went on)', () => {
    const { facts } = importLines(
      [
        ENTER,
        connect,
        `${at(72)}|1893456000.1|support|Alice|COMPLETEAGENT|12|60|2`,
        `${at(75)}|1893456000.1|survey|NONE|ENTERQUEUE||79161234567|1`,
        `${at(80)}|1893456000.1|survey|Bob|CONNECT|5|1893456080.9|1`,
        `${at(90)}|1893456000.1|survey|Bob|COMPLETECALLER|5|10|1`,
      ],
      { agentMap },
    );
    expect(factKeys(facts, 'call.answered', 'call.ended')).toEqual([
      '1893456000.1|call.answered|1|PJSIP/101',
      '1893456000.1|call.answered|2|PJSIP/102',
      '1893456000.1|call.ended',
    ]);
    expect(onlyCallFact(facts, 'call.ended').occurredAt).toBe(iso(90));
  });

  it('rebuilds a missing CONNECT from COMPLETE* (answered calltime before it)', () => {
    const { facts } = importLines([ENTER, `${at(72)}|1893456000.1|support|Alice|COMPLETECALLER|12|60|2`], {
      agentMap,
    });
    const answered = onlyCallFact(facts, 'call.answered');
    expect(answered.occurredAt).toBe(iso(12));
    expect(answered.factKey).toBe('1893456000.1|call.answered|1|PJSIP/101');
    expect(onlyCallFact(facts, 'call.left-queue').data.outcome).toBe('answered');
  });
});

describe('importQueueLog: calls that began before the records', () => {
  const lines = [
    `${at(12)}|1893456000.1|support|Alice|RINGNOANSWER|15000`,
    `${at(30)}|1893456000.1|support|Alice|CONNECT|30|1893456030.7|4`,
    `${at(90)}|1893456000.1|support|Alice|COMPLETECALLER|30|60|1`,
  ];

  it('builds no ordinal-keyed fact (the visit is unknown) but ends the call with holdtime + calltime', () => {
    const { facts, skipped } = importLines(lines, { agentMap });
    expect(facts.map((f) => f.type)).toEqual(['call.ended']);
    expect(onlyCallFact(facts, 'call.ended').data.durationSeconds).toBe(90);
    expect(skipped.map((s) => s.line)).toEqual([1, 2]);
    expect(skipped[0]?.reason).toMatch(/began before these records/);
  });
});

describe('importQueueLog: exits without an answer', () => {
  it('ABANDON → left-queue abandoned with its position and waittime, and the call ends', () => {
    const { facts } = importLines([ENTER, `${at(40)}|1893456000.1|support|NONE|ABANDON|1|2|40`]);
    const left = onlyCallFact(facts, 'call.left-queue');
    expect(left.occurredAt).toBe(iso(40));
    expect(left.data).toMatchObject({ outcome: 'abandoned', waitSeconds: 40, position: 1 });
    expect(onlyCallFact(facts, 'call.ended').data.durationSeconds).toBe(40);
    expect(contractViolations(facts)).toEqual([]);
  });

  it.each([
    ['EXITWITHTIMEOUT|1|2|60', 'timeout', 1, 60],
    ['EXITEMPTY|3|3|5', 'exit-empty', 3, 5],
    ['EXITWITHKEY|5|2|2|60', 'exit-key', 2, 60],
    ['WITHDRAW|1|2|60', 'overflow', 1, 60],
  ])(
    '%s → outcome %s, and no call.ended (the caller is back in the dialplan)',
    (tail, outcome, pos, wait) => {
      const { facts } = importLines([ENTER, `${at(60)}|1893456000.1|support|NONE|${tail}`]);
      expect(onlyCallFact(facts, 'call.left-queue').data).toMatchObject({
        outcome,
        position: pos,
        waitSeconds: wait,
      });
      expect(callFactsOf(facts, 'call.ended')).toEqual([]);
      expect(contractViolations(facts)).toEqual([]);
    },
  );

  it('measures the wait from the lines’ times when an old Asterisk left waittime out', () => {
    const { facts } = importLines([ENTER, `${at(61)}|1893456000.1|support|NONE|EXITWITHTIMEOUT|1`]);
    expect(onlyCallFact(facts, 'call.left-queue').data).toMatchObject({
      outcome: 'timeout',
      waitSeconds: 61,
    });
  });

  it('reports an exit with no open stay', () => {
    const { facts, skipped } = importLines([
      ENTER,
      `${at(40)}|1893456000.1|support|NONE|ABANDON|1|2|40`,
      `${at(41)}|1893456000.1|support|NONE|EXITEMPTY|1|2|41`,
    ]);
    expect(callFactsOf(facts, 'call.left-queue')).toHaveLength(1);
    expect(skipped).toEqual([{ line: 3, reason: 'EXITEMPTY without an open queue stay of this caller' }]);
  });
});

describe('importQueueLog: calls that ended unseen (with the live calls of a re-sync)', () => {
  const TIMEOUT = `${at(60)}|1893456000.1|support|NONE|EXITWITHTIMEOUT|1|2|60`;
  const live = (ids: string[], s: number) => ({ callIds: new Set(ids), at: new Date((T0 + s) * 1000) });

  it('ends a call back in the dialplan whose channels are gone, dated at its last record', () => {
    const { facts } = importLines([ENTER, TIMEOUT], { live: live([], 300) });
    const ended = onlyCallFact(facts, 'call.ended');
    expect(ended.occurredAt).toBe(iso(60));
    expect(ended.factKey).toBe('1893456000.1|call.ended');
    expect(ended.data).toEqual({
      callId: '1893456000.1',
      connectionId: CONNECTION,
      cause: null,
      causeText: null,
      durationSeconds: 60,
    });
    expect(contractViolations(facts)).toEqual([]);
  });

  it('leaves a call that is still live alone', () => {
    const { facts } = importLines([ENTER, TIMEOUT], { live: live(['1893456000.1'], 300) });
    expect(callFactsOf(facts, 'call.ended')).toEqual([]);
  });

  it('leaves a call still waiting in a queue alone (queue_log would say ABANDON when it went)', () => {
    const { facts } = importLines([ENTER], { live: live([], 300) });
    expect(callFactsOf(facts, 'call.ended')).toEqual([]);
  });

  it('ends it though its last record is just before the snapshot (it began well before)', () => {
    const { facts } = importLines([ENTER, TIMEOUT], { live: live([], 60.5) });
    expect(callFactsOf(facts, 'call.ended').map((f) => f.occurredAt)).toEqual([iso(60)]);
  });

  it('leaves alone a call begun in the last second before the snapshot, or with records after it', () => {
    expect(callFactsOf(importLines([ENTER, TIMEOUT], { live: live([], 0.5) }).facts, 'call.ended')).toEqual(
      [],
    );
    expect(callFactsOf(importLines([ENTER, TIMEOUT], { live: live([], 30) }).facts, 'call.ended')).toEqual(
      [],
    );
  });

  it('gives an ended call its stated end, not the last record', () => {
    const { facts } = importLines([ENTER, `${at(40)}|1893456000.1|support|NONE|ABANDON|1|2|40`], {
      live: live([], 300),
    });
    expect(callFactsOf(facts, 'call.ended').map((f) => f.occurredAt)).toEqual([iso(40)]);
  });
});

describe('importQueueLog: ringing', () => {
  it('RINGNOANSWER → call.ring-no-answer, ms → s, n-th of a member in the visit as its ordinal', () => {
    const { facts } = importLines(
      [
        ENTER,
        `${at(15)}|1893456000.1|support|Alice|RINGNOANSWER|15000`,
        `${at(20)}|1893456000.1|support|Bob|RINGNOANSWER|4500`,
        `${at(35)}|1893456000.1|support|Alice|RINGNOANSWER|15000`,
      ],
      { agentMap },
    );
    expect(factKeys(facts, 'call.ring-no-answer')).toEqual([
      '1893456000.1|call.ring-no-answer|1|PJSIP/101|1',
      '1893456000.1|call.ring-no-answer|1|PJSIP/102|1',
      '1893456000.1|call.ring-no-answer|1|PJSIP/101|2',
    ]);
    expect(callFactsOf(facts, 'call.ring-no-answer').map((f) => f.data.ringSeconds)).toEqual([15, 4.5, 15]);
    expect(callFactsOf(facts, 'call.ring-no-answer')[1]?.data).toMatchObject({
      agentInterface: 'PJSIP/102',
      agentUserId: null,
      queue: 'support',
    });
    expect(contractViolations(facts)).toEqual([]);
  });

  it('reports a ringtime that is not a number', () => {
    const { skipped } = importLines([ENTER, `${at(15)}|1893456000.1|support|Alice|RINGNOANSWER|soon`], {
      agentMap,
    });
    expect(skipped).toEqual([{ line: 2, reason: 'RINGNOANSWER: ringtime must be whole milliseconds' }]);
  });
});

describe('importQueueLog: transfers', () => {
  const connect = `${at(12)}|1893456000.1|support|Alice|CONNECT|12|1893456012.7|4`;

  it('BLINDTRANSFER / ATTENDEDTRANSFER → call.transferred, numbered per call, the call not ended', () => {
    const { facts } = importLines(
      [
        ENTER,
        connect,
        `${at(40)}|1893456000.1|support|Alice|BLINDTRANSFER|2001|from-internal|12|28|2`,
        `${at(41)}|1893456000.1|sales|NONE|ENTERQUEUE||79161234567|1`,
        `${at(45)}|1893456000.1|sales|Bob|CONNECT|4|1893456045.9|2`,
        `${at(60)}|1893456000.1|sales|Bob|ATTENDEDTRANSFER|LINK|PJSIP/300-0000001a|Local/300@ext-00000002;1|4|15|1`,
      ],
      { agentMap },
    );
    const transfers = callFactsOf(facts, 'call.transferred');
    expect(transfers.map((f) => f.factKey)).toEqual([
      '1893456000.1|call.transferred|1',
      '1893456000.1|call.transferred|2',
    ]);
    expect(transfers.map((f) => f.data)).toEqual([
      expect.objectContaining({ kind: 'blind', fromInterface: 'PJSIP/101', target: '2001' }),
      expect.objectContaining({ kind: 'attended', fromInterface: 'PJSIP/102', target: 'Local/300@ext' }),
    ]);
    expect(callFactsOf(facts, 'call.ended')).toEqual([]);
    expect(contractViolations(facts)).toEqual([]);
  });

  it.each([
    ['APP|Voicemail|12|28|1', 'Voicemail'],
    ['BRIDGE|8c7b0f4e-aa11|12|28|1', 'unknown'],
  ])('ATTENDEDTRANSFER %s → target %s', (tail, target) => {
    const { facts } = importLines(
      [ENTER, connect, `${at(40)}|1893456000.1|support|Alice|ATTENDEDTRANSFER|${tail}`],
      {
        agentMap,
      },
    );
    expect(onlyCallFact(facts, 'call.transferred').data).toMatchObject({ kind: 'attended', target });
  });

  it('reads the pre-Asterisk-12 TRANSFER as a blind transfer', () => {
    const { facts } = importLines(
      [ENTER, connect, `${at(40)}|1893456000.1|support|Alice|TRANSFER|2001|ctx|12|28`],
      {
        agentMap,
      },
    );
    expect(onlyCallFact(facts, 'call.transferred').data).toMatchObject({ kind: 'blind', target: '2001' });
  });
});

describe('importQueueLog: ids, windows and repeats', () => {
  it('maps a caller Uniqueid to the call’s Linkedid with callIdMap', () => {
    const { facts } = importLines(
      [
        `${at(0)}|1893456000.2|support|NONE|ENTERQUEUE||79161234567|1`,
        `${at(9)}|1893456000.2|support|NONE|ABANDON|1|1|9`,
      ],
      { callIdMap: new Map([['1893456000.2', '1893456000.1']]) },
    );
    expect(factKeys(facts)).toEqual([
      '1893456000.1|call.started',
      '1893456000.1|call.queued|1',
      '1893456000.1|call.left-queue|1',
      '1893456000.1|call.ended',
    ]);
    expect(new Set(facts.map((f) => f.key))).toEqual(new Set(['1893456000.1']));
    expect(onlyCallFact(facts, 'call.queued').data.callId).toBe('1893456000.1');
  });

  it('returns only facts inside [since, until) but counts visits from the records before it', () => {
    const lines = [
      ENTER,
      `${at(30)}|1893456000.1|support|NONE|EXITWITHTIMEOUT|1|1|30`,
      `${at(31)}|1893456000.1|sales|NONE|ENTERQUEUE||79161234567|1`,
      `${at(50)}|1893456000.1|sales|NONE|ABANDON|1|1|19`,
    ];
    const { facts, counts } = importLines(lines, {
      since: new Date(iso(31)),
      until: new Date(iso(50)),
    });
    expect(factKeys(facts)).toEqual(['1893456000.1|call.queued|2']);
    expect(counts.outsideWindow).toBe(5); // started, queued 1, left 1, left 2, ended
  });

  it('builds each fact once from a repeated CONNECT line', () => {
    const connect = `${at(12)}|1893456000.1|support|Alice|CONNECT|12|1893456012.7|4`;
    const { facts, counts, skipped } = importLines([ENTER, connect, connect], { agentMap });
    expect(factKeys(facts, 'call.left-queue', 'call.answered')).toEqual([
      '1893456000.1|call.left-queue|1',
      '1893456000.1|call.answered|1|PJSIP/101',
    ]);
    expect(counts.unchanged).toBe(1);
    expect(skipped).toEqual([]);
  });

  it('returns facts in time order, though call.started and call.ended are built later than they are dated', () => {
    const { facts } = importLines(
      [
        `${at(-2)}|1893456000.1|NONE|NONE|DID|74950001122`,
        `${at(-1)}|NONE|support|PJSIP/101|PAUSE|`,
        ENTER,
        `${at(5)}|1893456000.1|support|NONE|ABANDON|1|1|5`,
        `${at(6)}|NONE|support|PJSIP/101|UNPAUSE|`,
      ],
      {},
    );
    expect(facts.map((f) => f.type)).toEqual([
      'call.started', // dated at the DID row, built at ENTERQUEUE
      'member.paused',
      'call.queued',
      'call.left-queue',
      'call.ended', // built after the last record
      'member.paused',
    ]);
  });

  it('is deterministic: the same records give the same result', () => {
    const text = [ENTER, `${at(12)}|1893456000.1|support|Alice|CONNECT|12|x|4`].join('\n');
    const run = () =>
      importQueueLog(parseQueueLog(text).records, {
        tenantId: TENANT,
        connectionId: CONNECTION,
        agentMap,
      });
    expect(run()).toEqual(run());
  });

  it('counts the events that make no fact', () => {
    const { facts, counts, skipped } = importLines([
      `${at(0)}|NONE|NONE|NONE|QUEUESTART|`,
      `${at(1)}|NONE|NONE|NONE|CONFIGRELOAD|`,
      `${at(2)}|NONE|support|Agent/1001|AGENTLOGIN|PJSIP/101`,
      `${at(3)}|1893456003.4|support|NONE|JOINEMPTY|1|1|0`,
      ENTER,
      `${at(4)}|1893456000.1|support|Alice|RINGCANCELED|1200`,
    ]);
    expect(counts.ignored).toEqual({
      QUEUESTART: 1,
      CONFIGRELOAD: 1,
      AGENTLOGIN: 1,
      JOINEMPTY: 1,
      RINGCANCELED: 1,
    });
    expect(skipped).toEqual([]);
    expect(facts.map((f) => f.type)).toEqual(['call.started', 'call.queued']);
  });
});
