import type { AmiMessage } from '@okc/ami';
import { BANNER } from '../server/ami-server';
import {
  asMessages,
  expectedCalls,
  fixtureBytes,
  fixtureMessages,
  isAsynchronousRecord,
  isRecorderHarness,
  keysOf,
  queueCallWindow,
} from '../testing/fixtures';
import { abandonedScenario, answeredScenario, fixturePbx } from '../testing/scenarios';

// The simulator's rendering of the two recorded scenarios against the bytes of a real Asterisk 22.10.1.

const significant = (messages: readonly AmiMessage[]) =>
  messages.filter((m) => !isRecorderHarness(m) && !isAsynchronousRecord(m));

const names = (messages: readonly AmiMessage[]) => messages.map((m) => m.headers['event']);

/** Values that carry meaning for OKC (not ids, names of channels or absolute times). */
const MEANINGFUL = [
  'queue',
  'position',
  'count',
  'originalposition',
  'holdtime',
  'ringtime',
  'talktime',
  'reason',
  'membername',
  'interface',
  'stateinterface',
  'status',
  'incall',
  'paused',
  'pausedreason',
  'dialstatus',
  'cause',
  'device',
  'state',
  'variable',
  'channelstate',
  'bridgenumchannels',
];

function meaningful(message: AmiMessage): string {
  const h = message.headers;
  return [h['event'], ...MEANINGFUL.filter((k) => h[k] !== undefined).map((k) => `${k}=${h[k]}`)].join(' ');
}

describe.each([
  ['answered', answeredScenario],
  ['abandoned', abandonedScenario],
] as const)('the %s call, rendered', (name, scenario) => {
  const recorded = queueCallWindow(fixtureMessages(name));
  const engine = fixturePbx();
  const simulated = queueCallWindow(asMessages(scenario(engine)));

  it('has the recorded events in the recorded order', () => {
    expect(names(significant(simulated))).toEqual(names(significant(recorded)));
  });

  it('writes each event with the header keys Asterisk writes, in its order', () => {
    const keys = (messages: readonly AmiMessage[]) => significant(messages).map(keysOf);
    expect(keys(simulated)).toEqual(keys(recorded));
  });

  it('carries the recorded queue, member, timing and cause values', () => {
    expect(significant(simulated).map(meaningful)).toEqual(significant(recorded).map(meaningful));
  });

  it('writes CEL and Cdr records with the recorded fields', () => {
    const shapes = (messages: readonly AmiMessage[]) =>
      new Set(messages.filter(isAsynchronousRecord).map((m) => `${m.headers['event']}: ${keysOf(m)}`));
    const recordedShapes = shapes(recorded);
    expect(shapes(simulated).size).toBeGreaterThan(0);
    for (const shape of shapes(simulated)) expect(recordedShapes).toContain(shape);
  });

  it('ends every channel it opened and closes the call with LINKEDID_END', () => {
    const opened = simulated
      .filter((m) => m.headers['event'] === 'Newchannel')
      .map((m) => m.headers['channel']);
    const hungUp = new Set(
      simulated.filter((m) => m.headers['event'] === 'Hangup').map((m) => m.headers['channel']),
    );
    for (const channel of opened) expect(hungUp).toContain(channel);
    const linkedEnd = simulated.filter(
      (m) => m.headers['event'] === 'CEL' && m.headers['eventname'] === 'LINKEDID_END',
    );
    expect(linkedEnd).toHaveLength(1);
  });

  it('records the call as the fixture expects OKC to read it', () => {
    const ledger = engine.ledger.list();
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject(expectedCalls(name)[0]!);
  });
});

it('sends the banner line of the recorded server', () => {
  const firstLine = fixtureBytes('answered').toString('latin1').split('\r\n')[0];
  expect(BANNER).toBe(firstLine);
});

it('pauses members with the events of the recorded QueuePause (rec-33, rec-34)', () => {
  const messages = fixtureMessages('abandoned');
  const from = messages.findIndex((m) => m.headers['actionid'] === 'rec-33');
  const to = messages.findIndex((m) => m.headers['actionid'] === 'rec-35');
  const recorded = messages.slice(from, to).filter((m) => m.headers['event'] !== undefined);
  const engine = fixturePbx();
  const events: AmiMessage[] = [];
  const off = engine.pbx.onEvent((e) => events.push(...asMessages([e])));
  engine.pbx.pause('Local/101@agents/n', true, 'lunch', 'support');
  engine.pbx.pause('Local/102@agents/n', true, 'lunch', 'support');
  off();
  expect(events.map(meaningful)).toEqual(recorded.map(meaningful));
  expect(events.map(keysOf)).toEqual(recorded.map(keysOf));
});
