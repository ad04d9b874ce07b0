import { HttpStatus } from '@nestjs/common';
import type { AuthPrincipal } from '../principal';
import { assertOwnTenant, OtherTenantError, Roles, ROLES_KEY } from './auth.decorators';
import { whoamiControllerFor } from './whoami.controller';

const principal: AuthPrincipal = {
  subject: 'u-1',
  tenantId: 'acme',
  roles: ['operator'],
  kind: 'user',
  scope: [],
  expiresAt: new Date(),
};

describe('assertOwnTenant', () => {
  it("passes the token's own tenant", () => {
    expect(assertOwnTenant(principal, 'acme')).toBe('acme');
  });

  it.each([['globex'], [undefined], ['ACME']])('answers 404 for %p', (tenantId) => {
    expect(() => assertOwnTenant(principal, tenantId)).toThrow(OtherTenantError);
    expect(new OtherTenantError().status).toBe(HttpStatus.NOT_FOUND);
  });
});

describe('@Roles', () => {
  it('records the roles on the handler', () => {
    class Controller {
      @Roles('supervisor', 'admin')
      handler(): void {}
    }
    expect(Reflect.getMetadata(ROLES_KEY, Controller.prototype.handler)).toEqual(['supervisor', 'admin']);
  });
});

describe('whoamiControllerFor', () => {
  it('mounts under the prefix it is given and answers the principal', () => {
    const Controller = whoamiControllerFor('api/v1/focus');
    expect(Reflect.getMetadata('path', Controller)).toBe('api/v1/focus');
    expect(new Controller().whoami(principal)).toBe(principal);
  });
});
