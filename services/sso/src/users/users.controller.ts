import { Body, Controller, Get, HttpCode, HttpStatus, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { TenantId } from '@okc/auth';
import {
  ApiBodyOf,
  ApiIdParam,
  ApiQueryOf,
  ErrorDto,
  IdParams,
  ValidQuery,
  ZodValidationPipe,
} from '@okc/runtime';
import { AdminApi, type AdminCaller, Caller, userIdParamsSchema } from '../admin/admin-http';
import {
  createUserSchema,
  type CreateUserInput,
  listUsersQuerySchema,
  type ListUsersQuery,
  setPasswordSchema,
  type SetPasswordInput,
  toUserDto,
  updateUserSchema,
  type UpdateUserInput,
  UserDto,
  UserListDto,
} from './users.dto';
import { UsersService } from './users.service';

type IdParam = { id: string };

/** The users of the caller's tenant (the token's `tenant`); another tenant's user id answers 404. */
@AdminApi('users')
@Controller('api/v1/sso/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'List and search the tenant’s users' })
  @ApiQueryOf(listUsersQuerySchema)
  @ApiOkResponse({ type: UserListDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: a bad query parameter', type: ErrorDto })
  async list(
    @TenantId() tenantId: string,
    @ValidQuery(listUsersQuerySchema) query: ListUsersQuery,
  ): Promise<UserListDto> {
    const { items, total } = await this.users.list(tenantId, query);
    return { items: items.map(toUserDto), total };
  }

  @Post()
  @ApiOperation({
    summary: 'Create a user',
    description:
      'Emits `user.created` on identity.users.v1. `pbxInterface` defaults to `PJSIP/<extension>`. The password ' +
      'must pass the policy: otherwise 400 VALIDATION_FAILED with `details: [{ field: "password", code, message }]`.',
  })
  @ApiBodyOf(createUserSchema)
  @ApiCreatedResponse({ type: UserDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED naming each bad field', type: ErrorDto })
  @ApiConflictResponse({ description: 'CONFLICT: the login is taken in this tenant', type: ErrorDto })
  async create(
    @TenantId() tenantId: string,
    @Caller() caller: AdminCaller,
    @Body(new ZodValidationPipe(createUserSchema)) body: CreateUserInput,
  ): Promise<UserDto> {
    return toUserDto(await this.users.create(tenantId, caller, body));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user' })
  @ApiIdParam('User id', '0193a9f4-6c1e-7b2a-9d3f-5e8c1a2b3c4d')
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ description: 'No such user in this tenant', type: ErrorDto })
  async get(@TenantId() tenantId: string, @IdParams(userIdParamsSchema) { id }: IdParam): Promise<UserDto> {
    return toUserDto(await this.users.get(tenantId, id));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a user',
    description: '`null` clears email, extension, pbxInterface or locale. Emits `user.updated`.',
  })
  @ApiIdParam('User id', '0193a9f4-6c1e-7b2a-9d3f-5e8c1a2b3c4d')
  @ApiBodyOf(updateUserSchema)
  @ApiOkResponse({ type: UserDto })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED naming each bad field', type: ErrorDto })
  @ApiNotFoundResponse({ description: 'No such user in this tenant', type: ErrorDto })
  @ApiConflictResponse({ description: 'CANNOT_REMOVE_OWN_ADMIN_ROLE', type: ErrorDto })
  async update(
    @TenantId() tenantId: string,
    @Caller() caller: AdminCaller,
    @IdParams(userIdParamsSchema) { id }: IdParam,
    @Body(new ZodValidationPipe(updateUserSchema)) body: UpdateUserInput,
  ): Promise<UserDto> {
    return toUserDto(await this.users.update(tenantId, caller, id, body));
  }

  @Post(':id/deactivate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Deactivate a user: no more sign-ins', description: 'Emits `user.deactivated`.' })
  @ApiIdParam('User id', '0193a9f4-6c1e-7b2a-9d3f-5e8c1a2b3c4d')
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ description: 'No such user in this tenant', type: ErrorDto })
  @ApiConflictResponse({ description: 'CANNOT_DEACTIVATE_SELF', type: ErrorDto })
  async deactivate(
    @TenantId() tenantId: string,
    @Caller() caller: AdminCaller,
    @IdParams(userIdParamsSchema) { id }: IdParam,
  ): Promise<UserDto> {
    return toUserDto(await this.users.setActive(tenantId, caller, id, false));
  }

  @Post(':id/activate')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Re-activate a user', description: 'Emits `user.updated` with `active: true`.' })
  @ApiIdParam('User id', '0193a9f4-6c1e-7b2a-9d3f-5e8c1a2b3c4d')
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ description: 'No such user in this tenant', type: ErrorDto })
  async activate(
    @TenantId() tenantId: string,
    @Caller() caller: AdminCaller,
    @IdParams(userIdParamsSchema) { id }: IdParam,
  ): Promise<UserDto> {
    return toUserDto(await this.users.setActive(tenantId, caller, id, true));
  }

  @Post(':id/password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Set a new password for a user (the password policy applies)' })
  @ApiIdParam('User id', '0193a9f4-6c1e-7b2a-9d3f-5e8c1a2b3c4d')
  @ApiBodyOf(setPasswordSchema)
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED, with the policy codes for `password`',
    type: ErrorDto,
  })
  @ApiNotFoundResponse({ description: 'No such user in this tenant', type: ErrorDto })
  async setPassword(
    @TenantId() tenantId: string,
    @Caller() caller: AdminCaller,
    @IdParams(userIdParamsSchema) { id }: IdParam,
    @Body(new ZodValidationPipe(setPasswordSchema)) body: SetPasswordInput,
  ): Promise<void> {
    await this.users.resetPassword(tenantId, caller, id, body.password);
  }

  @Post(':id/unlock')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Lift a sign-in lockout of the user (after too many wrong passwords)' })
  @ApiIdParam('User id', '0193a9f4-6c1e-7b2a-9d3f-5e8c1a2b3c4d')
  @ApiNoContentResponse({ description: 'Unlocked (also when it was not locked)' })
  @ApiNotFoundResponse({ description: 'No such user in this tenant', type: ErrorDto })
  async unlock(
    @TenantId() tenantId: string,
    @Caller() caller: AdminCaller,
    @IdParams(userIdParamsSchema) { id }: IdParam,
  ): Promise<void> {
    await this.users.unlock(tenantId, caller, id);
  }
}
