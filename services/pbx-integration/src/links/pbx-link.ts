import { AmiClient, type AmiAction, type AmiMessage } from '@okc/ami';
import type { Logger } from 'pino';
import type { ConnectionStatusRegistry } from '../connections/connection-status';
import type { PbxConnection } from '../connections/pbx-connection.entity';
import { type CanonicalFact, createNormalizer, type Normalizer } from '../normalizer';
import { importQueueLog, type QueueLogSource } from '../queue-log';
import { ChannelIndex } from './channel-index';
import type { FactWriter } from './fact-writer';

/** Events held back during one re-sync at most (a few seconds of a busy PBX); beyond, they flow unordered. */
const MAX_DEFERRED = 100_000;

export interface PbxLinkOptions {
  readonly connection: PbxConnection;
  readonly secret: string;
  readonly writer: FactWriter;
  readonly status: ConnectionStatusRegistry;
  readonly logger: Logger;
  /** Called after each (re)connect, once the link can take actions (the current mode is pushed again). */
  readonly onConnected?: (link: PbxLink) => void;
  /**
   * Caller data from the tenant's lookup connectors (bounded by its own deadline, never throws); the answer
   * rides on `call.offered` as the screen pop.
   */
  readonly lookup?: (tenantId: string, callerNumber: string) => Promise<Record<string, unknown> | null>;
  /** Where the PBX's queue_log is read after a gap (a file or a table), or none. */
  readonly queueLog?: QueueLogSource | null;
  /** The OKC user of a PBX interface, when known. */
  readonly resolveAgent?: (agentInterface: string) => string | null;
}

/**
 * One tenant PBX, live: the AMI client, the normalizer, and the hand-off of facts to the writer. Reading
 * never waits: each event is normalized synchronously and its facts queued. After every (re)connect the
 * queue members are re-read (`QueueStatus`), so a pause or a login missed while away becomes a corrective
 * fact (the normalizer emits only what changed; the writer drops what was already written).
 */
export class PbxLink {
  readonly connectionId: string;
  readonly tenantId: string;
  private readonly client: AmiClient;
  private readonly normalizer: Normalizer;
  private readonly ticker: NodeJS.Timeout;
  /** The live channels by call, for commands that name a call. */
  readonly channels = new ChannelIndex();
  /** The caller lookup of each inbound call, started at call.started. */
  private readonly pops = new Map<
    string,
    { done: boolean; value: Record<string, unknown> | null; wait: Promise<void> }
  >();
  /** The PBX clock of the last event read (its `Timestamp:`), to know where a gap began. */
  private lastPbxTimeMs: number | null = null;
  private lastEventWallMs = 0;
  /** Where the last connection was lost, on the PBX clock; null while connected. */
  private gapFrom: number | null = null;
  /** Queue member name → interface, as the member events told (queue_log names agents by member name). */
  private readonly memberInterfaces = new Map<string, string>();
  private resyncs: Promise<void> = Promise.resolve();
  private pendingResyncs = 0;
  /** Events read while a re-sync applies its snapshot, to be normalized after it; null when none runs. */
  private deferred: { message: AmiMessage; receivedAt: Date }[] | null = null;
  /** Facts of a call held from its first offer until its lookup has answered (the call's order is kept). */
  private readonly held = new Map<string, CanonicalFact[]>();

