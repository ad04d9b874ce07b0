import { createWriteStream, type WriteStream } from 'node:fs';

/** One queue_log line: `UNIXTIME|CALLID|QUEUE|AGENT|EVENT|data1|data2|…`. */
export interface QueueLogLine {
  readonly time: number;
  readonly callId: string;
  readonly queue: string;
  readonly agent: string;
  readonly event: string;
  readonly data: readonly string[];
}

export type QueueLogClock = () => number;

/**
 * Asterisk's queue_log as a file writes it (queue_log.c, `queue_log_to_file`): the simulator's replayable record.
 * Lines are kept in memory as well, for tests and for the programmatic API.
 */
export class QueueLog {
  private readonly kept: string[] = [];
  private stream: WriteStream | null = null;

  constructor(private readonly nowSec: QueueLogClock) {}

  /** Appends to a file as lines are written (the file is truncated first). */
  toFile(path: string): void {
    this.stream = createWriteStream(path, { flags: 'w' });
    for (const line of this.kept) this.stream.write(`${line}\n`);
  }

  write(
    queue: string,
    callId: string,
    agent: string,
    event: string,
    data: readonly (string | number)[],
  ): void {
    const line = `${this.nowSec()}|${callId}|${queue}|${agent}|${event}|${data.join('|')}`;
    this.kept.push(line);
    this.stream?.write(`${line}\n`);
  }

  lines(): readonly string[] {
    return this.kept;
  }

  async close(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    if (stream) await new Promise<void>((resolve) => stream.end(resolve));
  }
}

export function parseQueueLogLine(line: string): QueueLogLine {
  const parts = line.split('|');
  if (parts.length < 5 || !/^\d+$/.test(parts[0]!)) throw new Error(`not a queue_log line: ${line}`);
  const [time, callId, queue, agent, event, ...data] = parts as [string, string, string, string, string];
  return { time: Number(time), callId, queue, agent, event, data };
}
