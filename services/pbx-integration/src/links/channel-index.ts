import type { AmiMessage } from '@okc/ami';

/**
 * The live channels of one PBX by call (Linkedid), kept from Newchannel / Hangup / rename events, so a
 * command that names a call and an agent ("hold the call of PJSIP/101") can find the channel to act on.
 * Bounded: a channel lives until its Hangup, and the whole index is rebuilt from CoreShowChannels after a
 * reconnect.
 */
export class ChannelIndex {
  /** channel name → its call */
  private readonly calls = new Map<string, string>();

  observe(message: AmiMessage): void {
    const { event, channel, linkedid, newname } = message.headers;
    if (!channel) return;
    switch (event ?? '') {
      case 'Newchannel':
      case 'CoreShowChannel':
        if (linkedid) this.calls.set(channel, linkedid);
        return;
      case 'Hangup':
        this.calls.delete(channel);
        return;
      case 'Rename':
        if (newname) {
          const call = this.calls.get(channel);
          this.calls.delete(channel);
          if (call) this.calls.set(newname, call);
        }
        return;
      default:
        // Any event carrying both keeps the call of a channel current (a Linkedid can change on a transfer).
        if (linkedid && this.calls.has(channel)) this.calls.set(channel, linkedid);
    }
  }

  clear(): void {
    this.calls.clear();
  }

  get size(): number {
    return this.calls.size;
  }

  /** The channels of a call, in the order they appeared. */
  channelsOf(callId: string): string[] {
    return [...this.calls].filter(([, call]) => call === callId).map(([channel]) => channel);
  }

  /**
   * The agent's own channel in a call: `PJSIP/101-0000002a` for interface `PJSIP/101`; for a Local member
   * (`Local/101@agents/n`) its `;1` leg, the one bridged with the caller's side.
   */
  agentChannel(callId: string, agentInterface: string): string | null {
    const channels = this.channelsOf(callId);
    const local = /^Local\/([^/]+)/.exec(agentInterface);
    if (local) return channels.find((c) => c.startsWith(`Local/${local[1]}-`) && c.endsWith(';1')) ?? null;
    return channels.find((c) => c.startsWith(`${agentInterface}-`)) ?? null;
  }

  /** The other party of the agent in a call: the first channel that is not the agent's own. */
  customerChannel(callId: string, agentInterface: string): string | null {
    const agent = this.agentChannel(callId, agentInterface);
    const local = /^Local\/([^/@]+)/.exec(agentInterface);
    return (
      this.channelsOf(callId).find(
        (c) =>
          c !== agent && !c.startsWith(`${agentInterface}-`) && !(local && c.startsWith(`Local/${local[1]}`)),
      ) ?? null
    );
  }
}
