import { Module } from '@nestjs/common';
import { ConnectionsModule } from '../connections/connections.module';
import { LookupModule } from '../lookup/lookup.module';
import { MODE_APPLIER } from '../modes/modes.service';
import { AmiModeApplier } from './ami-mode-applier';
import { FactWriter } from './fact-writer';
import { LinkManager } from './link-manager';

/** The live side: one AMI link per enabled connection, and the once-only writing of their facts. */
@Module({
  imports: [ConnectionsModule, LookupModule],
  providers: [
    FactWriter,
    LinkManager,
    AmiModeApplier,
    { provide: MODE_APPLIER, useExisting: AmiModeApplier },
  ],
  exports: [FactWriter, LinkManager, AmiModeApplier, MODE_APPLIER],
})
export class LinksModule {}
