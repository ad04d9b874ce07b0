import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseQueueLogLine, type QueueLogRecord, type QueueLogSkip } from './queue-log-parser';

export interface QueueLogFileReadOptions {
  /** Byte offset to start at: 0, or the `endOffset` of an earlier read. Default 0. */
  readonly startOffset?: number;
  /** The line number of the line at `startOffset` (the `nextLine` of the earlier read). Default 1. */
  readonly startLine?: number;
  /** Stop after this many lines (memory bound); read on from `endOffset`. Default: to the end. */
  readonly maxLines?: number;
}

export interface QueueLogFileRead {
  readonly records: QueueLogRecord[];
  /** Bad lines, with their line numbers. */
  readonly skipped: QueueLogSkip[];
  /** Lines consumed. */
  readonly lines: number;
  /**
   * Byte offset just past the last complete line read: resume from here. A last line without its line break
   * (Asterisk is still writing it) is not consumed, so the next read gets it whole.
   */
  readonly endOffset: number;
  /** The line number at `endOffset`. */
  readonly nextLine: number;
  /** The file is shorter than `startOffset`: it was rotated or truncated; nothing was read. */
  readonly rotated: boolean;
}

const LF = 0x0a;

/**
 * Reads a queue_log file from a byte offset, streaming. Lines are split on the raw bytes rather than with
 * node:readline, because readline can say neither how many bytes a line took (`\n` or `\r\n`) nor whether the
 * last line was complete, and both decide the offset to resume from.
 */
export async function readQueueLogFile(
  path: string,
  options: QueueLogFileReadOptions = {},
): Promise<QueueLogFileRead> {
  const startOffset = options.startOffset ?? 0;
  const startLine = options.startLine ?? 1;
  const maxLines = options.maxLines ?? Number.POSITIVE_INFINITY;
  if (!Number.isSafeInteger(startOffset) || startOffset < 0) {
    throw new RangeError(`readQueueLogFile: startOffset must be a byte offset, got ${startOffset}`);
  }
  const records: QueueLogRecord[] = [];
  const skipped: QueueLogSkip[] = [];
  let offset = startOffset;
  let line = startLine;
  const { size } = await stat(path);
  if (size < startOffset) {
    return { records, skipped, lines: 0, endOffset: startOffset, nextLine: startLine, rotated: true };
  }
  if (maxLines <= 0) return { records, skipped, lines: 0, endOffset: offset, nextLine: line, rotated: false };

  const stream = createReadStream(path, { start: startOffset });
  let pending: Buffer[] = [];
  try {
    reading: for await (const chunk of stream as AsyncIterable<Buffer>) {
      let from = 0;
      for (;;) {
        const lf = chunk.indexOf(LF, from);
        if (lf === -1) {
          if (from < chunk.length) pending.push(chunk.subarray(from));
          break;
        }
        const tail = chunk.subarray(from, lf);
        const bytes = pending.length > 0 ? Buffer.concat([...pending, tail]) : tail;
        pending = [];
        const parsed = parseQueueLogLine(bytes.toString('utf8'), line);
        if (parsed.ok) records.push(parsed.record);
        else skipped.push(parsed.skip);
        offset += bytes.length + 1;
        line += 1;
        from = lf + 1;
        if (line - startLine >= maxLines) break reading;
      }
    }
  } finally {
    stream.destroy();
  }
  return { records, skipped, lines: line - startLine, endOffset: offset, nextLine: line, rotated: false };
}
