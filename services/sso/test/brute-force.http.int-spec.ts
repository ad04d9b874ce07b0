import { waitFor } from '@okc/testing';
import { addTenant, addUser, type UserFixture } from './support/fixtures';
import { followWithin, HttpSession, locationOf } from '@okc/testing';
import { gatewayAuthorizeUrl, pkce, type SsoHarness, startSsoHarness } from './support/sso-harness';

/**
 * Brute force through the real sign-in form: 20 wrong passwords lock the account (429 + Retry-After), the
 * right password is refused while locked and accepted once the lockout has expired, and every step is in
 * the audit log. The lockout is shortened to 2 s here; in production it is 15 min, doubling up to 1 h.
 */
interface AuditRow {
  type: string;
  reason: string | null;
  subject_id: string | null;
  actor_label: string | null;
}

describe('sign-in brute-force protection (HTTP)', () => {
  let h: SsoHarness;
  let user: UserFixture;

  beforeAll(async () => {
    h = await startSsoHarness({ name: 'bf', env: { SSO_LOCKOUT_MS: '2000', SSO_LOCKOUT_THRESHOLD: '20' } });
    await addTenant(h.db, 'demo');
    user = await addUser(h.db, 'demo', 'op2', ['operator'], { password: 'the right password 42' });
  });

  afterAll(async () => {
    await h?.close();
  });

  /** A fresh browser at the sign-in form of the gateway client; returns the form's URL. */
  async function openSignIn(browser: HttpSession): Promise<string> {
    return locationOf(await browser.get(gatewayAuthorizeUrl(h, pkce().challenge, 'openid')), h.url);
  }

  it('locks after 20 failures, refuses the right password while locked, accepts it after expiry', async () => {
    const browser = new HttpSession({ 'accept-language': 'en' });
    const form = await openSignIn(browser);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await browser.postForm(`${form}/login`, { login: 'op2@demo', password: `wrong-${i}` });
      statuses.push(res.status);
      const html = await res.text();
      if (res.status === 401) expect(html).toContain('Wrong login or password');
    }
    expect(statuses.slice(0, 19).every((s) => s === 401)).toBe(true);
    expect(statuses[19]).toBe(429);

    const locked = await browser.postForm(`${form}/login`, { login: 'op2@demo', password: user.password });
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(await locked.text()).not.toContain('Wrong login or password');

    // Same answer for an account that does not exist: a lockout tells nothing about existence.
    for (let i = 0; i < 20; i++) {
      await browser.postForm(`${form}/login`, { login: 'nobody@demo', password: `wrong-${i}` });
    }
    const ghost = await browser.postForm(`${form}/login`, { login: 'nobody@demo', password: 'x' });
    expect(ghost.status).toBe(429);

    // After the lockout expires the right password works and the browser is sent back with a code.
    const accepted = await waitFor('the lockout to expire', async () => {
      const res = await browser.postForm(`${form}/login`, { login: 'op2@demo', password: user.password });
      return res.status === 303 ? res : undefined;
    });
    const back = await followWithin(browser, locationOf(accepted, h.url), h.issuer);
    expect(locationOf(back, h.url)).toContain(`${h.gatewayRedirectUri}?code=`);

    const rows: AuditRow[] = await waitFor('the audit rows', async () => {
      const found: AuditRow[] = await h.db.query(
        "SELECT type, reason, subject_id, actor_label FROM audit_log WHERE tenant_id = 'demo' ORDER BY id",
      );
      return found.some((r) => r.type === 'sign-in.succeeded') ? found : undefined;
    });
    const failures = rows.filter((r) => r.type === 'sign-in.failed' && r.subject_id === user.id);
    expect(failures.filter((r) => r.reason === 'bad-password')).toHaveLength(20);
    // Refused while locked: recorded against the typed account, before any lookup or password work.
    expect(
      rows.some((r) => r.type === 'sign-in.failed' && r.reason === 'locked' && r.actor_label === 'op2@demo'),
    ).toBe(true);
    expect(rows.filter((r) => r.type === 'account.locked' && r.subject_id === user.id)).toHaveLength(1);
    expect(rows.some((r) => r.type === 'sign-in.failed' && r.reason === 'unknown-user')).toBe(true);
  });

  it('refuses parallel guesses at one account instead of checking them all', async () => {
    await addUser(h.db, 'demo', 'op7', ['operator']);
    const browser = new HttpSession({ 'accept-language': 'en' });
    const form = await openSignIn(browser);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        browser
          .postForm(`${form}/login`, { login: 'op7@demo', password: `guess-${i}` })
          .then((r) => r.status),
      ),
    );
    // Without the one-attempt-at-a-time rule all 40 would be checked and counted: more than the lockout
    // threshold of 20 in one burst. With it, the ones that overlap are refused at once.
    const checked = answers.filter((s) => s === 401).length;
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThan(20);
    expect(answers.filter((s) => s === 429).length).toBe(40 - checked);
    const rows: { n: number }[] = await waitFor('the audit rows of the burst', async () => {
      const found: { n: number }[] = await h.db.query(
        "SELECT COUNT(*) AS n FROM audit_log WHERE actor_label = 'op7@demo' AND type = 'sign-in.failed'",
      );
      return Number(found[0]?.n) === 40 ? found : undefined;
    });
    expect(Number(rows[0]!.n)).toBe(40);
  });

  it('answers a wrong tenant, an unknown user and a wrong password with the same page', async () => {
    const browser = new HttpSession({ 'accept-language': 'ru' });
    const form = await openSignIn(browser);
    const bodies: string[] = [];
    for (const login of ['op2@nowhere', 'ghost@demo', 'op2@demo']) {
      const res = await browser.postForm(`${form}/login`, { login, password: 'not the password' });
      expect(res.status).toBe(401);
      bodies.push((await res.text()).replace(/value="[^"]*"/g, ''));
    }
    expect(bodies[0]).toContain('Неверный логин или пароль');
    expect(new Set(bodies).size).toBe(1);
  });
});
