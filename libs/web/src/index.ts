// The Vue shell the three SPAs share. See README.md.
export { createOkcApp, createOkcShell, type OkcAppOptions, type OkcShell } from './shell/create-okc-app';
export { defineRoutes, navItems, type NavItem } from './shell/okc-routes';
export { useShellConfig, type ShellConfig } from './shell/shell-config';

export {
  DEFAULT_LOCALE,
  defineAppMessages,
  messageKeys,
  shellMessages,
  useUiLocale,
  type AppMessages,
  type AppMessageTree,
  type MessageTree,
  type ShellMessages,
} from './i18n/i18n';

export { useSessionStore, type SessionStatus } from './session/session.store';

export {
  CSRF_HEADER,
  createApiClient,
  type ApiClient,
  type ApiClientOptions,
  type HttpMethod,
  type RequestOptions,
} from './api/api-client';
export { ApiError, type ApiErrorBody } from './api/api-error';
export { useApi } from './api/use-api';

export { useNoticesStore } from './notices/notices.store';
export type { Notice, NoticeInput, NoticeSeverity } from './notices/notice';

export { connectSocket, RECONNECT_OPTIONS, type ConnectSocketOptions } from './realtime/connect-socket';
export { useRealtimeStore, type ConnectionState } from './realtime/realtime.store';

export { default as EmptyState } from './components/states/EmptyState.vue';
export { default as ErrorState } from './components/states/ErrorState.vue';
export { default as LoadingState } from './components/states/LoadingState.vue';
export { OkcChart } from './components/charts/okc-chart';
export type { ChartOption } from './components/charts/chart-option';
