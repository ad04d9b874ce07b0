import { Injectable } from '@nestjs/common';
import { acrossTenants } from '@okc/persistence';
import { DataSource } from 'typeorm';
import { Tenant } from '../tenants/tenant.entity';
import { User } from './user.entity';

/** The read side of users for signing in and for token claims (the admin API has its own service). */
@Injectable()
export class AccountsService {
  constructor(private readonly dataSource: DataSource) {}

  findTenant(tenantId: string): Promise<Tenant | null> {
    return this.dataSource.getRepository(Tenant).findOneBy({ id: tenantId });
  }

  findByLogin(tenantId: string, login: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOneBy({ tenantId, login });
  }

  /** By OIDC subject: a `sub` is unique per issuer, so the lookup needs no tenant. */
  findBySubject(sub: string): Promise<User | null> {
    return acrossTenants(this.dataSource.getRepository(User), 'OIDC sub is unique per issuer').findOneBy({
      id: sub,
    });
  }

  async recordSignIn(user: User, newPasswordHash?: string): Promise<void> {
    await this.dataSource
      .getRepository(User)
      .update(
        { id: user.id, tenantId: user.tenantId },
        { lastLoginAt: new Date(), ...(newPasswordHash ? { passwordHash: newPasswordHash } : {}) },
      );
  }
}
