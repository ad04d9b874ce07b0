import { Module } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { SigningKeysService } from '../keys/signing-keys.service';
import { InteractionController } from '../login/interaction.controller';
import { SignInService } from '../login/sign-in.service';
import { AccountsService } from '../users/accounts.service';
import { OidcHostService } from './oidc-host.service';

/** The OpenID provider, its keys and its sign-in pages. */
@Module({
  controllers: [InteractionController],
  providers: [OidcHostService, SigningKeysService, AccountsService, SignInService, AuditService],
  exports: [OidcHostService, SigningKeysService, AccountsService, SignInService, AuditService],
})
export class OidcModule {}
