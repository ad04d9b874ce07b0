import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAmiTranscript } from '@okc/ami';
import type { CanonicalFact } from '../normalizer/facts';
import { createNormalizer } from '../normalizer/normalizer';
import { dedupeAgainst } from './queue-log-dedupe';
import {
  CONNECTION,
  TENANT,
  contractViolations,
  factKeys,
  importLines,
  onlyCallFact,
} from './testing/queue-log-checks';

/*
 * The same two calls seen both ways: the real Asterisk 22.10.1 AMI transcripts through the normalizer, and the
 * queue_log lines Asterisk writes for them (typed out here from the transcripts' events and times), through the
 * importer. Whatever both can know must carry the same factKey, so that a backfill drops what AMI delivered.
 */
const FIXTURES = join(__dirname, '../../../../fixtures/asterisk-22');

/** The members carry names (`MemberName: Agent 101`), which is what queue_log's AGENT column holds. */
const agentMap = new Map([
  ['Agent 101', 'Local/101@agents/n'],
  ['Agent 102', 'Local/102@agents/n'],
  ['Agent 103', 'Local/103@agents/n'],
]);

function normalize(name: string): CanonicalFact[] {
  const messages = parseAmiTranscript(readFileSync(join(FIXTURES, name))).messages;
  const normalizer = createNormalizer({
    tenantId: TENANT,
    connectionId: CONNECTION,
    directionRules: { trunkChannelPatterns: ['PJSIP/provider-*'], inboundContexts: ['from-trunk'] },
  });
  const base = Date.parse('2030-01-01T00:00:00.000Z');
  return messages.flatMap((m, i) => normalizer.push(m, new Date(base + i * 1000)));
}

const QUEUE_FACTS = ['call.queued', 'call.left-queue', 'call.answered'];

describe('queue_log of answered.ami ≡ its AMI facts', () => {
  const ami = normalize('answered.ami');
  // Caller Local/79160000001@callers-00000035;1, Uniqueid = Linkedid 1795637069.106; member channel
  // Local/101@agents-00000036;1 (1795637069.108). QueueCallerJoin 069.42, AgentConnect 070.42 (HoldTime 1,
  // RingTime 1), AgentComplete 075.93 (HoldTime 1, TalkTime 5, Reason agent). The QueueMemberPause events of
  // the lab's set-up (Paused 0, twice per member) are UNPAUSE lines.
  const lines = [
    '1795637069|NONE|support|Agent 101|UNPAUSE|',
    '1795637069|NONE|support|Agent 102|UNPAUSE|',
    '1795637069|NONE|sales|Agent 103|UNPAUSE|',
    '1795637069|NONE|support|Agent 101|UNPAUSE|',
    '1795637069|NONE|support|Agent 102|UNPAUSE|',
    '1795637069|NONE|sales|Agent 103|UNPAUSE|',
    '1795637069|1795637069.106|support|NONE|ENTERQUEUE||79160000001|1|Caller',
    '1795637070|1795637069.106|support|Agent 101|CONNECT|1|1795637069.108|1',
    '1795637075|1795637069.106|support|Agent 101|COMPLETEAGENT|1|5|1',
  ];
  const imported = importLines(lines, { agentMap });

  it('builds only valid facts, none skipped', () => {
    expect(contractViolations(imported.facts)).toEqual([]);
    expect(imported.skipped).toEqual([]);
  });

  it('keys queued, left-queue and answered exactly as the normalizer does', () => {
    expect(factKeys(ami, ...QUEUE_FACTS)).toEqual([
      '1795637069.106|call.queued|1',
      '1795637069.106|call.left-queue|1',
      '1795637069.106|call.answered|1|Local/101@agents/n',
    ]);
    expect(factKeys(imported.facts, ...QUEUE_FACTS)).toEqual(factKeys(ami, ...QUEUE_FACTS));
  });

  it('keys call.started and call.ended as the normalizer does', () => {
    expect(factKeys(imported.facts, 'call.started', 'call.ended')).toEqual(
      factKeys(ami, 'call.started', 'call.ended'),
    );
  });

  it('says the same things, to queue_log’s whole seconds', () => {
    expect(onlyCallFact(imported.facts, 'call.left-queue').data).toMatchObject({
      queue: 'support',
      outcome: 'answered',
      waitSeconds: 1, // AMI: 1.002
    });
    expect(onlyCallFact(imported.facts, 'call.answered').data).toMatchObject({
      agentInterface: 'Local/101@agents/n',
      queue: 'support',
      waitSeconds: 1,
    });
    expect(onlyCallFact(imported.facts, 'call.started').data).toMatchObject({
      direction: 'inbound',
      callerNumber: '79160000001',
      callerName: 'Caller',
    });
    const ended = onlyCallFact(imported.facts, 'call.ended');
    expect(ended.occurredAt).toBe('2026-11-25T20:04:35.000Z'); // AMI: …35.933
    expect(ended.data.durationSeconds).toBe(6); // AMI: 6.514 (from the first channel, before the queue)
  });

  it('drops every imported fact against what AMI delivered, and nothing AMI did not', () => {
    const seen = new Set(factKeys(ami));
    expect(dedupeAgainst(imported.facts, seen)).toEqual([]);
    // Had AMI missed the answer, that fact alone would be backfilled.
    const answeredKey = '1795637069.106|call.answered|1|Local/101@agents/n';
    const missed = new Set([...seen].filter((k) => k !== answeredKey));
    expect(factKeys(dedupeAgainst(imported.facts, missed))).toEqual([answeredKey]);
  });

  it('cannot rebuild the offer: AgentCalled is not in queue_log', () => {
    expect(factKeys(ami, 'call.offered')).toHaveLength(1);
    expect(factKeys(imported.facts, 'call.offered')).toEqual([]);
  });
});

