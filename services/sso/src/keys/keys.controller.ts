import { Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty } from '@nestjs/swagger';
import { TenantId } from '@okc/auth';
import { AdminApi, type AdminCaller, Caller } from '../admin/admin-http';
import { AuditService } from '../audit/audit.service';
import { OidcHostService } from '../oidc/oidc-host.service';
import { KEY_STATES, type KeyState } from './signing-key.entity';
import { type KeyInfo, SigningKeysService } from './signing-keys.service';

/** A signing key as admins see it: never the private (or even the public) key material. */
export class KeyDto {
  @ApiProperty({ example: 'k-2025-11-27-3f9a' })
  kid!: string;

  @ApiProperty({ example: 'RS256' })
  alg!: string;

  @ApiProperty({
    enum: KEY_STATES,
    description:
      '`next`: published, not signing yet; `current`: signs; `retired`: published until it expires.',
  })
  state!: KeyState;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  activatedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  retiredAt!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When a retired key leaves JWKS.',
  })
  expiresAt!: string | null;
}

export class KeyListDto {
  @ApiProperty({ type: [KeyDto] })
  items!: KeyDto[];
}

export class RotationDto {
  @ApiProperty({ description: 'The kid that signs from now on.' })
  current!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The kid that signed until now.' })
  retired!: string | null;

  @ApiProperty({ description: 'The kid published now to sign at the next rotation.' })
  next!: string;
}

export function toKeyDto(key: KeyInfo): KeyDto {
  return {
    kid: key.kid,
    alg: key.alg,
    state: key.state,
    createdAt: key.createdAt.toISOString(),
    activatedAt: key.activatedAt?.toISOString() ?? null,
    retiredAt: key.retiredAt?.toISOString() ?? null,
    expiresAt: key.expiresAt?.toISOString() ?? null,
  };
}

/** Token signing keys: platform admins only. */
@AdminApi('keys', 'platform')
@Controller('api/v1/sso/keys')
export class KeysController {
  constructor(
    private readonly keys: SigningKeysService,
    private readonly host: OidcHostService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The signing keys and their states' })
  @ApiOkResponse({ type: KeyListDto })
  async list(): Promise<KeyListDto> {
    return { items: (await this.keys.list()).map(toKeyDto) };
  }

  @Post('rotate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Rotate now: the published `next` key starts signing, the current one retires',
    description:
      'This instance signs with the new key at once; other instances pick it up at their next key reload ' +
      '(SSO_KEY_RELOAD_MS). Tokens signed with the retired key stay valid until they expire.',
  })
  @ApiOkResponse({ type: RotationDto })
  async rotate(@TenantId() tenantId: string, @Caller() caller: AdminCaller): Promise<RotationDto> {
    const result = await this.keys.rotate(`admin: ${caller.actor.label ?? caller.subject}`);
    // Recorded before the reload: the rotation has happened even if rebuilding the provider fails here.
    await this.audit.record({
      tenantId,
      type: 'keys.rotated',
      actor: caller.actor,
      subject: { type: 'keys', id: result.current },
      origin: caller.origin,
      reason: 'manual',
      before: { current: result.retired },
      after: { current: result.current, next: result.next },
    });
    await this.host.reload();
    return result;
  }
}
