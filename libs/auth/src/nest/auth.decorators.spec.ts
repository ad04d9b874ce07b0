import { Controller, Get, HttpStatus, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule, DocumentBuilder } from '@nestjs/swagger';
import type { AuthPrincipal } from '../principal';
import { assertOwnTenant, OtherTenantError, Roles, ROLES_EXTENSION, ROLES_KEY } from './auth.decorators';
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

  it("lists the roles in the OpenAPI document, the handler's replacing the controller's", async () => {
    @Roles('supervisor')
    @Controller('api/v1/x')
    class ItemsController {
      @Get('items')
      list(): void {}

      @Roles('integrator', 'admin')
      @Get('export')
      export(): void {}
    }
    @Controller('api/v1/x')
    class OpenController {
      @Get('open')
      open(): void {}
    }
    @Module({ controllers: [ItemsController, OpenController] })
    class DocsModule {}
    const app = await NestFactory.create(DocsModule, { logger: false });
    try {
      const doc = SwaggerModule.createDocument(app, new DocumentBuilder().build());
      const extension = (path: string) =>
        (doc.paths[path]?.get as Record<string, unknown> | undefined)?.[ROLES_EXTENSION];
      expect(extension('/api/v1/x/items')).toEqual(['supervisor']);
      expect(extension('/api/v1/x/export')).toEqual(['integrator', 'admin']);
      expect(doc.paths['/api/v1/x/open']?.get).toBeDefined();
      expect(extension('/api/v1/x/open')).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});

describe('whoamiControllerFor', () => {
  it('mounts under the prefix it is given and answers the principal', () => {
    const Controller = whoamiControllerFor('api/v1/focus');
    expect(Reflect.getMetadata('path', Controller)).toBe('api/v1/focus');
    expect(new Controller().whoami(principal)).toBe(principal);
  });
});