  constructor(private readonly options: PbxLinkOptions) {
    const { connection } = options;
    this.connectionId = connection.id;
    this.tenantId = connection.tenantId;
    this.normalizer = createNormalizer({
      tenantId: connection.tenantId,
      connectionId: connection.id,
      directionRules: connection.directionRules,
      ...(options.resolveAgent ? { resolveAgent: options.resolveAgent } : {}),
    });
    this.client = new AmiClient({
      host: connection.host,
      port: connection.port,
      username: connection.username,
      secret: options.secret,
      onListenerError: (err) =>
        options.logger.error({ err, connection: connection.id }, 'AMI event handling failed'),
    });
    this.client.on('event', (message) => this.onEvent(message));
    this.client.on('connected', () => {
      options.status.setState(this.connectionId, 'connected');
      options.logger.info(
        { connection: this.connectionId, tenant: this.tenantId, host: connection.host },
        'PBX connected',
      );
      const gapFrom = this.gapFrom;
      this.gapFrom = null;
      // One re-sync at a time: a reconnect during one runs its own after it.
      // Events wait from this moment (the login's own chunk may carry some) until the snapshot is applied.
      this.deferred ??= [];
      this.pendingResyncs += 1;
      this.resyncs = this.resyncs.then(() => this.resync(gapFrom));
      options.onConnected?.(this);
    });
    this.client.on('disconnected', ({ reason }) => {
      this.gapFrom ??= this.lastPbxTimeMs;
      options.status.setState(this.connectionId, 'disconnected');
      options.status.recordError(this.connectionId, `Connection lost: ${reason.message}; reconnecting`);
      options.logger.warn(
        { connection: this.connectionId, err: reason.message },
        'PBX connection lost; reconnecting',
      );
    });
    this.client.on('auth-failed', ({ reason }) => {
      options.status.setState(this.connectionId, 'auth-failed');
      options.status.recordError(
        this.connectionId,
        `Authentication failed (${reason}): check the username and secret of this connection`,
      );
      options.logger.warn({ connection: this.connectionId, reason }, 'PBX refused the login; retrying later');
    });
    this.client.on('parse-error', (error) => {
      options.status.recordError(this.connectionId, `Unreadable AMI data: ${error.kind}`);
    });
    // Calls whose end the PBX never told (a lost Hangup) are closed by the normalizer's clock.
    // On the PBX's clock (its event timestamps), not ours: a PBX whose clock differs, or a simulator running
    // ahead, must not see its pending decisions timed out by our wall clock.
    this.ticker = setInterval(() => this.handOff(this.normalizer.tick(this.pbxNow())), 1000);
    this.ticker.unref();
  }

  /** Now on the PBX's clock: its last event time plus the wall time since that event arrived. */
  private pbxNow(): Date {
    if (this.lastPbxTimeMs === null) return new Date();
    return new Date(this.lastPbxTimeMs + (Date.now() - this.lastEventWallMs));
  }

  start(): void {
    this.options.status.setState(this.connectionId, 'connecting');
    this.client.start();
  }

  async stop(): Promise<void> {
    clearInterval(this.ticker);
    await this.client.stop();
    this.options.status.forget(this.connectionId);
  }

  get connected(): boolean {
    return this.client.status.state === 'connected';
  }

  /** An action on this PBX (commands, modes); rejects with the PBX's own message on `Response: Error`. */
  send(action: AmiAction, timeoutMs?: number): Promise<AmiMessage> {
    return this.client.send(action, timeoutMs === undefined ? {} : { timeoutMs });
  }

  /** An AstDB value (`DBGet`: Asterisk answers with a DBGetResponse event), or null when the key is absent. */
  async readDb(family: string, key: string): Promise<string | null> {
    try {
      const list = await this.client.sendList({ Action: 'DBGet', Family: family, Key: key });
      const found = list.events.find((e) => e.headers.event === 'DBGetResponse');
      return found?.headers.val ?? null;
    } catch (err) {
      // "Database entry not found" is an Error response: the key is simply not set.
      if (err instanceof Error && /not found/i.test(err.message)) return null;
      throw err;
    }
  }

  private onEvent(message: AmiMessage): void {
    this.options.status.recordEvent(this.connectionId);
    this.channels.observe(message);
    const { timestamp, membername, interface: memberInterface } = message.headers;
    if (timestamp) {
      this.lastPbxTimeMs = Number(timestamp) * 1000;
      this.lastEventWallMs = Date.now();
    }
    if (membername && memberInterface) this.memberInterfaces.set(membername, memberInterface);
    if (message.headers.event === 'Shutdown') {
      this.options.logger.warn(
        {
          connection: this.connectionId,
          shutdown: message.headers.shutdown,
          restart: message.headers.restart,
        },
        'PBX announced it is shutting down; the link reconnects when it is back',
      );
    }
    const receivedAt = new Date();
    // While a re-sync applies its snapshot, events wait (in order) so that none is applied before the state
    // it follows; reading the socket never stops.
    if (this.deferred && this.deferred.length < MAX_DEFERRED) this.deferred.push({ message, receivedAt });
    else this.normalize(message, receivedAt);
  }

