import { hasAnyRole, principalFromClaims, type AuthPrincipal } from './principal';

const claims = {
  sub: 'u-1',
  tenant: 'acme',
  roles: ['operator'],
  exp: 1_900_000_000,
};

function principal(extra: Record<string, unknown> = {}): AuthPrincipal {
  const result = principalFromClaims({ ...claims, ...extra });
  if (!result.ok) throw new Error(`invalid claims: ${result.claims.join(', ')}`);
  return result.principal;
}

describe('principalFromClaims', () => {
  it('maps the claims', () => {
    expect(
      principal({
        name: 'Irina',
        preferred_username: 'irina',
        client_id: 'okc-web',
        jti: 'j-1',
        scope: 'openid  profile',
      }),
    ).toEqual({
      subject: 'u-1',
      tenantId: 'acme',
      roles: ['operator'],
      name: 'Irina',
      username: 'irina',
      clientId: 'okc-web',
      kind: 'user',
      scope: ['openid', 'profile'],
      tokenId: 'j-1',
      expiresAt: new Date(1_900_000_000_000),
    });
  });

  it('is a client when sub is the client id', () => {
    expect(principal({ sub: 'crm', client_id: 'crm', roles: ['integrator'] })).toMatchObject({
      kind: 'client',
      roles: ['integrator'],
    });
  });

  it('keeps only known roles, once each', () => {
    expect(principal({ roles: ['admin', 'superuser', 42, 'admin', 'manager'] }).roles).toEqual([
      'admin',
      'manager',
    ]);
  });

  it('ignores malformed optional claims', () => {
    const p = principal({ name: 7, preferred_username: '', scope: ['openid'] });
    expect(p).not.toHaveProperty('name');
    expect(p).not.toHaveProperty('username');
    expect(p.scope).toEqual([]);
  });

  it('names the required claims that are missing or invalid', () => {
    expect(principalFromClaims({ sub: '', tenant: 'ACME', exp: 'soon' })).toEqual({
      ok: false,
      claims: ['sub', 'tenant', 'roles', 'exp'],
    });
  });
});

describe('hasAnyRole', () => {
  const p = principal({ roles: ['supervisor'] });

  it('needs one of the roles', () => {
    expect(hasAnyRole(p, ['admin', 'supervisor'])).toBe(true);
    expect(hasAnyRole(p, ['admin'])).toBe(false);
  });

  it('lets any principal in when no role is asked', () => {
    expect(hasAnyRole(p, [])).toBe(true);
  });
});
