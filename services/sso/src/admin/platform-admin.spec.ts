import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type AuthPrincipal, ROLES_KEY } from '@okc/auth';
import type { SsoConfig } from '../config';
import { isPlatformAdmin, NotPlatformAdminError, PlatformAdmin, PlatformAdminGuard } from './platform-admin';

const principal = (over: Partial<AuthPrincipal> = {}): AuthPrincipal => ({
  subject: 'u-1',
  tenantId: 'platform',
  roles: ['admin'],
  kind: 'user',
  scope: [],
  expiresAt: new Date(0),
  ...over,
});

const contextWith = (user: AuthPrincipal | undefined): ExecutionContext =>
  ({ switchToHttp: () => ({ getRequest: () => ({ user }) }) }) as unknown as ExecutionContext;

describe('platform admin', () => {
  it('is role admin in the platform tenant, as a person', () => {
    expect(isPlatformAdmin(principal(), 'platform')).toBe(true);
    expect(isPlatformAdmin(principal({ roles: ['operator', 'admin'] }), 'platform')).toBe(true);
  });

  it('is not an admin of another tenant, a non-admin of the platform, a client, or nobody', () => {
    expect(isPlatformAdmin(principal({ tenantId: 'demo' }), 'platform')).toBe(false);
    expect(isPlatformAdmin(principal({ roles: ['supervisor'] }), 'platform')).toBe(false);
    expect(isPlatformAdmin(principal({ kind: 'client' }), 'platform')).toBe(false);
    expect(isPlatformAdmin(undefined, 'platform')).toBe(false);
  });

  it('follows SSO_PLATFORM_TENANT', () => {
    expect(isPlatformAdmin(principal({ tenantId: 'ops' }), 'ops')).toBe(true);
    expect(isPlatformAdmin(principal(), 'ops')).toBe(false);
  });

  it('the guard answers 403 FORBIDDEN to a tenant admin and lets the platform admin through', () => {
    const guard = new PlatformAdminGuard({ SSO_PLATFORM_TENANT: 'platform' } as SsoConfig);
    expect(guard.canActivate(contextWith(principal()))).toBe(true);
    expect(() => guard.canActivate(contextWith(principal({ tenantId: 'demo' })))).toThrow(
      NotPlatformAdminError,
    );
    expect(new NotPlatformAdminError()).toMatchObject({ code: 'FORBIDDEN', status: 403 });
  });

  it('@PlatformAdmin() also requires role admin (checked by the global guard) and installs the guard', () => {
    @PlatformAdmin()
    class Target {}
    expect(new Reflector().get(ROLES_KEY, Target)).toEqual(['admin']);
    expect(Reflect.getMetadata('__guards__', Target)).toEqual([PlatformAdminGuard]);
  });
});
