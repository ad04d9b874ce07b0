import { defineStore } from 'pinia';
import { computed, ref } from 'vue';

/**
 * `connecting` (first attempt), `connected`, `reconnecting` (lost, socket.io retries by itself) or
 * `disconnected` (refused by the server or closed: no retry).
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** The state of each socket.io connection the SPA holds, for the layout's "reconnecting…" banner. */
export const useRealtimeStore = defineStore('okc-realtime', () => {
  const connections = ref<Record<string, ConnectionState>>({});

  const reconnecting = computed(() => Object.values(connections.value).includes('reconnecting'));

  function set(name: string, state: ConnectionState): void {
    connections.value = { ...connections.value, [name]: state };
  }

  function forget(name: string): void {
    const { [name]: _gone, ...rest } = connections.value;
    connections.value = rest;
  }

  return { connections, reconnecting, set, forget };
});
