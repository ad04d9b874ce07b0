import type { Engine } from '../engine/engine';
import { channelBlock } from '../render/blocks';
import { listComplete, listItem, listStart } from '../server/responses';

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
}

/** CoreShowChannels: one CoreShowChannel per channel (ActionID first, then the channel block). */
export function coreShowChannelsList(engine: Engine, actionId: string | undefined): string {
  const { pbx } = engine;
  let out = listStart(actionId, 'Channels will follow');
  const channels = [...pbx.channels.values()];
  for (const channel of channels) {
    out += listItem('CoreShowChannel', {
      ActionID: actionId,
      ...channelBlock(channel),
      Application: channel.application,
      ApplicationData: channel.appData,
      Duration: duration(pbx.nowSec() - Math.floor(channel.createdAt / 1e6)),
      BridgeId: channel.bridge?.id ?? '',
    });
  }
  return out + listComplete('CoreShowChannelsComplete', actionId, channels.length);
}
