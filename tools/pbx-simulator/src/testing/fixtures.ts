import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAmiTranscript, type AmiMessage } from '@okc/ami';
import { renderAll } from '../engine/engine';
import type { AmiEvent } from '../render/ami-event';

/** The repository's fixtures/asterisk-22 (raw Asterisk 22 transcripts; see fixtures/README.md). */
export const FIXTURE_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'fixtures', 'asterisk-22');

export function fixtureBytes(name: 'answered' | 'abandoned'): Buffer {
  return readFileSync(path.join(FIXTURE_DIR, `${name}.ami`));
}

export function fixtureMessages(name: 'answered' | 'abandoned'): AmiMessage[] {
  return parseAmiTranscript(fixtureBytes(name)).messages;
}

export function expectedCalls(name: 'answered' | 'abandoned'): Record<string, unknown>[] {
  const parsed = JSON.parse(readFileSync(path.join(FIXTURE_DIR, `${name}.expected.json`), 'utf8')) as {
    calls: Record<string, unknown>[];
  };
  return parsed.calls;
}

/** Events as a client parses them from the simulator's bytes. */
export function asMessages(events: readonly AmiEvent[]): AmiMessage[] {
  return parseAmiTranscript(Buffer.from(renderAll(events))).messages;
}

/**
 * The part of a transcript that is the queue call: from the caller's Newexten into Queue() to the recorder's
 * next action response.
 */
export function queueCallWindow(messages: readonly AmiMessage[]): AmiMessage[] {
  const start = messages.findIndex(
    (m) => m.headers['event'] === 'Newexten' && m.headers['application'] === 'Queue',
  );
  if (start < 0) throw new Error('no Newexten into Queue() in this transcript');
  const end = messages.findIndex((m, i) => i > start && m.headers['response'] !== undefined);
  return messages.slice(start, end < 0 ? messages.length : end);
}

/**
 * The recordings' caller is a Local channel the recorder originated (`Local/<number>@callers-…`); its `;2`
 * half and its device states have no counterpart on a trunk caller, so they are left out of comparisons.
 */
export function isRecorderHarness(message: AmiMessage): boolean {
  const h = message.headers;
  const channel = h['channel'] ?? h['destchannel'] ?? h['localonechannel'] ?? '';
  if (/@callers-[0-9a-f]{8};2$/.test(channel)) return true;
  return h['event'] === 'DeviceStateChange' && /@callers$/.test(h['device'] ?? '');
}

/** CEL and Cdr are written by other threads: their place among the other events varies from run to run. */
export function isAsynchronousRecord(message: AmiMessage): boolean {
  return message.headers['event'] === 'CEL' || message.headers['event'] === 'Cdr';
}

export function keysOf(message: AmiMessage): string {
  return Object.keys(message.headers).join(',');
}
