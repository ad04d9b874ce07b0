import { interfaceOfChannel, isLocalChannel } from './ami-fields';
import type { ChannelState } from './call-state';

/** Local pairs and dial chains are short; a bound keeps a corrupt chain from looping. */
const MAX_HOPS = 8;

/**
 * Live channels and who is bridged with whom, across calls (a bridge can briefly hold channels of two
 * Linkedids). Channels leave on Hangup or when their call ends, so the size follows the live calls.
 */
export class ChannelGraph {
  private readonly channels = new Map<string, ChannelState>();
  private readonly bridges = new Map<string, Set<string>>();

  get size(): number {
    return this.channels.size;
  }

  get(uniqueid: string): ChannelState | undefined {
    return this.channels.get(uniqueid);
  }

  add(ch: ChannelState): void {
    this.channels.set(ch.uniqueid, ch);
  }

  remove(ch: ChannelState): void {
    this.leaveBridge(ch);
    this.channels.delete(ch.uniqueid);
  }

  /** Puts the channel in the bridge (out of any other); returns the bridge's channels. */
  enterBridge(ch: ChannelState, bridgeId: string): ReadonlySet<string> {
    this.leaveBridge(ch);
    let members = this.bridges.get(bridgeId);
    if (!members) {
      members = new Set();
      this.bridges.set(bridgeId, members);
    }
    members.add(ch.uniqueid);
    ch.bridge = bridgeId;
    return members;
  }

  leaveBridge(ch: ChannelState): void {
    if (ch.bridge === null) return;
    const members = this.bridges.get(ch.bridge);
    members?.delete(ch.uniqueid);
    if (members?.size === 0) this.bridges.delete(ch.bridge);
    ch.bridge = null;
  }

  /** The queue member a channel serves: its own mark, or one up its chain of dialling channels. */
  memberInterfaceOf(uniqueid: string): string | null {
    let current: string | null = uniqueid;
    for (let hop = 0; current !== null && hop < MAX_HOPS; hop++) {
      const ch = this.channels.get(current);
      if (!ch) return null;
      if (ch.memberInterface) return ch.memberInterface;
      current = ch.parent;
    }
    return null;
  }

  /**
   * The interface of the phone behind a channel: through Local hops (`;1` → its `;2` → the channel bridged
   * with that `;2`) down to a real device; the channel's own interface when the chain is not known.
   */
  deviceInterfaceOf(start: ChannelState): string {
    let ch: ChannelState | undefined = start;
    for (let hop = 0; ch && hop < MAX_HOPS; hop++) {
      if (!isLocalChannel(ch.name)) return interfaceOfChannel(ch.name);
      const two: ChannelState | undefined =
        ch.localPeer === null ? undefined : this.channels.get(ch.localPeer);
      const peer: string | null = two ? this.bridgePeerOf(two) : null;
      ch = peer === null ? undefined : this.channels.get(peer);
    }
    return interfaceOfChannel(start.name);
  }

  private bridgePeerOf(ch: ChannelState): string | null {
    const members = ch.bridge === null ? undefined : this.bridges.get(ch.bridge);
    if (members) for (const uid of members) if (uid !== ch.uniqueid) return uid;
    return null;
  }
}
