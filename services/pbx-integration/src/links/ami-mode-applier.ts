import { Inject, Injectable } from '@nestjs/common';
import { ROOT_LOGGER } from '@okc/runtime';
import type { Logger } from 'pino';
import type { ModeDefinition } from '../modes/mode-schedule';
import type { ModeApplier, ModeApplyResult } from '../modes/modes.service';
import { LinkManager } from './link-manager';
import type { PbxLink } from './pbx-link';

/**
 * Pushes an operating mode to a tenant's Asterisk the way FreePBX's day/night module does: for each toggle,
 * `DBPut DAYNIGHT/C<n> = DAY|NIGHT` (what the dialplan branches on) and `Setvar DEVICE_STATE(Custom:DAYNIGHT<n>)`
 * = NOT_INUSE|INUSE (the BLF on the phones), then reads the value back with `DBGet` to confirm it took.
 */
@Injectable()
export class AmiModeApplier implements ModeApplier {
  private readonly results = new Map<string, ModeApplyResult[]>();

  constructor(
    private readonly links: LinkManager,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async apply(tenantId: string, mode: ModeDefinition): Promise<void> {
    const links = this.links.linksOf(tenantId);
    if (links.length === 0) {
      this.results.set(tenantId, []);
      throw new Error('no connected PBX for this tenant: the mode is applied when one connects');
    }
    const results = await Promise.all(links.map((link) => this.applyTo(link, mode)));
    this.results.set(tenantId, results);
    const failed = results.filter((r) => !r.applied);
    if (failed.length > 0) throw new Error(failed.map((r) => r.error).join('; '));
  }

  /** What happened when the mode was last pushed to each of the tenant's PBXes. */
  lastResults(tenantId: string): ModeApplyResult[] {
    return this.results.get(tenantId) ?? [];
  }

  async applyTo(link: PbxLink, mode: ModeDefinition): Promise<ModeApplyResult> {
    const readBack: Record<string, string | null> = {};
    try {
      for (const { index, value } of mode.daynight) {
        await link.send({ Action: 'DBPut', Family: 'DAYNIGHT', Key: `C${index}`, Val: value });
        await link.send({
          Action: 'Setvar',
          Variable: `DEVICE_STATE(Custom:DAYNIGHT${index})`,
          Value: value === 'NIGHT' ? 'INUSE' : 'NOT_INUSE',
        });
        readBack[`C${index}`] = await link.readDb('DAYNIGHT', `C${index}`);
      }
      const wrong = mode.daynight.filter(({ index, value }) => readBack[`C${index}`] !== value);
      const result: ModeApplyResult = {
        connectionId: link.connectionId,
        mode: mode.name,
        applied: wrong.length === 0,
        readBack,
        error: wrong.length
          ? `the PBX reads back ${wrong.map((w) => `C${w.index}=${readBack[`C${w.index}`]}`).join(', ')}`
          : null,
        at: new Date().toISOString(),
      };
      this.logger.info(
        { connection: link.connectionId, mode: mode.name, readBack },
        'operating mode pushed to the PBX',
      );
      return result;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.logger.warn(
        { connection: link.connectionId, mode: mode.name, err: message },
        'operating mode not pushed',
      );
      return {
        connectionId: link.connectionId,
        mode: mode.name,
        applied: false,
        readBack,
        error: message,
        at: new Date().toISOString(),
      };
    }
  }
}
