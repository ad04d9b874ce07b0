/**
 * A browser stand-in for tests and the benchmark: fetch with a cookie jar and no automatic redirects, so
 * each hop of an OpenID Connect flow can be looked at. Cookies are kept per name (path and domain are
 * ignored: every test talks to one host).
 */
export class HttpSession {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly headers: Record<string, string> = {}) {}

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(this.headers)) if (!headers.has(k)) headers.set(k, v);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = /expires=Thu, 01 Jan 1970/i.test(line) || /max-age=0/i.test(line) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(url: string): Promise<Response> {
    return this.request(url);
  }

  postForm(url: string, form: Record<string, string>): Promise<Response> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** The current value of a cookie, if set. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  cookieNames(): string[] {
    return [...this.cookies.keys()];
  }
}

/** The absolute URL of a redirect's Location. */
export function locationOf(res: Response, base: string): string {
  const location = res.headers.get('location');
  if (!location) throw new Error(`expected a redirect, got ${res.status}`);
  return new URL(location, base).toString();
}

/** Follows redirects under `prefix` (the issuer), stopping at the first one that leaves it (a client callback). */
export async function followWithin(
  session: HttpSession,
  url: string,
  prefix: string,
  max = 10,
): Promise<Response> {
  let res = await session.get(url);
  for (let i = 0; i < max && res.status >= 300 && res.status < 400; i++) {
    const next = locationOf(res, url);
    if (!next.startsWith(prefix)) return res;
    url = next;
    res = await session.get(url);
  }
  return res;
}
