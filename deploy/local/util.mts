/**
 * Small helpers shared by the deploy/local scripts: console lines, waiting, TCP probes, PATH lookups.
 * Node built-ins only, so the scripts run with plain `node` (type stripping) before anything is built.
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';

/** A failure the user can act on: `message` says what is wrong, `hint` what to do about it. */
export class InfraError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'InfraError';
    this.hint = hint;
  }
}

export const say = {
  ok: (line: string): void => console.log(`✓ ${line}`),
  bad: (line: string): void => console.log(`✗ ${line}`),
  step: (line: string): void => console.log(`· ${line}`),
};

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function seconds(sinceMs: number): string {
  return `${((Date.now() - sinceMs) / 1000).toFixed(1)} s`;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

/** Resolves true when something accepts a TCP connection on host:port within `timeoutMs`. */
export function tcpOpen(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export function parseHostPort(value: string, defaultPort: number): HostPort {
  const trimmed = value.trim();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
  if (bracketed) return { host: bracketed[1] ?? '', port: Number(bracketed[2] ?? defaultPort) };
  const at = trimmed.lastIndexOf(':');
  if (at > 0 && !trimmed.slice(0, at).includes(':')) {
    return { host: trimmed.slice(0, at), port: Number(trimmed.slice(at + 1)) };
  }
  return { host: trimmed, port: defaultPort };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** The absolute path of an executable found on PATH, or undefined. */
export function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie (exited, not yet reaped by its new parent) still answers signal 0 but is gone for our purposes.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch (err) {
    // ENOENT: it exited just now. Anything else: no /proc here, trust the signal.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** The command line of a live process (Linux /proc), or undefined when it cannot be read. */
export function commandLineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

/** The last `lines` lines of a text file ('' when it does not exist). */
export function tail(file: string, lines: number): string {
  try {
    const text = readFileSync(file, 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * kafkajs 2.2.4 schedules a negative timeout on Node 24 (tulios/kafkajs#1751), which prints a harmless
 * TimeoutNegativeWarning; drop that one warning and print every other one as Node would.
 */
export function ignoreKafkajsTimeoutWarning(): void {
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'TimeoutNegativeWarning') return;
    for (const print of printers) print(warning);
  });
}
