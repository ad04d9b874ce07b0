import { Controller, Get, Header, Query, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PublicRoute } from '@okc/runtime';
import type { Request } from 'express';
import '../bff/session-data';
import { renderLanding } from './landing.page';

/** `/`: the signed-in user and the applications their roles open, or a sign-in link. */
@ApiExcludeController()
@PublicRoute()
@Controller()
export class LandingController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  landing(@Req() req: Request, @Query('signin') signin?: string): string {
    const user = req.session?.okc?.user;
    return renderLanding({ ...(user ? { user } : {}), signInFailed: signin === 'failed' });
  }
}
