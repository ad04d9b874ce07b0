import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { LinkManager } from '../links/link-manager';
import { LinksModule } from '../links/links.module';
import { ModeTicker } from './mode-ticker';
import { ModesController } from './modes.controller';
import { ModesService } from './modes.service';

/** Operating modes per tenant: settings, schedule, manual switches, `mode.changed`, audit. */
@Module({
  imports: [LinksModule],
  controllers: [ModesController],
  providers: [ModesService, ModeTicker],
  exports: [ModesService],
})
export class ModesModule implements OnApplicationBootstrap {
  constructor(
    private readonly links: LinkManager,
    private readonly modes: ModesService,
  ) {}

  /** A PBX that (re)connects gets the current mode again: it may have been switched by hand or restarted. */
  onApplicationBootstrap(): void {
    this.links.onLinkConnected((link) => void this.modes.reapply(link.tenantId).catch(() => undefined));
  }
}
