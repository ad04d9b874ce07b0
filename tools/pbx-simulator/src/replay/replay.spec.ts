import { parseAmiTranscript } from '@okc/ami';
import { fixtureBytes } from '../testing/fixtures';
import { replayableEvents, Replayer, retime, splitTranscript } from './replay';

describe('transcript replay', () => {
  const bytes = fixtureBytes('answered');
  const frames = splitTranscript(bytes);

  it('cuts a recording into the messages the parser sees, keeping their bytes', () => {
    expect(frames.map((f) => f.message.headers)).toEqual(
      parseAmiTranscript(bytes).messages.map((m) => m.headers),
    );
    const banner = 'Asterisk Call Manager/11.0.0\r\n';
    expect(banner + Buffer.concat(frames.map((f) => f.raw)).toString('latin1')).toBe(
      bytes.toString('latin1'),
    );
  });

  it('replays events only, not the recorder’s responses or its login events', () => {
    const events = replayableEvents(frames);
    expect(events.length).toBeGreaterThan(100);
    expect(events.every((f) => f.message.headers['event'] !== undefined)).toBe(true);
    expect(events.some((f) => f.message.headers['event'] === 'SuccessfulAuth')).toBe(false);
  });

  it('moves only the Timestamp value when re-timing', () => {
    const frame = frames.find((f) => f.message.headers['event'] === 'QueueCallerJoin')!;
    const moved = retime(frame.raw, '1900000000.000001').toString('latin1');
    expect(moved).toBe(frame.raw.toString('latin1').replace('1795637069.420500', '1900000000.000001'));
  });

  it('plays everything at once, keeping the recorded spacing, at speed 0', async () => {
    const events = replayableEvents(frames);
    const sent: Buffer[] = [];
    const replayer = new Replayer(
      events,
      (b) => sent.push(b),
      { speed: 0, loop: false },
      () => 2_000_000_000_000_000,
    );
    replayer.start();
    await replayer.done;
    expect(sent).toHaveLength(events.length);
    const stamps = sent
      .map((b) => parseAmiTranscript(b).messages[0]!.headers['timestamp'])
      .filter(Boolean)
      .map(Number);
    const recorded = events.map((f) => f.micros).filter((m): m is number => m !== null);
    expect(stamps[0]).toBe(2_000_000_000);
    expect(Math.round((stamps[stamps.length - 1]! - stamps[0]!) * 1e6)).toBe(
      recorded[recorded.length - 1]! - recorded[0]!,
    );
  });
});