  private normalize(message: AmiMessage, receivedAt: Date): void {
    this.handOff(this.normalizer.push(message, receivedAt));
  }

  /**
   * Facts to the writer, with the screen pop on each offer. An offer whose lookup has not answered yet is held,
   * with every later fact of its call (other calls flow on), until the lookup answers or gives up at its
   * deadline: a slow lookup delays that call's events by at most the deadline, never anything else.
   */
  private handOff(facts: readonly CanonicalFact[]): void {
    if (facts.length === 0) return;
    const ready: CanonicalFact[] = [];
    for (const fact of facts) {
      const callId = fact.topic === 'telephony.calls.v1' ? fact.key : null;
      if (callId && fact.type === 'call.started' && this.options.lookup)
        this.startLookup(callId, fact.data.callerNumber);
      const held = callId ? this.held.get(callId) : undefined;
      if (held) {
        held.push(fact);
        continue;
      }
      const pop = callId ? this.pops.get(callId) : undefined;
      if (callId && fact.type === 'call.offered' && pop && !pop.done) {
        this.held.set(callId, [fact]);
        void pop.wait.then(() => this.release(callId));
        continue;
      }
      ready.push(this.withPop(fact));
      if (callId && fact.type === 'call.ended') this.pops.delete(callId);
    }
    if (ready.length > 0) this.options.writer.enqueue(this.tenantId, ready);
  }

  private startLookup(callId: string, callerNumber: string | null): void {
    if (!callerNumber || this.pops.has(callId)) return;
    const entry = { done: false, value: null as Record<string, unknown> | null, wait: Promise.resolve() };
    entry.wait = this.options.lookup!(this.tenantId, callerNumber).then(
      (value) => void Object.assign(entry, { done: true, value }),
      () => void Object.assign(entry, { done: true, value: null }),
    );
    this.pops.set(callId, entry);
  }

  private release(callId: string): void {
    const held = this.held.get(callId) ?? [];
    this.held.delete(callId);
    const facts = held.map((fact) => this.withPop(fact));
    if (held.some((f) => f.type === 'call.ended')) this.pops.delete(callId);
    this.options.writer.enqueue(this.tenantId, facts);
  }

  private withPop(fact: CanonicalFact): CanonicalFact {
    if (fact.type !== 'call.offered') return fact;
    const pop = this.pops.get(fact.key);
    if (!pop?.value) return fact;
    return { ...fact, data: { ...fact.data, screenPop: pop.value as typeof fact.data.screenPop } };
  }

  /**
   * After each (re)connect, in this order, so facts with their real times are queued before corrections:
   * 1. `CoreShowChannels`: the channel index is rebuilt, and the calls live now are known;
   * 2. after a gap, the queue_log backfill (when the connection names one): what queue calls did while we were
   *    away, with their original times; a call back in the dialplan and gone by now gets its end;
   * 3. after a gap, the normalizer closes the calls it knew whose channels are all gone (a non-queue call, or
   *    one queue_log could not close); the writer drops whatever the backfill had already delivered;
   * 4. the listed channels go to the normalizer, which follows the calls it did not know from now on;
   * 5. `QueueStatus`: members and waiting callers as they are now (corrective facts for what changed).
   */
  private async resync(gapFrom: number | null): Promise<void> {
    try {
      await this.applySnapshot(gapFrom);
    } finally {
      // After the last pending re-sync (a reconnect during one queues another), the events read meanwhile.
      this.pendingResyncs -= 1;
      if (this.pendingResyncs === 0) {
        const deferred = this.deferred ?? [];
        this.deferred = null;
        for (const { message, receivedAt } of deferred) this.normalize(message, receivedAt);
      }
    }
  }

