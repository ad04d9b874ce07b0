import type { ExtendedError, Socket } from 'socket.io';
import { tenantIdSchema } from '@okc/contracts';
import { parseInput } from '@okc/runtime';
import { TokenRejectedError } from './auth.errors';
import { type AuthPrincipal, hasAnyRole, type Role } from './principal';
import type { TokenVerifier } from './token-verifier';

export type SocketAuthCode = 'UNAUTHORIZED' | 'FORBIDDEN' | 'AUTH_UNAVAILABLE';

export interface SocketAuthErrorData {
  readonly code: SocketAuthCode;
  /** A `TokenRejectionReason`, `missing-token`, `missing-role`, or `internal-error`. */
  readonly reason: string;
  readonly requiredRoles?: readonly string[];
}

/**
 * A refused connection or message. socket.io sends `message` and `data` to the client: a middleware
 * rejection arrives as `connect_error` with `err.data.code`, so the client can tell "sign in again"
 * (`UNAUTHORIZED`) from "try again later" (`AUTH_UNAVAILABLE`).
 */
export class SocketAuthError extends Error implements ExtendedError {
  readonly data: SocketAuthErrorData;

  constructor(code: SocketAuthCode, reason: string, message: string, requiredRoles?: readonly string[]) {
    super(message);
    this.name = 'SocketAuthError';
    this.data = { code, reason, ...(requiredRoles ? { requiredRoles } : {}) };
  }

  static forbidden(requiredRoles: readonly string[]): SocketAuthError {
    return new SocketAuthError(
      'FORBIDDEN',
      'missing-role',
      `Requires one of the roles: ${requiredRoles.join(', ')}`,
      requiredRoles,
    );
  }
}

/** `socket.data` once authenticated; a service's `SocketData` type should include it. */
export interface AuthSocketData {
  principal?: AuthPrincipal;
}

const ROOM_NAME = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The socket.io room of a tenant (`tenant:acme`), or of something inside it (`tenant:acme:wallboard`).
 * Every broadcast goes to such a room, so an event can only reach sockets of its own tenant; the tenant id
 * is validated (it cannot contain `:`), so no tenant's rooms can be named to look like another's.
 */
export function tenantRoom(tenantId: string, name?: string): string {
  const tenant = parseInput(tenantIdSchema, tenantId, 'tenant id');
  if (name === undefined) return `tenant:${tenant}`;
  if (!ROOM_NAME.test(name)) throw new TypeError(`Invalid room name: ${JSON.stringify(name)}`);
  return `tenant:${tenant}:${name}`;
}

export interface SocketAuthOptions {
  /**
   * Disconnect the socket when its token expires (true): a socket would otherwise outlive the token it
   * was accepted with indefinitely. The client sees `disconnect` with reason `io server disconnect` and
   * reconnects with a fresh token (socket.io-client's `auth` may be a callback that fetches one).
   */
  readonly disconnectOnExpiry?: boolean;
}

/** setTimeout's limit; tokens live minutes, this only guards against an absurd `exp`. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * socket.io middleware (`io.use(socketAuthMiddleware(verifier))`, or in a Nest gateway's `afterInit`):
 * accepts a connection only with a valid access token, from `handshake.auth.token` (browsers cannot set
 * headers on a WebSocket) or an `Authorization: Bearer` header. Sets `socket.data.principal` and joins the
 * socket to its tenant's room.
 */
export function socketAuthMiddleware(
  verifier: TokenVerifier,
  options: SocketAuthOptions = {},
): (socket: Socket, next: (err?: ExtendedError) => void) => void {
  const disconnectOnExpiry = options.disconnectOnExpiry ?? true;
  return (socket, next) => {
    void authenticate(verifier, socket, disconnectOnExpiry).then(
      () => next(),
      (error: unknown) => next(toSocketError(error)),
    );
  };
}

async function authenticate(verifier: TokenVerifier, socket: Socket, disconnectOnExpiry: boolean) {
  const token = tokenOf(socket);
  if (token === undefined)
    throw new SocketAuthError('UNAUTHORIZED', 'missing-token', 'An access token is required');
  const principal = await verifier.verify(token);
  (socket.data as AuthSocketData).principal = principal;
  await socket.join(tenantRoom(principal.tenantId));
  if (disconnectOnExpiry) {
    const timer = setTimeout(
      () => socket.disconnect(true),
      Math.min(Math.max(principal.expiresAt.getTime() - Date.now(), 0), MAX_TIMER_MS),
    );
    timer.unref();
    socket.once('disconnect', () => clearTimeout(timer));
  }
}

function tokenOf(socket: Socket): string | undefined {
  const auth = socket.handshake.auth as Record<string, unknown> | undefined;
  const fromAuth = auth?.['token'];
  if (typeof fromAuth === 'string' && fromAuth.length > 0) return fromAuth.replace(/^Bearer\s+/i, '');
  const header = socket.handshake.headers.authorization;
  return header === undefined ? undefined : /^Bearer\s+(\S+)$/i.exec(header)?.[1];
}

function toSocketError(error: unknown): SocketAuthError {
  if (error instanceof SocketAuthError) return error;
  if (error instanceof TokenRejectedError) {
    if (error.reason === 'issuer-unreachable') {
      return new SocketAuthError(
        'AUTH_UNAVAILABLE',
        error.reason,
        'The identity provider cannot be reached to check the access token; try again shortly',
      );
    }
    return new SocketAuthError('UNAUTHORIZED', error.reason, error.message);
  }
  // Not the token's fault (joining the room failed): the client should retry, not sign in again.
  return new SocketAuthError(
    'AUTH_UNAVAILABLE',
    'internal-error',
    'The connection cannot be authenticated now',
  );
}

/** The principal of an authenticated socket; throws `SocketAuthError` `UNAUTHORIZED` otherwise. */
export function socketPrincipal(socket: Pick<Socket, 'data'>): AuthPrincipal {
  const principal = (socket.data as AuthSocketData).principal;
  if (!principal) throw new SocketAuthError('UNAUTHORIZED', 'missing-token', 'Not authenticated');
  return principal;
}

/**
 * In a socket event handler: the socket's principal when it has one of `roles` (any-of), otherwise
 * throws `SocketAuthError` `FORBIDDEN` (or `UNAUTHORIZED` for a socket that never authenticated).
 */
export function assertSocketRole(socket: Pick<Socket, 'data'>, ...roles: Role[]): AuthPrincipal {
  const principal = socketPrincipal(socket);
  if (!hasAnyRole(principal, roles)) throw SocketAuthError.forbidden(roles);
  return principal;
}
