import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeGateway, headerOf, jsonResponse, type FetchMock } from '../testing';
import { createApiClient, type ApiClient, type ApiClientOptions } from './api-client';
import { ApiError } from './api-error';

describe('api client', () => {
  let fetch: FetchMock;
  let onUnauthorized: ReturnType<typeof vi.fn<() => void>>;
  let notify: ReturnType<typeof vi.fn<ApiClientOptions['notify']>>;
  let token: string | null;

  function client(options: Partial<ApiClientOptions> = {}): ApiClient {
    return createApiClient({
      fetch,
      csrfToken: () => token,
      onUnauthorized,
      notify,
      retryDelaysMs: [0, 0],
      ...options,
    });
  }

  /** Answers each call with the next response; a function is called (e.g. to throw a network error). */
  function answers(...responses: (Response | (() => Response))[]): void {
    for (const r of responses) {
      fetch.mockImplementationOnce(() =>
        typeof r === 'function' ? Promise.resolve().then(r) : Promise.resolve(r),
      );
    }
  }

  beforeEach(() => {
    fetch = fakeGateway(null);
    onUnauthorized = vi.fn<() => void>();
    notify = vi.fn<ApiClientOptions['notify']>();
    token = 'csrf-1';
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  describe('requests', () => {
    it('GET asks for JSON with the session cookie, without a CSRF header, and returns the parsed body', async () => {
      answers(jsonResponse(200, { user: 'op1' }));

      await expect(client().get('/api/focus/whoami')).resolves.toEqual({ user: 'op1' });

      const [url, init] = fetch.mock.calls[0]!;
      expect(url).toBe('/api/focus/whoami');
      expect(init?.method).toBe('GET');
      expect(init?.credentials).toBe('same-origin');
      expect(headerOf(init, 'accept')).toBe('application/json');
      expect(headerOf(init, 'x-csrf-token')).toBeNull();
    });

    it('appends the query, leaving out empty values', async () => {
      answers(jsonResponse(200, []));

      await client().get('/api/statix/calls', {
        query: { from: '2026-01-01', limit: 50, agent: undefined, q: null },
      });

      expect(fetch.mock.calls[0]![0]).toBe('/api/statix/calls?from=2026-01-01&limit=50');
    });

    it.each(['POST', 'PUT', 'PATCH', 'DELETE'] as const)(
      '%s sends the session CSRF token in x-csrf-token',
      async (method) => {
        answers(jsonResponse(200, {}));

        await client().request(method, '/api/focus/state', { body: { state: 'ready' } });

        const init = fetch.mock.calls[0]![1];
        expect(init?.method).toBe(method);
        expect(headerOf(init, 'x-csrf-token')).toBe('csrf-1');
      },
    );

    it('sends a body as JSON', async () => {
      answers(jsonResponse(201, { id: 'c-1' }));

      await expect(client().post('/api/focus/calls', { to: '101' })).resolves.toEqual({ id: 'c-1' });

      const init = fetch.mock.calls[0]![1];
      expect(headerOf(init, 'content-type')).toBe('application/json');
      expect(init?.body).toBe('{"to":"101"}');
    });

    it('refuses a state-changing request without a CSRF token, before sending it', async () => {
      token = null;

      await expect(client().post('/api/focus/state', { state: 'ready' })).rejects.toMatchObject({
        code: 'CSRF_TOKEN_MISSING',
      });
      expect(fetch).not.toHaveBeenCalled();
    });

    it('returns undefined for 204 No Content', async () => {
      answers(new Response(null, { status: 204 }));

      await expect(client().delete('/api/helper/articles/a-1')).resolves.toBeUndefined();
    });

    it('runs the parse function over the body, and its failure fails the call', async () => {
      answers(jsonResponse(200, { n: 2 }), jsonResponse(200, { n: 'two' }));
      const parse = (data: unknown): number => {
        const n = (data as { n: unknown }).n;
        if (typeof n !== 'number') throw new Error('n is not a number');
        return n;
      };

      await expect(client().get('/api/x', { parse })).resolves.toBe(2);
      await expect(client().get('/api/x', { parse })).rejects.toThrow('n is not a number');
    });
  });

  describe('failures', () => {
    it('401: tells the shell to go sign in and rejects with UNAUTHORIZED, without a notice', async () => {
      answers(jsonResponse(401, { error: 'UNAUTHORIZED', message: 'Sign in first' }));

      const error = await client()
        .get('/api/focus/whoami')
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
      expect(onUnauthorized).toHaveBeenCalledTimes(1);
      expect(notify).not.toHaveBeenCalled();
      expect(fetch).toHaveBeenCalledTimes(1);
    });

    it('403: shows the "no access" notice and rejects with the error code of the body', async () => {
      answers(jsonResponse(403, { error: 'ROLE_REQUIRED', message: 'supervisor only', requestId: 'r-9' }));

      await expect(client().post('/api/pbx/modes', { mode: 'night' })).rejects.toMatchObject({
        status: 403,
        code: 'ROLE_REQUIRED',
        message: 'supervisor only',
        requestId: 'r-9',
      });
      expect(notify).toHaveBeenCalledWith({ severity: 'error', key: 'okc.notice.forbidden' });
      expect(onUnauthorized).not.toHaveBeenCalled();
    });

    it('403 with quiet: no notice, the caller shows it', async () => {
      answers(jsonResponse(403, { error: 'FORBIDDEN', message: 'no' }));

      await expect(client().get('/api/x', { quiet: true })).rejects.toMatchObject({ status: 403 });
      expect(notify).not.toHaveBeenCalled();
    });

    it('5xx on GET: retries twice, then shows a server-error notice with the request id', async () => {
      const failure = (): Response =>
        jsonResponse(503, { error: 'UNAVAILABLE', message: 'down' }, { 'x-request-id': 'req-7' });
      answers(failure(), failure(), failure());

      await expect(client().get('/api/statix/wallboard')).rejects.toMatchObject({
        status: 503,
        code: 'UNAVAILABLE',
        requestId: 'req-7',
      });
      expect(fetch).toHaveBeenCalledTimes(3);
      expect(notify).toHaveBeenCalledTimes(1);
      expect(notify).toHaveBeenCalledWith({
        severity: 'error',
        key: 'okc.notice.serverError',
        params: { requestId: 'req-7' },
      });
    });

    it('a 5xx followed by a success resolves, with no notice', async () => {
      answers(jsonResponse(502, { error: 'BAD_GATEWAY', message: 'x' }), jsonResponse(200, { ok: true }));

      await expect(client().get('/api/statix/wallboard')).resolves.toEqual({ ok: true });
      expect(fetch).toHaveBeenCalledTimes(2);
      expect(notify).not.toHaveBeenCalled();
    });

    it('backs off before each retry: 500 ms, then 1500 ms by default', async () => {
      vi.useFakeTimers();
      const failure = (): Response => jsonResponse(500, { error: 'INTERNAL', message: 'x' });
      answers(failure(), failure(), jsonResponse(200, 'ok'));
      const done = createApiClient({ fetch, csrfToken: () => token, onUnauthorized, notify }).get('/api/x');

      await vi.advanceTimersByTimeAsync(499);
      expect(fetch).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(fetch).toHaveBeenCalledTimes(2);
      await vi.advanceTimersByTimeAsync(1499);
      expect(fetch).toHaveBeenCalledTimes(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(fetch).toHaveBeenCalledTimes(3);
      await expect(done).resolves.toBe('ok');
    });

    it('5xx on POST is not retried (it may have taken effect), unless the call says it is idempotent', async () => {
      const failure = (): Response => jsonResponse(500, { error: 'INTERNAL', message: 'x' });
      answers(failure());

      await expect(client().post('/api/focus/calls', { to: '101' })).rejects.toMatchObject({ status: 500 });
      expect(fetch).toHaveBeenCalledTimes(1);
      expect(notify).toHaveBeenCalledTimes(1);

      answers(failure(), failure(), jsonResponse(200, { id: 'c-1' }));
      await expect(client().post('/api/focus/calls', { to: '101' }, { retry: true })).resolves.toEqual({
        id: 'c-1',
      });
      expect(fetch).toHaveBeenCalledTimes(4);
    });

    it('no network: retries, then shows the network notice and rejects with status 0', async () => {
      const down = (): Response => {
        throw new TypeError('Failed to fetch');
      };
      answers(down, down, down);

      await expect(client().get('/api/focus/whoami')).rejects.toMatchObject({
        status: 0,
        code: 'NETWORK_ERROR',
        message: 'Failed to fetch',
      });
      expect(fetch).toHaveBeenCalledTimes(3);
      expect(notify).toHaveBeenCalledWith({ severity: 'error', key: 'okc.notice.network' });
    });

    it('an aborted request rejects with the AbortError, without retries or notices', async () => {
      answers(() => {
        throw new DOMException('The operation was aborted.', 'AbortError');
      });

      await expect(client().get('/api/x')).rejects.toMatchObject({ name: 'AbortError' });
      expect(fetch).toHaveBeenCalledTimes(1);
      expect(notify).not.toHaveBeenCalled();
    });

    it('other 4xx reject with the body code and are neither retried nor announced', async () => {
      answers(
        jsonResponse(409, { error: 'AGENT_NOT_READY', message: 'Set yourself ready first', details: {} }),
      );

      await expect(client().put('/api/focus/state', { state: 'on-call' })).rejects.toMatchObject({
        status: 409,
        code: 'AGENT_NOT_READY',
        message: 'Set yourself ready first',
      });
      expect(fetch).toHaveBeenCalledTimes(1);
      expect(notify).not.toHaveBeenCalled();
    });

    it('a non-JSON error body still gives an error with the HTTP status as its code', async () => {
      answers(new Response('<html>Bad Gateway</html>', { status: 404, statusText: 'Not Found' }));

      await expect(client().get('/api/x')).rejects.toMatchObject({ status: 404, code: 'HTTP_404' });
    });
  });
});
