import type { NoticeInput } from '../notices/notice';
import { ApiError, apiErrorFrom } from './api-error';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined;

export interface ApiClientOptions {
  /** The session's CSRF token, sent as `x-csrf-token` on every request that is not GET or HEAD. */
  readonly csrfToken: () => string | null;
  /** A 401: the session is gone. The shell forgets the user and goes to sign-in. */
  readonly onUnauthorized: () => void;
  /** Shows a notice (403, a failure of the server, no network). */
  readonly notify: (notice: NoticeInput) => void;
  readonly fetch?: typeof fetch;
  /** Waits before each retry of a 5xx or a network failure: two retries by default. */
  readonly retryDelaysMs?: readonly number[];
}

export interface RequestOptions<T> {
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** Sent as JSON unless it is FormData, URLSearchParams or a Blob. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** Checks and narrows the response body (a zod schema's `parse`, say); without it the body is taken as T. */
  readonly parse?: (data: unknown) => T;
  /**
   * Retry a POST or PATCH after a 5xx or a network failure too. Only for endpoints that are idempotent
   * (a command with its own id): GET, HEAD, PUT and DELETE are always retried.
   */
  readonly retry?: boolean;
  /** The caller shows failures itself: no notice (a 401 still goes to sign-in). */
  readonly quiet?: boolean;
}

export type BodylessOptions<T> = Omit<RequestOptions<T>, 'body'>;

export interface ApiClient {
  request<T>(method: HttpMethod, path: string, options?: RequestOptions<T>): Promise<T>;
  get<T>(path: string, options?: BodylessOptions<T>): Promise<T>;
  post<T>(path: string, body?: unknown, options?: BodylessOptions<T>): Promise<T>;
  put<T>(path: string, body?: unknown, options?: BodylessOptions<T>): Promise<T>;
  patch<T>(path: string, body?: unknown, options?: BodylessOptions<T>): Promise<T>;
  delete<T>(path: string, options?: BodylessOptions<T>): Promise<T>;
}

export const CSRF_HEADER = 'x-csrf-token';
const DEFAULT_RETRY_DELAYS_MS = [500, 1500] as const;
const SAFE_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD']);
const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

function withQuery(path: string, query: RequestOptions<unknown>['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.append(name, String(value));
  }
  const search = params.toString();
  if (!search) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${search}`;
}

function isRawBody(body: unknown): body is BodyInit {
  return body instanceof FormData || body instanceof URLSearchParams || body instanceof Blob;
}

function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      },
      { once: true },
    );
  });
}

async function bodyOf(response: Response): Promise<unknown> {
  if (response.status === 204 || response.status === 205) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  const type = response.headers.get('content-type') ?? '';
  return type.includes('json') ? (JSON.parse(text) as unknown) : text;
}

/**
 * The typed fetch wrapper every SPA calls the gateway with (same origin, the session cookie):
 * JSON in and out, `x-csrf-token` on state-changing requests, 401 → sign-in, 403 → a "no access" notice,
 * 5xx and network failures → retried with backoff, then a notice. Failures reject with an ApiError.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;

  function init(method: HttpMethod, opts: RequestOptions<unknown>): RequestInit {
    const headers = new Headers({ accept: 'application/json', ...opts.headers });
    if (!SAFE_METHODS.has(method)) {
      const token = options.csrfToken();
      // Without the token the gateway refuses the request anyway; fail here, where the cause is clear.
      if (!token) throw new ApiError(0, 'CSRF_TOKEN_MISSING', `${method} needs the session's CSRF token`);
      headers.set(CSRF_HEADER, token);
    }
    let body: BodyInit | undefined;
    if (opts.body !== undefined) {
      if (isRawBody(opts.body)) {
        body = opts.body;
      } else {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(opts.body);
      }
    }
    return { method, headers, body, credentials: 'same-origin', signal: opts.signal };
  }

  async function fail<T>(response: Response, opts: RequestOptions<T>): Promise<never> {
    const error = await apiErrorFrom(response);
    if (response.status === 401) {
      options.onUnauthorized();
    } else if (response.status === 403 && !opts.quiet) {
      options.notify({ severity: 'error', key: 'okc.notice.forbidden' });
    } else if (response.status >= 500 && !opts.quiet) {
      options.notify({
        severity: 'error',
        key: 'okc.notice.serverError',
        params: { requestId: error.requestId ?? '—' },
      });
    }
    throw error;
  }

  async function request<T>(method: HttpMethod, path: string, opts: RequestOptions<T> = {}): Promise<T> {
    const requestInit = init(method, opts);
    const url = withQuery(path, opts.query);
    const delays = IDEMPOTENT_METHODS.has(method) || opts.retry ? retryDelays : [];
    for (let attempt = 0; ; attempt++) {
      const delay = delays[attempt];
      let response: Response;
      try {
        response = await fetchImpl(url, requestInit);
      } catch (err) {
        if (isAbort(err)) throw err;
        if (delay !== undefined) {
          await sleep(delay, opts.signal);
          continue;
        }
        if (!opts.quiet) options.notify({ severity: 'error', key: 'okc.notice.network' });
        throw new ApiError(0, 'NETWORK_ERROR', err instanceof Error ? err.message : String(err));
      }
      if (response.status >= 500 && delay !== undefined) {
        await response.body?.cancel().catch(() => undefined);
        await sleep(delay, opts.signal);
        continue;
      }
      if (!response.ok) return fail(response, opts);
      const data = await bodyOf(response);
      return opts.parse ? opts.parse(data) : (data as T);
    }
  }

  return {
    request,
    get: (path, opts) => request('GET', path, opts),
    post: (path, body, opts) => request('POST', path, { ...opts, body }),
    put: (path, body, opts) => request('PUT', path, { ...opts, body }),
    patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
    delete: (path, opts) => request('DELETE', path, opts),
  };
}
