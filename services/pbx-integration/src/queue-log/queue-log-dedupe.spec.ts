import { dedupeAgainst } from './queue-log-dedupe';
import { factKeys, importLines } from './testing/queue-log-checks';

const T0 = 1893456000;
const ms = (s: number) => (T0 + s) * 1000;

describe('dedupeAgainst', () => {
  const { facts } = importLines(
    [
      `${T0}|1893456000.1|support|NONE|ENTERQUEUE||79161234567|1`,
      `${T0 + 10}|NONE|support|PJSIP/101|PAUSE|lunch`,
      `${T0 + 20}|1893456000.1|support|NONE|ABANDON|1|1|20`,
    ],
    {},
  );

  it('keeps every fact against an empty set, in order', () => {
    expect(dedupeAgainst(facts, new Set())).toEqual(facts);
  });

  it('drops call facts whose factKey was seen, exactly', () => {
    const seen = new Set(['1893456000.1|call.started', '1893456000.1|call.queued|1']);
    expect(factKeys(dedupeAgainst(facts, seen))).toEqual([
      `acme:PJSIP/101|member.paused|support|true|${ms(10)}`,
      '1893456000.1|call.left-queue|1',
      '1893456000.1|call.ended',
    ]);
    // An ordinal is not a time: visit 2 is another fact.
    expect(factKeys(dedupeAgainst(facts, new Set(['1893456000.1|call.queued|2'])))).toContain(
      '1893456000.1|call.queued|1',
    );
  });

  it.each([
    ['the same second', ms(10) + 476, false],
    ['the next second (written across a second boundary)', ms(10) + 1300, false],
    ['a second before', ms(10) - 400, false],
    ['three seconds later (another change)', ms(10) + 3000, true],
  ])('matches a member fact seen by AMI in %s: kept = %s', (_, amiMs, kept) => {
    const seen = new Set([`acme:PJSIP/101|member.paused|support|true|${amiMs}`]);
    const left = factKeys(dedupeAgainst(facts, seen), 'member.paused');
    expect(left.length === 1).toBe(kept);
  });

  it('does not match a member fact of another state, queue or member', () => {
    const seen = new Set([
      `acme:PJSIP/101|member.paused|support|false|${ms(10)}`,
      `acme:PJSIP/101|member.paused|sales|true|${ms(10)}`,
      `acme:PJSIP/102|member.paused|support|true|${ms(10)}`,
    ]);
    expect(factKeys(dedupeAgainst(facts, seen), 'member.paused')).toHaveLength(1);
  });
});
