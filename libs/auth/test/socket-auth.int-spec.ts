import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { startTestIssuer, type TestIssuer } from '../src/testing';
import {
  assertSocketRole,
  type AuthSocketData,
  SocketAuthError,
  socketAuthMiddleware,
  type SocketAuthErrorData,
  tenantRoom,
  TokenVerifier,
} from '../src';

interface SocketServer {
  readonly io: Server;
  readonly url: string;
  /** Server-side sockets by principal subject, once connected. */
  readonly connected: Map<string, ServerSocket>;
  close(): Promise<void>;
}

async function startSocketServer(verifier: TokenVerifier): Promise<SocketServer> {
  const http = createServer();
  const io = new Server(http);
  const connected = new Map<string, ServerSocket>();
  io.use(socketAuthMiddleware(verifier));
  io.on('connection', (socket) => {
    connected.set((socket.data as AuthSocketData).principal!.subject, socket);
    socket.on('admin:reset', (ack: (reply: { ok: true } | { error: SocketAuthErrorData }) => void) => {
      try {
        assertSocketRole(socket, 'admin', 'supervisor');
        ack({ ok: true });
      } catch (error) {
        if (error instanceof SocketAuthError) ack({ error: error.data });
        else throw error;
      }
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    io,
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    connected,
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}

const clients: ClientSocket[] = [];

function client(
  url: string,
  options: { token?: string; headers?: Record<string, string> } = {},
): ClientSocket {
  const socket = connect(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(options.token === undefined ? {} : { auth: { token: options.token } }),
    ...(options.headers === undefined ? {} : { extraHeaders: options.headers }),
  });
  clients.push(socket);
  return socket;
}

/** Resolves on `connect`, rejects with the `connect_error`. */
function connected(socket: ClientSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

/** The `data` of the `connect_error`; fails when the socket connects instead. */
function refusal(socket: ClientSocket): Promise<SocketAuthErrorData> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('the socket was accepted')));
    socket.once('connect_error', (error: Error & { data?: SocketAuthErrorData }) => resolve(error.data!));
  });
}

describe('socket.io authentication', () => {
  let issuer: TestIssuer;
  let server: SocketServer;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    server = await startSocketServer(
      new TokenVerifier({ issuer: issuer.issuer, audience: 'okc-api', jwksCooldownMs: 0 }),
    );
  });
  afterEach(() => {
    for (const socket of clients.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await server?.close();
    await issuer?.close();
  });

  describe('refuses a connection', () => {
    it('without a token', async () => {
      expect(await refusal(client(server.url))).toEqual({ code: 'UNAUTHORIZED', reason: 'missing-token' });
    });

    it('with a garbage token', async () => {
      expect(await refusal(client(server.url, { token: 'nope' }))).toEqual({
        code: 'UNAUTHORIZED',
        reason: 'malformed',
      });
    });

    it('with an expired token', async () => {
      const token = await issuer.mint({ tenant: 'acme', roles: ['operator'], expiresInSec: -600 });
      expect(await refusal(client(server.url, { token }))).toEqual({
        code: 'UNAUTHORIZED',
        reason: 'expired',
      });
    });

    it('with a token signed by an unknown key', async () => {
      const token = await issuer.mint({ tenant: 'acme', roles: ['operator'], unpublishedKey: true });
      expect(await refusal(client(server.url, { token }))).toMatchObject({ reason: 'unknown-key' });
    });
  });

  describe('accepts a connection', () => {
    it('with a token in auth, joined to its tenant room', async () => {
      const token = await issuer.mint({ sub: 'op-acme', tenant: 'acme', roles: ['operator'] });
      await connected(client(server.url, { token }));
      const socket = server.connected.get('op-acme')!;
      expect((socket.data as AuthSocketData).principal).toMatchObject({
        tenantId: 'acme',
        roles: ['operator'],
      });
      expect([...socket.rooms]).toContain('tenant:acme');
    });

    it('with a token in the Authorization header', async () => {
      const token = await issuer.mint({ sub: 'op-header', tenant: 'acme', roles: ['operator'] });
      await connected(client(server.url, { headers: { authorization: `Bearer ${token}` } }));
      expect([...server.connected.get('op-header')!.rooms]).toContain('tenant:acme');
    });
  });

  it("delivers a broadcast to its tenant's room only", async () => {
    const a = client(server.url, {
      token: await issuer.mint({ sub: 'a', tenant: 'acme', roles: ['operator'] }),
    });
    const b = client(server.url, {
      token: await issuer.mint({ sub: 'b', tenant: 'globex', roles: ['operator'] }),
    });
    await Promise.all([connected(a), connected(b)]);
    const receivedByB: string[] = [];
    b.on('news', (text: string) => receivedByB.push(text));
    const atA = new Promise<string>((resolve) => a.once('news', resolve));
    // Events to one socket arrive in order: when B has the marker, it would already have had the news.
    const markerAtB = new Promise<void>((resolve) => b.once('marker', () => resolve()));

    server.io.to(tenantRoom('acme')).emit('news', 'for acme');
    server.io.to(tenantRoom('globex')).emit('marker');

    expect(await atA).toBe('for acme');
    await markerAtB;
    expect(receivedByB).toEqual([]);
  });

  it('checks roles in event handlers with assertSocketRole', async () => {
    const operator = client(server.url, {
      token: await issuer.mint({ sub: 'op-role', tenant: 'acme', roles: ['operator'] }),
    });
    const supervisor = client(server.url, {
      token: await issuer.mint({ sub: 'sup-role', tenant: 'acme', roles: ['supervisor'] }),
    });
    await Promise.all([connected(operator), connected(supervisor)]);
    expect(await operator.emitWithAck('admin:reset')).toEqual({
      error: { code: 'FORBIDDEN', reason: 'missing-role', requiredRoles: ['admin', 'supervisor'] },
    });
    expect(await supervisor.emitWithAck('admin:reset')).toEqual({ ok: true });
  });

  it('disconnects a socket when its token expires', async () => {
    const socket = client(server.url, {
      token: await issuer.mint({ sub: 'short', tenant: 'acme', roles: ['operator'], expiresInSec: 1 }),
    });
    await connected(socket);
    const reason = await new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect(reason).toBe('io server disconnect');
  });

  it('refuses with AUTH_UNAVAILABLE while the issuer cannot be reached', async () => {
    const gone = await startTestIssuer();
    const token = await gone.mint({ tenant: 'acme', roles: ['operator'] });
    await gone.close();
    const other = await startSocketServer(new TokenVerifier({ issuer: gone.issuer, audience: 'okc-api' }));
    try {
      expect(await refusal(client(other.url, { token }))).toEqual({
        code: 'AUTH_UNAVAILABLE',
        reason: 'issuer-unreachable',
      });
    } finally {
      await other.close();
    }
  });
});
