/** The JSON error body of the gateway and every service: `{ error: 'UPPER_SNAKE', message, details?, requestId? }`. */
export interface ApiErrorBody {
  readonly error: string;
  readonly message: string;
  readonly details?: unknown;
  readonly requestId?: string;
}

/** A failed API call. `status` 0 means no HTTP answer at all (network down, gateway unreachable). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** True for the failures worth retrying: no answer, or a 5xx. */
  get transient(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  return typeof body['error'] === 'string' && typeof body['message'] === 'string';
}

/** Turns a non-2xx response into an ApiError, whatever its body (a proxy may answer with HTML or nothing). */
export async function apiErrorFrom(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = (await response.json()) as unknown;
  } catch {
    // Not JSON: the status alone describes the failure.
  }
  const requestId = response.headers.get('x-request-id') ?? undefined;
  if (isErrorBody(body)) {
    return new ApiError(response.status, body.error, body.message, body.details, body.requestId ?? requestId);
  }
  const text = response.statusText || `HTTP ${response.status}`;
  return new ApiError(response.status, `HTTP_${response.status}`, text, undefined, requestId);
}