  private async applySnapshot(gapFrom: number | null): Promise<void> {
    const at = this.pbxNow();
    const channels = await this.readList('CoreShowChannels');
    const queues = await this.readList('QueueStatus');
    let live: { callIds: Set<string>; at: Date } | null = null;
    if (channels) {
      this.channels.clear();
      const callIds = new Set<string>();
      for (const message of channels) {
        this.channels.observe(message);
        const { event, uniqueid, linkedid } = message.headers;
        if (event !== 'CoreShowChannel') continue;
        if (uniqueid) callIds.add(uniqueid);
        if (linkedid) callIds.add(linkedid);
      }
      live = { callIds, at };
    }
    // queue_log names members by name: learn the names of all members now, before reading it.
    for (const message of queues ?? []) {
      const { event, name, location } = message.headers;
      if (event === 'QueueMember' && name && location) this.memberInterfaces.set(name, location);
    }
    if (gapFrom !== null) {
      await this.backfill(gapFrom, live);
      if (live) {
        const closed = this.normalizer.reconcile(live.callIds, new Date(gapFrom));
        if (closed.length > 0) {
          this.options.logger.info(
            { connection: this.connectionId, facts: closed.length },
            'calls that ended while disconnected closed after re-sync',
          );
        }
        this.handOff(closed);
      }
    }
    // Calls up now that the normalizer does not follow (begun in the gap, or before the first connect) are
    // followed from here on, so their ends are read; then members and waiting callers as they are now.
    for (const message of [...(channels ?? []), ...(queues ?? [])]) {
      this.handOff(this.normalizer.push(message, at));
    }
  }

  /** A list action's events with its closing event, or null (logged) when it failed. */
  private async readList(action: 'CoreShowChannels' | 'QueueStatus'): Promise<AmiMessage[] | null> {
    try {
      const list = await this.client.sendList({ Action: action });
      return [...list.events, ...(list.complete ? [list.complete] : [])];
    } catch (err) {
      this.options.logger.warn(
        { err, connection: this.connectionId, action },
        're-sync after connect failed',
      );
      return null;
    }
  }

  /**
   * The queue facts of a gap, rebuilt from the PBX's queue_log (when the connection names one): calls that
   * entered, left, were answered or ended while the link was down. Read from a minute before the gap on the
   * PBX's own clock; what AMI had already delivered is dropped by the writer (same fact keys). Member history
   * is left out on purpose: the QueueStatus re-sync restores the members' current state, and queue_log's
   * whole-second times would not match AMI's keys.
   */
  private async backfill(gapFromMs: number, live: { callIds: Set<string>; at: Date } | null): Promise<void> {
    const source = this.options.queueLog;
    if (!source) return;
    const since = gapFromMs - 60_000;
    try {
      const read = await source.read(since);
      const result = importQueueLog(read.records, {
        tenantId: this.tenantId,
        connectionId: this.connectionId,
        since: new Date(since),
        agentMap: this.memberInterfaces,
        ...(live ? { live } : {}),
      });
      const calls = result.facts.filter((f) => f.topic === 'telephony.calls.v1');
      // Straight to the writer: these calls are history (no screen pop to look up for them).
      this.options.writer.enqueue(this.tenantId, calls);
      this.options.logger.info(
        {
          connection: this.connectionId,
          source: source.name,
          facts: calls.length,
          rows: read.rows,
          unreadable: read.skipped,
          skipped: result.skipped.length,
          // The first reasons, to see at once why records were not used.
          reasons: result.skipped.slice(0, 5).map((skip) => skip.reason),
        },
        'queue_log backfill after reconnect',
      );
    } catch (err) {
      this.options.status.recordError(
        this.connectionId,
        `queue_log not read (${source.name}): ${(err as Error).message}`,
      );
      this.options.logger.warn(
        { err, connection: this.connectionId, source: source.name },
        'queue_log backfill failed: the queue facts of the gap are missing',
      );
    }
  }
}
