import { readFile } from 'node:fs/promises';
import { createEngine, DEFAULT_START_TIME, type Engine, type EngineOptions } from './engine/engine';
import type { LedgerCall } from './ledger/ledger';
import { Replayer, replayableEvents, splitTranscript } from './replay/replay';
import { AmiServer, type AmiUser } from './server/ami-server';

export interface SimulatorOptions extends Omit<EngineOptions, 'clock' | 'limits'> {
  readonly host?: string;
  /** 5038 by default; 0 for any free port (read it from the handle). */
  readonly port?: number;
  readonly username?: string;
  readonly secret?: string;
  /** More AMI users besides username/secret. */
  readonly users?: readonly AmiUser[];
  /** As fast as possible (tests, benchmarks) instead of real time. */
  readonly fast?: boolean;
  /** Real time times this factor (2 = twice as fast); ignored with fast. */
  readonly speed?: number;
  /** Stop generating after this many inbound calls / this much virtual time. */
  readonly calls?: number;
  readonly durationSec?: number;
  /** Traffic (or replay) begins at the first login. Default: yes when fast, no in real time. */
  readonly waitForClient?: boolean;
  readonly ledgerPath?: string;
  readonly queueLogPath?: string;
  /** Plays a recorded transcript instead of generating traffic. */
  readonly replay?: { readonly file: string; readonly speed?: number; readonly loop?: boolean };
  readonly log?: (line: string) => void;
}

export interface SimulatorHandle {
  readonly host: string;
  readonly port: number;
  readonly tenant: string;
  readonly engine: Engine;
  /** Every call so far (finished or not), as the ledger has it. */
  ledger(): LedgerCall[];
  queueLog(): readonly string[];
  /** Resolves when the traffic has finished (--calls / --duration reached and every call ended) or the replay ended. */
  readonly done: Promise<void>;
  /** Stops everything, closes the port, writes the ledger and the queue_log files. */
  stop(): Promise<void>;
}

/**
 * Starts a simulated Asterisk 22 AMI server with its traffic. One per tenant: give each its own port and seed.
 *
 *   const sim = await startSimulator({ tenant: 'acme', port: 0, seed: 7, fast: true, calls: 100 });
 *   … connect to sim.port, log in as okc/okc …
 *   await sim.done; const calls = sim.ledger(); await sim.stop();
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const fast = options.fast ?? false;
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new RangeError(`speed must be above 0, got ${speed}`);
  const engine = createEngine({
    ...options,
    startTime: options.startTime ?? (fast ? DEFAULT_START_TIME : Date.now()),
    clock: fast ? { kind: 'fast' } : { kind: 'realtime', speed },
    limits: { calls: options.calls, durationSec: options.durationSec },
  });
  if (options.queueLogPath) engine.queueLog.toFile(options.queueLogPath);
  const users = [
    { username: options.username ?? 'okc', secret: options.secret ?? 'okc' },
    ...(options.users ?? []),
  ];
  const host = options.host ?? '127.0.0.1';
  const server = new AmiServer(engine, { host, port: options.port ?? 5038, users });
  const port = await server.listen();
  const log = options.log ?? (() => {});

  let begin: () => void;
  let done: Promise<void>;
  let replayer: Replayer | null = null;
  if (options.replay) {
    const frames = replayableEvents(splitTranscript(await readFile(options.replay.file)));
    replayer = new Replayer(frames, (bytes) => server.sendRaw(bytes), {
      speed: options.replay.speed ?? 1,
      loop: options.replay.loop ?? false,
    });
    const r = replayer;
    begin = () => r.start();
    done = r.done;
    log(`replaying ${frames.length} events from ${options.replay.file}`);
  } else {
    done = new Promise((resolve) => engine.traffic.onDone(resolve));
    begin = () => engine.traffic.start();
  }
  let begun = false;
  const beginOnce = () => {
    if (begun) return;
    begun = true;
    begin();
  };
  if (options.waitForClient ?? fast) server.onLogin(beginOnce);
  else beginOnce();
  engine.clock.start();
  log(
    `tenant ${engine.pbx.tenant}: AMI on ${host}:${port}, user ${users[0]!.username}, seed ${engine.pbx.options.seed}`,
  );

  let stopped: Promise<void> | null = null;
  return {
    host,
    port,
    tenant: engine.pbx.tenant,
    engine,
    ledger: () => engine.ledger.list(),
    queueLog: () => engine.queueLog.lines(),
    done,
    stop: () => {
      stopped ??= (async () => {
        replayer?.stop();
        engine.traffic.stop();
        engine.clock.stop();
        await server.close();
        if (options.ledgerPath) await engine.ledger.save(options.ledgerPath);
        await engine.queueLog.close();
      })();
      return stopped;
    },
  };
}

/**
 * One simulator per tenant (what `npm start` needs): each with its own port, seed and AMI user. Stops the ones
 * already started if one fails to start.
 */
export async function startSimulators(tenants: readonly SimulatorOptions[]): Promise<SimulatorHandle[]> {
  const started: SimulatorHandle[] = [];
  try {
    for (const options of tenants) started.push(await startSimulator(options));
    return started;
  } catch (error) {
    await Promise.all(started.map((sim) => sim.stop()));
    throw error;
  }
}
