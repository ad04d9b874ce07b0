import { compileDirectionRules, directionOf, emptyEvidence, type DirectionEvidence } from './direction';

describe('direction rules', () => {
  const rules = compileDirectionRules({
    trunkChannelPatterns: ['SIP/trunk-*', 'PJSIP/provider-*', 'DAHDI/?-*'],
    inboundContexts: ['from-trunk', 'from-pstn'],
    outboundContexts: ['outbound-allroutes'],
  });

  it.each([
    ['PJSIP/provider-0000002a', true],
    ['pjsip/provider-0000002a', true],
    ['SIP/trunk-00000001', true],
    ['DAHDI/1-1', true],
    ['PJSIP/101-00000001', false],
    ['PJSIP/provider2-00000001', false],
    ['Local/provider-1@from-internal-0001;1', false],
    ['XPJSIP/provider-0001', false],
  ])('%s is a trunk channel: %s', (name, trunk) => {
    expect(rules.isTrunkChannel(name)).toBe(trunk);
  });

  it('treats glob characters other than * and ? literally', () => {
    const dotted = compileDirectionRules({ trunkChannelPatterns: ['SIP/a.b-*'], inboundContexts: [] });
    expect(dotted.isTrunkChannel('SIP/a.b-1')).toBe(true);
    expect(dotted.isTrunkChannel('SIP/axb-1')).toBe(false);
  });

  it('matches contexts exactly, and has no trunks when no pattern is given', () => {
    expect(rules.isInboundContext('from-pstn')).toBe(true);
    expect(rules.isInboundContext('from-pstn-custom')).toBe(false);
    expect(rules.isOutboundContext('outbound-allroutes')).toBe(true);
    const none = compileDirectionRules({ trunkChannelPatterns: [], inboundContexts: [] });
    expect(none.isTrunkChannel('SIP/trunk-1')).toBe(false);
    expect(none.isOutboundContext('outbound-allroutes')).toBe(false);
  });

  const evidence = (e: Partial<DirectionEvidence>): DirectionEvidence => ({ ...emptyEvidence(), ...e });

  it.each<[string, Partial<DirectionEvidence>, boolean, string | null]>([
    ['incoming trunk leg', { ownerIsTrunk: true, ownerIncoming: true }, false, 'inbound'],
    [
      'trunk leg the PBX originated',
      { ownerIsTrunk: true, ownerIncoming: false, ownerOriginated: true },
      false,
      'outbound',
    ],
    ['first channel in an inbound context', { ownerInInboundContext: true }, false, 'inbound'],
    ['inbound, later forwarded out', { ownerInInboundContext: true, dialledOut: true }, false, 'inbound'],
    ['extension dialling a trunk', { dialledOut: true }, false, 'outbound'],
    ['nothing decisive yet', {}, false, null],
    ['nothing decisive at a commit point', {}, true, 'internal'],
    [
      'trunk leg created down, at a commit point',
      { ownerIsTrunk: true, ownerIncoming: false },
      true,
      'outbound',
    ],
    ['trunk leg first seen mid-call', { ownerIsTrunk: true }, true, 'inbound'],
  ])('%s → %s', (_, e, final, expected) => {
    expect(directionOf(evidence(e), final)).toBe(expected);
  });
});
