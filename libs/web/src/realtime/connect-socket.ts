import type { Pinia } from 'pinia';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { useSessionStore } from '../session/session.store';
import { useRealtimeStore } from './realtime.store';

export type SocketFactory = (options: Partial<ManagerOptions & SocketOptions>) => Socket;

export interface ConnectSocketOptions {
  /** socket.io's `io` by default; tests pass a fake. */
  readonly io?: SocketFactory;
  readonly pinia?: Pinia;
  /** The connection's name in the realtime store; the service name by default. */
  readonly name?: string;
}

/** Backoff of socket.io's own reconnection: 1 s doubling up to 15 s, ±50 % jitter, forever. */
export const RECONNECT_OPTIONS = {
  reconnection: true,
  reconnectionDelay: 1000,
  reconnectionDelayMax: 15_000,
  randomizationFactor: 0.5,
} as const;

/**
 * Opens the socket.io connection to a service through the gateway (`/ws/<service>`, path
 * `/ws/<service>/socket.io`, same origin, the session cookie). Lost connections come back by themselves and the
 * layout shows "reconnecting…" meanwhile; a connection the server refuses (the session ended) makes the shell
 * re-check the session, which goes to sign-in on a 401. Close it with `socket.disconnect()`.
 */
export function connectSocket(service: string, options: ConnectSocketOptions = {}): Socket {
  const name = options.name ?? service;
  const realtime = useRealtimeStore(options.pinia);
  const factory: SocketFactory = options.io ?? ((opts) => io(opts));
  const socket = factory({ path: `/ws/${service}/socket.io`, withCredentials: true, ...RECONNECT_OPTIONS });
  realtime.set(name, 'connecting');

  // The server refused or closed the connection, so socket.io will not retry: most likely the session is over.
  const refused = (): void => {
    realtime.set(name, 'disconnected');
    void useSessionStore(options.pinia).load();
  };
  socket.on('connect', () => realtime.set(name, 'connected'));
  socket.on('disconnect', (reason) => {
    if (reason === 'io client disconnect') realtime.forget(name);
    else if (socket.active) realtime.set(name, 'reconnecting');
    else refused();
  });
  socket.on('connect_error', () => {
    if (socket.active) realtime.set(name, 'reconnecting');
    else refused();
  });
  return socket;
}
