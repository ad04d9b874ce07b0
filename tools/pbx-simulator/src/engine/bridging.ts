import { bridgeEnter, bridgeLeave } from '../render/channel-events';
import { bridgeExtra } from '../render/records';
import type { Bridge, Channel } from './channel';
import type { Pbx } from './pbx';

/** A channel enters a bridge: CEL BRIDGE_ENTER, then BridgeEnter with the new channel count. */
export function enterBridge(
  pbx: Pbx,
  bridge: Bridge,
  channel: Channel,
  options: { peer?: string; ani?: boolean } = {},
): void {
  bridge.channels.push(channel);
  channel.bridge = bridge;
  pbx.emitCel(channel, 'BRIDGE_ENTER', {
    extra: bridgeExtra(bridge.id),
    peer: options.peer,
    ani: options.ani,
  });
  pbx.emit(bridgeEnter(bridge, channel));
}

/** A channel leaves a bridge: CEL BRIDGE_EXIT, then BridgeLeave with the channels left. */
export function leaveBridge(
  pbx: Pbx,
  bridge: Bridge,
  channel: Channel,
  options: { ani?: boolean } = {},
): void {
  const index = bridge.channels.indexOf(channel);
  if (index >= 0) bridge.channels.splice(index, 1);
  channel.bridge = null;
  pbx.emitCel(channel, 'BRIDGE_EXIT', { extra: bridgeExtra(bridge.id), ani: options.ani });
  pbx.emit(bridgeLeave(bridge, channel));
}
