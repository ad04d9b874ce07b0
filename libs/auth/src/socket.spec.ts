import { ValidationFailedError } from '@okc/runtime';
import type { AuthPrincipal } from './principal';
import { assertSocketRole, SocketAuthError, socketPrincipal, tenantRoom } from './socket';

const principal: AuthPrincipal = {
  subject: 'u-1',
  tenantId: 'acme',
  roles: ['supervisor'],
  kind: 'user',
  scope: [],
  expiresAt: new Date(Date.now() + 60_000),
};

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

describe('tenantRoom', () => {
  it('names the room of a tenant, and of something inside it', () => {
    expect(tenantRoom('acme')).toBe('tenant:acme');
    expect(tenantRoom('acme', 'wallboard')).toBe('tenant:acme:wallboard');
    expect(tenantRoom('acme', 'queue:support')).toBe('tenant:acme:queue:support');
  });

  it.each([[''], ['Acme'], ['acme:other'], ['a b']])('refuses the tenant id %p', (tenantId) => {
    expect(thrown(() => tenantRoom(tenantId))).toBeInstanceOf(ValidationFailedError);
  });

  it.each([[''], ['has space'], ['x'.repeat(129)]])('refuses the room name %p', (name) => {
    expect(thrown(() => tenantRoom('acme', name))).toBeInstanceOf(TypeError);
  });
});

describe('assertSocketRole', () => {
  it('returns the principal when it has one of the roles', () => {
    expect(assertSocketRole({ data: { principal } }, 'admin', 'supervisor')).toBe(principal);
  });

  it('throws FORBIDDEN naming the roles otherwise', () => {
    const error = thrown(() => assertSocketRole({ data: { principal } }, 'admin'));
    expect(error).toBeInstanceOf(SocketAuthError);
    expect((error as SocketAuthError).data).toEqual({
      code: 'FORBIDDEN',
      reason: 'missing-role',
      requiredRoles: ['admin'],
    });
  });

  it('throws UNAUTHORIZED for a socket that never authenticated', () => {
    expect((thrown(() => socketPrincipal({ data: {} })) as SocketAuthError).data).toEqual({
      code: 'UNAUTHORIZED',
      reason: 'missing-token',
    });
  });
});
