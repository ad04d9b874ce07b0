import type { CanonicalFact } from '../normalizer/facts';
import { CallRebuilder } from './queue-log-calls';
import type { AgentRef, ImportContext } from './queue-log-context';
import { MemberRebuilder } from './queue-log-members';
import { isIgnoredEvent, type QueueLogRecord, type QueueLogSkip } from './queue-log-parser';

export interface QueueLogImportOptions {
  readonly tenantId: string;
  /** The tenant's PBX connection: carried in every fact. */
  readonly connectionId: string;
  /**
   * Return only facts dated at or after this instant. Earlier records are still read: they give the visit
   * ordinals and open queue stays of calls that go on into the window, so feed records from well before it.
   */
  readonly since?: Date;
  /** Return only facts dated before this instant. */
  readonly until?: Date;
  /** Member name (AGENT column) → interface, for members with a name (`Agent 101` → `Local/101@agents/n`). */
  readonly agentMap?: ReadonlyMap<string, string>;
  /** Caller Uniqueid (CALLID column) → call id (Linkedid), where they differ and AMI saw the pair. */
  readonly callIdMap?: ReadonlyMap<string, string>;
  /**
   * The calls with a channel up on the PBX at an instant (Linkedids and Uniqueids from CoreShowChannels, read
   * just before the records): a call of the records that left its queues for the dialplan and is no longer
   * live ended unseen, and gets its call.ended (see README.md). Without it, only ends queue_log states are built.
   */
  readonly live?: { readonly callIds: ReadonlySet<string>; readonly at: Date };
  /** The OKC user behind an interface (agentUserId), as the normalizer's `resolveAgent`. Default: null. */
  readonly resolveAgent?: (agentInterface: string) => string | null;
}

export interface QueueLogImportCounts {
  readonly records: number;
  /** Facts returned. */
  readonly facts: number;
  /** Records not used (see `skipped`). */
  readonly skipped: number;
  /** Records of events that make no fact, by event (QUEUESTART, DID, RINGCANCELED, a covered PAUSEALL…). */
  readonly ignored: Readonly<Record<string, number>>;
  /** Records that said nothing new: a member state already known, a fact already built (a repeated line). */
  readonly unchanged: number;
  /** Facts built but dated outside [since, until). */
  readonly outsideWindow: number;
  /** Facts returned, by type. */
  readonly byType: Readonly<Record<string, number>>;
}

export interface QueueLogImport {
  /** In time order (ties in record order; a call.ended after the facts of its instant). */
  readonly facts: CanonicalFact[];
  readonly skipped: QueueLogSkip[];
  readonly counts: QueueLogImportCounts;
}

/** Channel technologies whose AGENT column is already an interface. */
const INTERFACE = /^(?:SIP|PJSIP|Local|IAX2|DAHDI)\//;

/**
 * Rebuilds the canonical facts of an Asterisk queue_log, with their original times and the factKeys the AMI
 * normalizer gives the same happenings, so the service can drop what AMI already delivered
 * (`dedupeAgainst`). Pure and deterministic: same records and options in, same result out. Records are taken
 * in the given order (the order Asterisk wrote them). See README.md for what queue_log cannot rebuild.
 */
export function importQueueLog(
  records: readonly QueueLogRecord[],
  options: QueueLogImportOptions,
): QueueLogImport {
  if (!options.tenantId) throw new Error('importQueueLog: tenantId is required');
  if (!options.connectionId) throw new Error('importQueueLog: connectionId is required');
  return new ImportRun(options).run(records);
}

class ImportRun implements ImportContext {
  readonly tenantId: string;
  readonly connectionId: string;
  private readonly calls: CallRebuilder;
  private readonly members: MemberRebuilder;
  private readonly built: { ms: number; fact: CanonicalFact }[] = [];
  private readonly factKeys = new Set<string>();
  private readonly skipped: QueueLogSkip[] = [];
  private readonly ignored: Record<string, number> = {};
  /** Interface → member name, from agentMap: the name of a member whose row gives only its interface. */
  private readonly memberNames = new Map<string, string>();
  private unchangedCount = 0;

