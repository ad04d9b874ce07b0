import { Module } from '@nestjs/common';
import { ConnectionsModule } from '../connections/connections.module';
import { FactWriter } from './fact-writer';
import { LinkManager } from './link-manager';

/** The live side: one AMI link per enabled connection, and the once-only writing of their facts. */
@Module({
  imports: [ConnectionsModule],
  providers: [FactWriter, LinkManager],
  exports: [FactWriter, LinkManager],
})
export class LinksModule {}