describe('queue_log of abandoned.ami ≡ its AMI facts', () => {
  const ami = normalize('abandoned.ami');
  // Caller 1795637101.114 joins support at 101.52, QueueCallerAbandon at 109.55 (Position 1,
  // OriginalPosition 1, HoldTime 8). Agents 101 and 102 paused with reason lunch at 101.48 / 101.50.
  const lines = [
    '1795637101|NONE|support|Agent 101|UNPAUSE|',
    '1795637101|NONE|support|Agent 102|UNPAUSE|',
    '1795637101|NONE|sales|Agent 103|UNPAUSE|',
    '1795637101|NONE|support|Agent 101|PAUSE|lunch',
    '1795637101|NONE|support|Agent 102|PAUSE|lunch',
    '1795637101|1795637101.114|support|NONE|ENTERQUEUE||79160000003|1',
    '1795637109|1795637101.114|support|NONE|ABANDON|1|1|8',
    '1795637109|NONE|support|Agent 101|UNPAUSE|',
    '1795637109|NONE|support|Agent 102|UNPAUSE|',
    '1795637109|NONE|sales|Agent 103|UNPAUSE|',
  ];
  const imported = importLines(lines, { agentMap });

  it('builds only valid facts, none skipped', () => {
    expect(contractViolations(imported.facts)).toEqual([]);
    expect(imported.skipped).toEqual([]);
  });

  it('keys queued and left-queue exactly as the normalizer does, and started / ended too', () => {
    expect(factKeys(ami, ...QUEUE_FACTS)).toEqual([
      '1795637101.114|call.queued|1',
      '1795637101.114|call.left-queue|1',
    ]);
    expect(factKeys(imported.facts, ...QUEUE_FACTS)).toEqual(factKeys(ami, ...QUEUE_FACTS));
    expect(factKeys(imported.facts, 'call.started', 'call.ended')).toEqual(
      factKeys(ami, 'call.started', 'call.ended'),
    );
    expect(onlyCallFact(imported.facts, 'call.left-queue').data).toMatchObject({
      outcome: 'abandoned',
      waitSeconds: 8, // AMI: 8.023
      position: 1,
    });
  });

  it('makes the same member.paused facts, keyed apart only by the time (whole seconds vs AMI’s ms)', () => {
    const strip = (key: string) => key.replace(/\|\d+$/, '');
    const amiPaused = factKeys(ami, 'member.paused');
    const importedPaused = factKeys(imported.facts, 'member.paused');
    expect(importedPaused.map(strip)).toEqual(amiPaused.map(strip));
    expect(importedPaused).toContain('acme:Local/101@agents/n|member.paused|support|true|1795637101000');
    expect(amiPaused).toContain('acme:Local/101@agents/n|member.paused|support|true|1795637101476');
    // So exact keys cannot match; dedupeAgainst matches member keys within a second or two.
    expect(importedPaused.filter((k) => amiPaused.includes(k))).toEqual([]);
  });

  it('drops every imported fact against what AMI delivered', () => {
    expect(dedupeAgainst(imported.facts, new Set(factKeys(ami)))).toEqual([]);
  });
});