  constructor(private readonly options: QueueLogImportOptions) {
    this.tenantId = options.tenantId;
    this.connectionId = options.connectionId;
    this.calls = new CallRebuilder(this, options.callIdMap);
    this.members = new MemberRebuilder(this);
    for (const [name, iface] of options.agentMap ?? []) {
      if (!this.memberNames.has(iface)) this.memberNames.set(iface, name);
    }
  }

  run(records: readonly QueueLogRecord[]): QueueLogImport {
    records.forEach((record, index) => this.apply(record, records, index));
    this.calls.finish(this.options.live);
    this.built.sort((a, b) => a.ms - b.ms); // stable: ties keep the order they were built in
    const since = this.options.since?.getTime() ?? Number.NEGATIVE_INFINITY;
    const until = this.options.until?.getTime() ?? Number.POSITIVE_INFINITY;
    const facts = this.built.filter((b) => b.ms >= since && b.ms < until).map((b) => b.fact);
    const byType: Record<string, number> = {};
    for (const fact of facts) byType[fact.type] = (byType[fact.type] ?? 0) + 1;
    return {
      facts,
      skipped: this.skipped,
      counts: {
        records: records.length,
        facts: facts.length,
        skipped: this.skipped.length,
        ignored: this.ignored,
        unchanged: this.unchangedCount,
        outsideWindow: this.built.length - facts.length,
        byType,
      },
    };
  }

  private apply(r: QueueLogRecord, records: readonly QueueLogRecord[], index: number): void {
    const event = r.event;
    if (isIgnoredEvent(event)) {
      if (event === 'DID') this.calls.did(r);
      return this.ignore(event);
    }
    switch (event) {
      case 'ENTERQUEUE':
        return this.calls.enterQueue(r);
      case 'CONNECT':
        return this.calls.connect(r);
      case 'COMPLETEAGENT':
      case 'COMPLETECALLER':
        return this.calls.complete(r);
      case 'ABANDON':
      case 'EXITEMPTY':
      case 'EXITWITHTIMEOUT':
      case 'EXITWITHKEY':
      case 'WITHDRAW':
        return this.calls.exit(r, event);
      case 'RINGNOANSWER':
        return this.calls.ringNoAnswer(r);
      case 'TRANSFER':
      case 'BLINDTRANSFER':
        return this.calls.transfer(r, false);
      case 'ATTENDEDTRANSFER':
        return this.calls.transfer(r, true);
      case 'PAUSE':
      case 'UNPAUSE':
        return this.members.paused(r, event === 'PAUSE');
      case 'PAUSEALL':
      case 'UNPAUSEALL':
        return this.members.pauseAll(r, event === 'PAUSEALL', records, index);
      case 'ADDMEMBER':
      case 'REMOVEMEMBER':
        return this.members.presence(r, event === 'ADDMEMBER');
    }
  }

  // --- ImportContext -----------------------------------------------------------------------------------

  push(ms: number, fact: CanonicalFact): void {
    if (this.factKeys.has(fact.factKey)) return this.unchanged();
    this.factKeys.add(fact.factKey);
    this.built.push({ ms, fact });
  }

  skip(r: QueueLogRecord, reason: string): void {
    this.skipped.push({
      ...(r.line === undefined ? {} : { line: r.line }),
      ...(r.rowId === undefined ? {} : { rowId: r.rowId }),
      reason,
    });
  }

  ignore(event: string): void {
    this.ignored[event] = (this.ignored[event] ?? 0) + 1;
  }

  unchanged(): void {
    this.unchangedCount += 1;
  }

  /**
   * The AGENT column as an interface: through agentMap first, else as it is when it looks like one. Asterisk
   * writes the member name there for call and PAUSE rows (the interface when the member has no name), the
   * interface for PAUSEALL, and for ADDMEMBER / REMOVEMEMBER unless `log_membername_as_agent = yes`.
   */
  agentOf(r: QueueLogRecord): AgentRef | null {
    const column = r.agent;
    if (!column || column === 'NONE') return null;
    const mapped = this.options.agentMap?.get(column);
    const iface = mapped ?? (INTERFACE.test(column) ? column : null);
    if (!iface || iface.length > 128) return null;
    return { iface, memberName: mapped ? column.slice(0, 128) : (this.memberNames.get(iface) ?? null) };
  }

  userOf(iface: string): string | null {
    return this.options.resolveAgent?.(iface) ?? null;
  }
}
