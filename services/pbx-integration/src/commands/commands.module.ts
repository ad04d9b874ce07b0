import { Module } from '@nestjs/common';
import { LinksModule } from '../links/links.module';
import { ModesModule } from '../modes/modes.module';
import { CommandsController } from './commands.controller';
import { CommandsService } from './commands.service';

/** PBX commands: from Kafka (OKC's own) and click-to-call over REST (integrators), executed through AMI. */
@Module({
  imports: [LinksModule, ModesModule],
  controllers: [CommandsController],
  providers: [CommandsService],
})
export class CommandsModule {}
