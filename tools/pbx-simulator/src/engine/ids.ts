import type { Prng } from './prng';

/**
 * Names and ids the way Asterisk makes them: Uniqueid `<epoch seconds>.<global sequence>`, channel names
 * `<tech>/<resource>-<8 hex digits>` with one sequence per technology, bridge ids as UUIDs.
 */
export class IdFactory {
  private uniqueSeq: number;
  private readonly techSeq = new Map<string, number>();

  constructor(
    private readonly prng: Prng,
    firstSequence = 1,
  ) {
    this.uniqueSeq = firstSequence;
  }

  uniqueid(micros: number): string {
    return `${Math.floor(micros / 1e6)}.${this.uniqueSeq++}`;
  }

  /** `PJSIP/trunk-0000002a`. */
  pjsip(endpoint: string): string {
    return this.channel('PJSIP', endpoint);
  }

  /** `<tech>/<resource>-<seq>` for any technology but Local. */
  channel(tech: string, resource: string): string {
    return `${tech}/${resource}-${this.next(tech)}`;
  }

  /** Both halves of a Local channel: `Local/101@agents-00000036;1` and `;2`. */
  local(exten: string, context: string): { one: string; two: string } {
    const base = `Local/${exten}@${context}-${this.next('Local')}`;
    return { one: `${base};1`, two: `${base};2` };
  }

  bridgeId(): string {
    return this.prng.uuid();
  }

  private next(tech: string): string {
    const n = this.techSeq.get(tech) ?? 1;
    this.techSeq.set(tech, n + 1);
    return n.toString(16).padStart(8, '0');
  }
}
