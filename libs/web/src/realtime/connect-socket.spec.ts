import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import type { Socket } from 'socket.io-client';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import ConnectionBanner from '../components/notices/ConnectionBanner.vue';
import { createOkcI18n } from '../i18n/i18n';
import { browser } from '../platform/browser';
import { installApiClient } from '../shell/install-api-client';
import { fakeGateway, meResponse } from '../testing';
import { connectSocket, type SocketFactory } from './connect-socket';
import { useRealtimeStore } from './realtime.store';

/** Just enough of a socket.io client socket: handlers by event, and `active` (will socket.io retry?). */
class FakeSocket {
  active = true;
  readonly handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  on(event: string, handler: (...args: unknown[]) => void): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }
}

describe('connectSocket', () => {
  let pinia: Pinia;
  let socket: FakeSocket;
  let factory: ReturnType<typeof vi.fn<SocketFactory>>;

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    socket = new FakeSocket();
    factory = vi.fn<SocketFactory>(() => socket as unknown as Socket);
    vi.spyOn(browser, 'assign').mockImplementation(() => undefined);
  });

  it('connects through the gateway path of the service, with the session cookie and reconnection', () => {
    connectSocket('focus', { io: factory });

    expect(factory).toHaveBeenCalledWith(
      expect.objectContaining({ path: '/ws/focus/socket.io', withCredentials: true, reconnection: true }),
    );
  });

  it('tracks the connection: connecting → connected → reconnecting (lost) → connected', () => {
    const realtime = useRealtimeStore();
    connectSocket('statix', { io: factory });
    expect(realtime.connections['statix']).toBe('connecting');

    socket.emit('connect');
    expect(realtime.connections['statix']).toBe('connected');
    expect(realtime.reconnecting).toBe(false);

    socket.emit('disconnect', 'transport close');
    expect(realtime.connections['statix']).toBe('reconnecting');
    expect(realtime.reconnecting).toBe(true);

    socket.emit('connect_error', new Error('xhr poll error'));
    expect(realtime.reconnecting).toBe(true);

    socket.emit('connect');
    expect(realtime.reconnecting).toBe(false);
  });

  it('refused by the server (no retry): disconnected, and the session is checked again', async () => {
    const fetch = fakeGateway(meResponse());
    installApiClient(pinia, { fetch, retryDelaysMs: [0, 0] });
    const realtime = useRealtimeStore();
    connectSocket('focus', { io: factory });

    socket.active = false;
    socket.emit('connect_error', new Error('UNAUTHORIZED'));
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledWith('/auth/me', expect.anything()));

    expect(realtime.connections['focus']).toBe('disconnected');
    expect(realtime.reconnecting).toBe(false);
  });

  it('a socket the SPA closes itself is forgotten', () => {
    const realtime = useRealtimeStore();
    connectSocket('focus', { io: factory });
    socket.emit('connect');

    socket.active = false;
    socket.emit('disconnect', 'io client disconnect');

    expect(realtime.connections).toEqual({});
  });

  it('the banner says "reconnecting…" exactly while a connection is being re-established', async () => {
    const banner = mount(ConnectionBanner, { global: { plugins: [pinia, createOkcI18n(undefined, 'ru')] } });
    connectSocket('focus', { io: factory });
    socket.emit('connect');
    await banner.vm.$nextTick();
    expect(banner.find('[data-testid="reconnecting"]').exists()).toBe(false);

    socket.emit('disconnect', 'ping timeout');
    await banner.vm.$nextTick();
    expect(banner.get('[data-testid="reconnecting"]').text()).toBe(
      'Связь в реальном времени прервалась. Переподключаемся…',
    );

    socket.emit('connect');
    await banner.vm.$nextTick();
    expect(banner.find('[data-testid="reconnecting"]').exists()).toBe(false);
  });
});
