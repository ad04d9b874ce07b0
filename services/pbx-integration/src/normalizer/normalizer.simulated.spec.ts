import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAmiTranscript } from '@okc/ami';
import type { CanonicalFact } from './facts';
import { createNormalizer } from './normalizer';
import { callFacts, contractViolations, duplicateFactKeys } from './testing/fact-checks';

/*
 * Golden tests on one transcript per scenario the simulator plays (fixtures/simulated, recorded by
 * tools/pbx-simulator/src/record): the expected output is the simulator's own ledger of each call — what
 * happened on the PBX, written by other code than the normalizer.
 */
const DIR = join(__dirname, '../../../../fixtures/simulated');
const TENANT = 'acme';

interface LedgerCall {
  callId: string;
  direction: string;
  agent: string | null;
  waitSec: number;
  holdSec: number;
  ringNoAnswers: number;
  short: boolean;
  transfers: { kind: string }[];
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  segments: { queue: string; outcome: string; agent: string | null }[];
}

const scenarios = readdirSync(DIR)
  .filter((f) => f.endsWith('.ami'))
  .map((f) => f.slice(0, -'.ami'.length))
  .sort();

function run(name: string): { facts: CanonicalFact[]; ledger: LedgerCall[]; twice: CanonicalFact[] } {
  const { messages } = parseAmiTranscript(readFileSync(join(DIR, `${name}.ami`)));
  const ledger = (
    JSON.parse(readFileSync(join(DIR, `${name}.ledger.json`), 'utf8')) as { calls: LedgerCall[] }
  ).calls;
  const normalizer = createNormalizer({
    tenantId: TENANT,
    connectionId: 'sim-1',
    directionRules: {
      trunkChannelPatterns: ['PJSIP/trunk-*'],
      inboundContexts: ['from-trunk'],
    },
  });
  const base = Date.parse('2030-01-01T00:00:00.000Z');
  const facts = messages.flatMap((m, i) => normalizer.push(m, new Date(base + i)));
  // The same transcript again through the same normalizer: AMI repeating itself adds nothing.
  const twice = messages.flatMap((m, i) => normalizer.push(m, new Date(base + i)));
  return { facts, ledger, twice };
}

/** `Agent 101`, `Local/101@agents/n`, `PJSIP/101` → `101`. */
const extension = (text: string | null | undefined) => /(\d{3})/.exec(text ?? '')?.[1] ?? null;

describe('normalizer golden tests on the simulator’s scenarios', () => {
  it('has a transcript for every scenario of the issue', () => {
    expect(scenarios).toEqual(
      expect.arrayContaining([
        'answered',
        'abandoned',
        'short-abandon',
        'timeout',
        'ring-no-answer',
        'blind-transfer',
        'attended-transfer',
        'hold',
        'internal',
        'outbound',
        'click-to-call',
      ]),
    );
  });

  describe.each(scenarios)('%s', (name) => {
    const { facts, ledger, twice } = run(name);
    const call = ledger[0]!;
    const of = <T extends Parameters<typeof callFacts>[1]>(type: T) =>
      callFacts(facts, type).filter((f) => f.key === call.callId);

    it('emits valid facts, each once, and nothing more when AMI repeats itself', () => {
      expect(ledger).toHaveLength(1);
      expect(contractViolations(facts, TENANT)).toEqual([]);
      expect(duplicateFactKeys(facts)).toEqual([]);
      expect(twice).toEqual([]);
      expect(new Set(callFacts(facts, 'call.started').map((f) => f.data.callId))).toEqual(
        new Set([call.callId]),
      );
    });

    it('starts the call once with the ledger’s direction and ends it once at its end', () => {
      expect(of('call.started').map((f) => f.data.direction)).toEqual([call.direction]);
      const ended = of('call.ended');
      expect(ended).toHaveLength(1);
      expect(Math.abs(Date.parse(ended[0]!.occurredAt) - Date.parse(call.endedAt!))).toBeLessThan(1000);
    });

    it('leaves each queue visit with the ledger’s outcome, after the ledger’s wait', () => {
      const left = of('call.left-queue');
      expect(left.map((f) => `${f.data.queue}:${f.data.outcome}`)).toEqual(
        call.segments.map((s) => `${s.queue}:${s.outcome}`),
      );
      if (left.length > 0) {
        expect(Math.abs(left[0]!.data.waitSeconds - call.waitSec)).toBeLessThanOrEqual(1);
        expect(left[0]!.data.waitSeconds < 5 && left[0]!.data.outcome === 'abandoned').toBe(call.short);
      }
    });

    it('answers as the ledger says, by its agent', () => {
      const answered = of('call.answered');
      expect(answered.length > 0).toBe(call.answeredAt !== null);
      const firstAgent = call.segments[0]?.agent ?? call.agent;
      if (call.answeredAt !== null && call.direction === 'inbound') {
        expect(extension(answered[0]!.data.agentInterface)).toBe(extension(firstAgent));
      }
      for (const [i, segment] of call.segments.entries()) {
        if (segment.outcome !== 'answered') continue;
        const byQueue = answered.filter((f) => f.data.queue === segment.queue);
        expect([i, byQueue.map((f) => extension(f.data.agentInterface))]).toEqual([
          i,
          [extension(segment.agent)],
        ]);
      }
    });

    it('rings out, holds and transfers as the ledger says', () => {
      expect(of('call.ring-no-answer')).toHaveLength(call.ringNoAnswers);
      expect(of('call.held').length > 0).toBe(call.holdSec > 0);
      expect(of('call.resumed').length).toBe(of('call.held').length);
      expect(of('call.transferred').map((f) => f.data.kind)).toEqual(call.transfers.map((t) => t.kind));
    });
  });
});
