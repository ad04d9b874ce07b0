import { Module } from '@nestjs/common';
import { OutboundHttpModule } from '../http/outbound-http.module';
import { HttpJsonLookupRunner } from './http-json-lookup.runner';
import { LookupService } from './lookup.service';
import { LookupConnectorsService } from './lookup-connectors.service';
import { LookupsController } from './lookups.controller';
import { MysqlLookupRunner } from './mysql-lookup.runner';

/** Caller lookup in third-party systems: per-tenant connectors (REST) and LookupService for the screen pop. */
@Module({
  imports: [OutboundHttpModule],
  controllers: [LookupsController],
  providers: [LookupConnectorsService, LookupService, HttpJsonLookupRunner, MysqlLookupRunner],
  exports: [LookupService],
})
export class LookupModule {}
