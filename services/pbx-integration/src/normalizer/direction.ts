import type { CALL_DIRECTIONS } from '@okc/contracts';

export type CallDirection = (typeof CALL_DIRECTIONS)[number];

/** Per-PBX-connection settings that classify a call's direction (ARCHITECTURE.md §4 "Canonical call"). */
export interface DirectionRules {
  /** Globs on channel names, `*` = any run of characters, `?` = one: `PJSIP/provider-*`, `SIP/trunk-*`. */
  readonly trunkChannelPatterns: readonly string[];
  /** Dialplan contexts where calls from the PSTN land: `from-trunk`, `from-pstn`. */
  readonly inboundContexts: readonly string[];
  /** Dialplan contexts that only dial out (`outbound-allroutes`): a call seen in one is outbound. */
  readonly outboundContexts?: readonly string[];
}

export interface DirectionClassifier {
  isTrunkChannel(channelName: string): boolean;
  isInboundContext(context: string): boolean;
  isOutboundContext(context: string): boolean;
}

/** What has been seen of a call so far; the direction follows from it (see directionOf). */
export interface DirectionEvidence {
  /** The call's first channel (Uniqueid = Linkedid) is a trunk channel. */
  ownerIsTrunk: boolean;
  /** The first channel was created ringing (an incoming call: true) or down (dialled by the PBX: false); null if unseen. */
  ownerIncoming: boolean | null;
  /** The PBX originated the first channel (an Originate: click-to-call, dialer). */
  ownerOriginated: boolean;
  /** The first channel ran the dialplan in an inbound context. */
  ownerInInboundContext: boolean;
  /** Another channel of the call was dialled to a trunk, or the call ran in an outbound context. */
  dialledOut: boolean;
}

export function emptyEvidence(): DirectionEvidence {
  return {
    ownerIsTrunk: false,
    ownerIncoming: null,
    ownerOriginated: false,
    ownerInInboundContext: false,
    dialledOut: false,
  };
}

/**
 * The direction, or null while the evidence does not decide it yet. With `final` (the call reached a point
 * where it must be announced: queued, bridged, ringing an extension, ended) an undecided call is internal.
 * Order matters: a trunk leg the PBX dialled itself is the customer of an outbound call even though it is
 * the first channel; a call that came in from a trunk stays inbound when it is later forwarded out.
 */
export function directionOf(e: DirectionEvidence, final: boolean): CallDirection | null {
  if (e.ownerIsTrunk && e.ownerOriginated) return 'outbound';
  if (e.ownerIsTrunk && e.ownerIncoming === true) return 'inbound';
  if (e.ownerInInboundContext) return 'inbound';
  if (e.dialledOut) return 'outbound';
  if (!final) return null;
  if (e.ownerIsTrunk) return e.ownerIncoming === false ? 'outbound' : 'inbound';
  return 'internal';
}

export function compileDirectionRules(rules: DirectionRules): DirectionClassifier {
  const trunk = rules.trunkChannelPatterns.length
    ? new RegExp(rules.trunkChannelPatterns.map(globSource).join('|'), 'i')
    : null;
  const inbound = new Set(rules.inboundContexts);
  const outbound = new Set(rules.outboundContexts ?? []);
  return {
    isTrunkChannel: (name) => trunk !== null && trunk.test(name),
    isInboundContext: (context) => inbound.has(context),
    isOutboundContext: (context) => outbound.has(context),
  };
}

/** One anchored alternative per glob; everything but `*` and `?` is literal. */
function globSource(glob: string): string {
  let out = '';
  for (const ch of glob) {
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else out += ch.replace(/[.+^${}()|[\]\\/-]/g, '\\$&');
  }
  return `^(?:${out})$`;
}
