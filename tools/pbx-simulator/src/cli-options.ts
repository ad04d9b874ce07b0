import { parseArgs } from 'node:util';
import type { SimulatorOptions } from './simulator';

export const USAGE = `usage: npm run sim -- [options]

  --tenant NAME            tenant name (ledger, logs)                      [demo]
  --calls-per-hour N       inbound calls per hour (Poisson)                [60]
  --agents N               agents 101… in queues support/sales             [10]
  --seed N                 seed: same seed, same calls, same bytes         [1]
  --host ADDR / --port N   AMI listener (0: any free port)                 [127.0.0.1:5038]
  --username U --secret S  the AMI user (MD5 challenge or plaintext)       [okc / okc]
  --duration D             stop generating after D (90s, 30m, 1h, 3600)
  --calls N                stop generating after N inbound calls
  --fast                   as fast as possible (starts at the first login)
  --speed X                real time times X                                [1]
  --wait-for-client        in real time too, traffic starts at the first login
  --start ISO              virtual start time          [now; 2026-11-25T20:00:00Z with --fast]
  --ledger FILE            write the call ledger (JSON) at the end
  --queue-log FILE         write an Asterisk queue_log as calls go
  --replay FILE.ami        play a recorded transcript instead of traffic
  --replay-speed X         replay pace (0: as fast as possible)             [1]
  --replay-loop            start the replay over when it ends
  --dynamic-members        agents are dynamic members (QueueRemove works)
  --no-cel / --no-cdr      leave CEL / Cdr events out
  --help`;

export class UsageError extends Error {}

/** `90`, `90s`, `30m`, `1h`, `1h30m` → seconds. */
export function parseDuration(text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!match || text === '')
    throw new UsageError(`--duration: not a duration: ${JSON.stringify(text)} (try 90s, 30m, 1h)`);
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

function number(
  name: string,
  value: string | undefined,
  check: (n: number) => boolean,
  what: string,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n))
    throw new UsageError(`--${name}: expected ${what}, got ${JSON.stringify(value)}`);
  return n;
}

/** Command-line arguments → simulator options; a UsageError names the bad option. */
export function parseCliOptions(argv: readonly string[]): SimulatorOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      tenant: { type: 'string' },
      'calls-per-hour': { type: 'string' },
      agents: { type: 'string' },
      seed: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      username: { type: 'string' },
      secret: { type: 'string' },
      duration: { type: 'string' },
      calls: { type: 'string' },
      fast: { type: 'boolean' },
      speed: { type: 'string' },
      'wait-for-client': { type: 'boolean' },
      start: { type: 'string' },
      ledger: { type: 'string' },
      'queue-log': { type: 'string' },
      replay: { type: 'string' },
      'replay-speed': { type: 'string' },
      'replay-loop': { type: 'boolean' },
      'dynamic-members': { type: 'boolean' },
      'no-cel': { type: 'boolean' },
      'no-cdr': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const integer = (n: number) => Number.isInteger(n) && n >= 0;
  let startTime: number | undefined;
  if (values.start !== undefined) {
    startTime = Date.parse(values.start);
    if (Number.isNaN(startTime)) throw new UsageError(`--start: not a date: ${JSON.stringify(values.start)}`);
  }
  const port = number('port', values.port, (n) => integer(n) && n <= 65535, 'a port number');
  const replaySpeed = number('replay-speed', values['replay-speed'], (n) => n >= 0, 'a number ≥ 0');
  return {
    tenant: values.tenant,
    callsPerHour: number('calls-per-hour', values['calls-per-hour'], (n) => n >= 0, 'a number ≥ 0'),
    agents: number(
      'agents',
      values.agents,
      (n) => integer(n) && n >= 1 && n <= 899,
      'an integer from 1 to 899',
    ),
    seed: number('seed', values.seed, integer, 'a non-negative integer'),
    host: values.host,
    port,
    username: values.username,
    secret: values.secret,
    durationSec: values.duration === undefined ? undefined : parseDuration(values.duration),
    calls: number('calls', values.calls, integer, 'a non-negative integer'),
    fast: values.fast,
    speed: number('speed', values.speed, (n) => n > 0, 'a number > 0'),
    waitForClient: values['wait-for-client'] ? true : undefined,
    startTime,
    ledgerPath: values.ledger,
    queueLogPath: values['queue-log'],
    replay:
      values.replay === undefined
        ? undefined
        : { file: values.replay, speed: replaySpeed, loop: values['replay-loop'] },
    membership: values['dynamic-members'] ? 'dynamic' : undefined,
    cel: values['no-cel'] ? false : undefined,
    cdr: values['no-cdr'] ? false : undefined,
  };
}
