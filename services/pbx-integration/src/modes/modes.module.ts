import { Module } from '@nestjs/common';
import { ModeTicker } from './mode-ticker';
import { ModesController } from './modes.controller';
import { ModesService } from './modes.service';

/** Operating modes per tenant: settings, schedule, manual switches, `mode.changed`, audit. */
@Module({
  controllers: [ModesController],
  providers: [ModesService, ModeTicker],
  exports: [ModesService],
})
export class ModesModule {}
