import type { AmiMessage } from './ami-message';

export type AmiErrorCode =
  /** send() while the client is not logged in. */
  | 'NOT_CONNECTED'
  /** No response within the action's timeout; only that action is rejected. */
  | 'ACTION_TIMEOUT'
  /** The connection was lost (or closed by stop()) before the response came. */
  | 'DISCONNECTED'
  /** Asterisk answered `Response: Error`; `response` holds its message. */
  | 'ACTION_FAILED'
  /** Challenge or Login refused: wrong username or secret, or MD5 not allowed. */
  | 'AUTH_FAILED'
  /** A keep-alive Ping got no Pong in time: the connection was considered dead and closed. */
  | 'PING_TIMEOUT'
  /** TCP connect, banner and login did not complete within connectTimeoutMs. */
  | 'HANDSHAKE_TIMEOUT'
  /** The TCP connection failed or closed with an error. */
  | 'SOCKET_ERROR';

/** Every failure the client reports: rejected promises and `status.lastError`. */
export class AmiError extends Error {
  override readonly name = 'AmiError';

  constructor(
    readonly code: AmiErrorCode,
    message: string,
    /** The server's answer, for ACTION_FAILED and AUTH_FAILED. */
    readonly response: AmiMessage | null = null,
  ) {
    super(message);
  }
}
