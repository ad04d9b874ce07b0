// Config
export { authConfigSchema, type AuthConfig } from './auth.config';

// Verification (no Nest dependency)
export {
  ALLOWED_ALGORITHMS,
  TokenVerifier,
  verifierOptionsFromConfig,
  type TokenVerifierOptions,
  type VerificationOutcome,
} from './token-verifier';
export { type AuthPrincipal, hasAnyRole, isRole, type Role } from './principal';
export {
  AuthUnavailableError,
  MissingRoleError,
  TOKEN_REJECTION_REASONS,
  TokenRejectedError,
  UnauthorizedError,
  type TokenRejectionReason,
  type UnauthorizedReason,
} from './auth.errors';
export { issuerFetch, rewriteUrl, type IssuerFetch } from './issuer-fetch';

// NestJS
export { AuthModule, TOKEN_VERIFICATIONS_METRIC } from './nest/auth.module';
export { OkcAuthGuard } from './nest/auth.guard';
export { BearerStrategy, OKC_JWT_STRATEGY } from './nest/bearer.strategy';
export {
  assertOwnTenant,
  CurrentUser,
  OtherTenantError,
  Public,
  Roles,
  ROLES_EXTENSION,
  ROLES_KEY,
  TenantId,
  TenantParam,
} from './nest/auth.decorators';
export { PrincipalDto, whoamiControllerFor } from './nest/whoami.controller';
export { AUTH_REALM, bearerChallenge } from './nest/www-authenticate';

// socket.io
export {
  assertSocketRole,
  SocketAuthError,
  socketAuthMiddleware,
  socketPrincipal,
  tenantRoom,
  type AuthSocketData,
  type SocketAuthCode,
  type SocketAuthErrorData,
  type SocketAuthOptions,
} from './socket';
