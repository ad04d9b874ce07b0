import { Module } from '@nestjs/common';
import { AuditController } from '../audit/audit.controller';
import { ClientsController } from '../clients/clients.controller';
import { ClientsService } from '../clients/clients.service';
import { KeysController } from '../keys/keys.controller';
import { OidcModule } from '../oidc/oidc.module';
import { TenantsController } from '../tenants/tenants.controller';
import { TenantsService } from '../tenants/tenants.service';
import { UsersController } from '../users/users.controller';
import { UsersService } from '../users/users.service';
import { PlatformAdminGuard } from './platform-admin';

/**
 * The identity admin REST API under `/api/v1/sso`: users, clients and audit of the caller's tenant (role
 * `admin`), tenants and signing keys (platform admins). Needs the global modules of AppModule: runtime
 * config, persistence (`TenantRepositories`), messaging (`OutboxWriter`) and auth (the global guard).
 */
@Module({
  imports: [OidcModule],
  controllers: [TenantsController, UsersController, ClientsController, AuditController, KeysController],
  providers: [UsersService, TenantsService, ClientsService, PlatformAdminGuard],
})
export class AdminModule {}
