import { Module } from '@nestjs/common';
import { ConnectionStatusRegistry } from './connection-status';
import { ConnectionsController } from './connections.controller';
import { ConnectionsService } from './connections.service';

/** A tenant's PBX connections: REST, sealed secrets, live status. */
@Module({
  controllers: [ConnectionsController],
  providers: [
    ConnectionsService,
    { provide: ConnectionStatusRegistry, useValue: new ConnectionStatusRegistry() },
  ],
  exports: [ConnectionsService, ConnectionStatusRegistry],
})
export class ConnectionsModule {}
