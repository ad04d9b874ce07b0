import { createHash } from 'node:crypto';
import { renderConsentPage } from './consent.page';
import { renderErrorPage } from './error.page';
import { escapeHtml, html, markSafe, SafeHtml } from './html';
import { type Locale, MESSAGES, pickLocale } from './i18n';
import { contentSecurityPolicy, pageSecurityHeaders, STYLESHEET, STYLESHEET_HASH } from './layout';
import { renderLoginPage } from './login.page';
import { logoutFormId, renderLoggedOutPage, renderLogoutPage } from './logout.page';

const XSS = '<script>alert("x")</script>';
const ESCAPED_XSS = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;';
/** What oidc-provider's logoutSource(ctx, form) is given. */
const LOGOUT_FORM =
  '<form id="op.logoutForm" method="post" action="/sso/session/end/confirm"><input type="hidden" name="xsrf" value="abc123"/></form>';

const login = (extra: Partial<Parameters<typeof renderLoginPage>[0]> = {}) =>
  renderLoginPage({ locale: 'ru', action: '/sso/interaction/u1/login', clientName: 'FOCUS', ...extra });

/** Every page, in a locale, with user-supplied values where a page takes them. */
function everyPage(locale: Locale, value = 'Клиника «Здоровье»'): Record<string, string> {
  return {
    login: renderLoginPage({ locale, action: '/a', clientName: value, login: value, error: 'invalid' }),
    consent: renderConsentPage({ locale, action: '/c', clientName: value, scopes: ['openid', value] }),
    logout: renderLogoutPage({ locale, formHtml: LOGOUT_FORM, clientName: value }),
    loggedOut: renderLoggedOutPage({ locale, clientName: value }),
    error: renderErrorPage({ locale, message: value, requestId: value }),
  };
}

/** The page after its <head>: what the stylesheet's selectors (`[aria-invalid=true]`…) cannot match. */
function bodyOf(page: string): string {
  return page.slice(page.indexOf('</head>'));
}

/** The opening tag of the element with this id. */
function tagWithId(page: string, id: string): string {
  const tag = new RegExp(`<[a-z]+\\b[^>]*\\sid="${id}"[^>]*>`, 's').exec(page)?.[0];
  if (!tag) throw new Error(`no element with id ${id}`);
  return tag;
}

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

describe('escapeHtml and the html tag', () => {
  it('escapes every character that could open markup or leave an attribute', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;',
    );
  });

  it('escapes every interpolation, but not nested fragments, arrays of them or markSafe markup', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(
      html`<p title="${'"x"'}">${inner}${[html`<br />`, '<hr>']}${markSafe('<em>ok</em>')}</p>`.toString(),
    ).toBe('<p title="&quot;x&quot;"><b>&lt;i&gt;</b><br />&lt;hr&gt;<em>ok</em></p>');
  });

  it('renders numbers as text and false, null and undefined as nothing', () => {
    expect(html`${1}|${false}|${null}|${undefined}|${0}`.toString()).toBe('1||||0');
  });

  it('cannot be fooled into trusting a string: SafeHtml is only made by html`` and markSafe', () => {
    const Forged = SafeHtml as unknown as new (token: symbol, markup: string) => SafeHtml;
    expect(() => new Forged(Symbol('SafeHtml'), '<script>')).toThrow(TypeError);
  });
});

describe('every user-supplied value is escaped', () => {
  it('in the login page: login, tenant, client name, action and CSRF token', () => {
    const page = login({ login: XSS, tenant: XSS, clientName: XSS, csrfToken: XSS, action: `/x"${XSS}` });
    expect(page).not.toContain('<script');
    expect(page.split(ESCAPED_XSS).length - 1).toBe(5);
  });

  it('in the consent page: client name, unknown scopes and claims', () => {
    const page = renderConsentPage({
      locale: 'en',
      action: '/c',
      clientName: XSS,
      scopes: ['openid', XSS],
      claims: [XSS],
      csrfToken: XSS,
    });
    expect(page).not.toContain('<script');
    expect(page.split(ESCAPED_XSS).length - 1).toBe(4);
  });

  it('in the logout, logged-out and error pages', () => {
    for (const page of [
      renderLogoutPage({ locale: 'ru', formHtml: LOGOUT_FORM, clientName: XSS }),
      renderLoggedOutPage({ locale: 'ru', clientName: XSS }),
      renderErrorPage({ locale: 'en', title: XSS, message: XSS, requestId: XSS }),
    ]) {
      expect(page).not.toContain('<script');
      expect(page).toContain(ESCAPED_XSS);
    }
  });

  it('in the language links built from the page URL', () => {
    const page = renderLoggedOutPage({ locale: 'ru', pageUrl: `/sso/session/end?x="${XSS}` });
    expect(page).not.toContain('<script');
    expect(page).not.toContain('x="<');
  });
});

describe('locales', () => {
  it('render each locale in its own language, with <html lang>', () => {
    const ru = everyPage('ru');
    const en = everyPage('en');
    expect(ru.login).toContain('<html lang="ru">');
    expect(en.login).toContain('<html lang="en">');
    expect(ru.login).toContain('Вход в OKC');
    expect(ru.login).toContain('Неверный логин или пароль');
    expect(en.login).toContain('Sign in to OKC');
    expect(en.login).toContain('Wrong login or password');
    expect(ru.consent).toContain('Разрешить');
    expect(en.consent).toContain('>Allow<');
    expect(ru.logout).toContain('Выйти из всех приложений OKC на этом устройстве?');
    expect(en.logout).toContain('Sign out of every OKC application on this device?');
    expect(ru.loggedOut).toContain('Вы вышли из приложения');
    expect(en.loggedOut).toContain('You have signed out of');
    expect(ru.error).toContain('Что-то пошло не так');
    expect(en.error).toContain('Something went wrong');
    for (const page of Object.values(en)) {
      // No Cyrillic in an English page but the user's own values and the language switch.
      const text = page.replaceAll('Клиника «Здоровье»', '').replace('Русский', '');
      expect(text).not.toMatch(/[а-яё]/i);
    }
  });

  it('have the same strings in both languages', () => {
    const shape = (value: unknown): unknown =>
      typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]))
        : typeof value;
    expect(shape(MESSAGES.en)).toEqual(shape(MESSAGES.ru));
  });

  it('offer the other language as a plain link, and mark the current one', () => {
    const links = [...login().matchAll(/<a\s([^>]*)>\s*([^<]*)</g)].map(([, attrs = '', text]) => ({
      href: attribute(` ${attrs}`, 'href'),
      hreflang: attribute(` ${attrs}`, 'hreflang'),
      current: attribute(` ${attrs}`, 'aria-current'),
      text,
    }));
    expect(links).toEqual([
      { href: '?lang=ru', hreflang: 'ru', current: 'true', text: 'Русский' },
      { href: '?lang=en', hreflang: 'en', current: undefined, text: 'English' },
    ]);
  });

  it('build the language links on a given page URL, keeping its parameters', () => {
    const page = renderLogoutPage({
      locale: 'ru',
      formHtml: LOGOUT_FORM,
      pageUrl: '/sso/session/end?id_token_hint=abc&lang=ru&state=s',
    });
    expect(page).toContain('href="/sso/session/end?id_token_hint=abc&amp;lang=en&amp;state=s"');
    // Not a path of this site: the plain relative link instead.
    expect(renderLoggedOutPage({ locale: 'ru', pageUrl: '//evil.example/x' })).toContain('href="?lang=en"');
  });
});

describe('pickLocale', () => {
  it('prefers ?lang, then ui_locales, then Accept-Language, then Russian', () => {
    const all = { query: 'en', uiLocales: 'ru', acceptLanguage: 'ru' };
    expect(pickLocale(all)).toBe('en');
    expect(pickLocale({ ...all, query: 'ru', uiLocales: 'en', acceptLanguage: 'en' })).toBe('ru');
    expect(pickLocale({ uiLocales: 'en', acceptLanguage: 'ru' })).toBe('en');
    expect(pickLocale({ acceptLanguage: 'en-US,en;q=0.9' })).toBe('en');
    expect(pickLocale({})).toBe('ru');
  });

  it('skips unsupported values at each level', () => {
    expect(pickLocale({ query: 'de', uiLocales: 'fr-CA en-GB', acceptLanguage: 'ru' })).toBe('en');
    expect(pickLocale({ query: '', uiLocales: 'de fr', acceptLanguage: 'de, en;q=0.5' })).toBe('en');
    expect(pickLocale({ acceptLanguage: 'de, fr;q=0.8, *;q=0.5' })).toBe('ru');
  });

  it('orders Accept-Language by q, ignoring q=0', () => {
    expect(pickLocale({ acceptLanguage: 'ru;q=0.5, en;q=0.9' })).toBe('en');
    expect(pickLocale({ acceptLanguage: 'en;q=0, ru;q=0.1' })).toBe('ru');
    expect(pickLocale({ acceptLanguage: 'en;q=0' })).toBe('ru');
    expect(pickLocale({ acceptLanguage: 'EN-gb' })).toBe('en');
  });
});

describe('the login page', () => {
  it('ties a label to every visible field, with the autocomplete password managers need', () => {
    const page = login();
    for (const id of ['login', 'tenant', 'password']) {
      expect(page).toContain(`<label for="${id}">`);
      expect(attribute(tagWithId(page, id), 'name')).toBe(id);
    }
    expect(attribute(tagWithId(page, 'login'), 'autocomplete')).toBe('username');
    expect(attribute(tagWithId(page, 'password'), 'autocomplete')).toBe('current-password');
    expect(attribute(tagWithId(page, 'password'), 'type')).toBe('password');
    expect(page).toMatch(/<form method="post" action="\/sso\/interaction\/u1\/login">/);
    expect(page).toMatch(/<button type="submit" class="primary">Войти<\/button>/);
  });

  it('explains both forms of the login in a hint the field points at', () => {
    const page = login();
    expect(attribute(tagWithId(page, 'login'), 'aria-describedby')).toBe('login-hint');
    expect(tagWithId(page, 'login-hint')).toBeDefined();
    expect(page).toContain('логин@организация');
    expect(renderLoginPage({ locale: 'en', action: '/a', clientName: 'x' })).toContain('login@organization');
  });

  it('has no error region, aria-describedby to it or aria-invalid without an error', () => {
    const page = bodyOf(login({ login: 'ivanov@clinic' }));
    expect(page).not.toContain('role="alert"');
    expect(page).not.toContain('form-error');
    expect(page).not.toContain('aria-invalid');
    expect(attribute(tagWithId(page, 'password'), 'aria-describedby')).toBeUndefined();
  });

  it('shows an error in a role="alert" region that both fields reference', () => {
    const page = login({ login: 'ivanov@clinic', error: 'invalid' });
    const region = tagWithId(page, 'form-error');
    expect(attribute(region, 'role')).toBe('alert');
    expect(page.match(/role="alert"/g)).toHaveLength(1);
    expect(attribute(tagWithId(page, 'login'), 'aria-describedby')).toBe('login-hint form-error');
    expect(attribute(tagWithId(page, 'password'), 'aria-describedby')).toBe('form-error');
    expect(attribute(tagWithId(page, 'login'), 'aria-invalid')).toBe('true');
    expect(page).toContain('<strong>Ошибка:</strong> Неверный логин или пароль.');
  });

  it('keeps the typed login and tenant but never a password, and focuses the first empty field', () => {
    const page = login({ login: 'ivanov', tenant: 'clinic' });
    expect(attribute(tagWithId(page, 'login'), 'value')).toBe('ivanov');
    expect(attribute(tagWithId(page, 'tenant'), 'value')).toBe('clinic');
    expect(attribute(tagWithId(page, 'password'), 'value')).toBeUndefined();
    expect(tagWithId(page, 'password')).toContain('autofocus');
    expect(tagWithId(page, 'login')).not.toContain('autofocus');
    expect(tagWithId(login(), 'login')).toContain('autofocus');
  });

  it('says how many minutes a lockout lasts, in correct Russian plurals, without a word on the account', () => {
    const locked = (sec?: number, locale: Locale = 'ru') =>
      /role="alert">([\s\S]*?)<\/div>/.exec(login({ locale, error: 'locked', retryAfterSec: sec }))?.[1] ??
      '';
    expect(locked(900)).toContain('Попробуйте снова через 15 минут.');
    expect(locked(61)).toContain('через 2 минуты.');
    expect(locked(30)).toContain('через 1 минуту.');
    expect(locked(21 * 60)).toContain('через 21 минуту.');
    expect(locked()).toContain('Попробуйте снова позже.');
    expect(locked(900, 'en')).toContain('Try again in 15 minutes.');
    expect(locked(60, 'en')).toContain('Try again in 1 minute.');
    expect(locked(900)).not.toMatch(/учётн|существ|заблокирован/i);
    expect(locked(900, 'en')).not.toMatch(/account|exist/i);
    // A lockout is not the fields' fault.
    expect(bodyOf(login({ error: 'locked', retryAfterSec: 900 }))).not.toContain('aria-invalid');
  });

  it.each([
    ['invalid', 'Неверный логин или пароль.'],
    ['required', 'Введите логин и пароль.'],
    ['throttled', 'Слишком много попыток входа с вашего адреса.'],
    ['inactive-generic', 'Войти не удалось.'],
  ] as const)('has a message for %s', (error, text) => {
    expect(login({ error })).toContain(text);
  });

  it('sends the CSRF token back as a hidden field only when there is one', () => {
    expect(login({ csrfToken: 't0k' })).toContain('<input type="hidden" name="csrf" value="t0k" />');
    expect(login()).not.toContain('name="csrf"');
  });
});

describe('the consent page', () => {
  const page = renderConsentPage({
    locale: 'ru',
    action: '/sso/interaction/u1/consent',
    clientName: 'Отчёты+',
    scopes: ['openid', 'email', 'custom:read', 'constructor'],
    claims: ['email', 'x_claim'],
  });

  it('posts one form with two submit buttons, Allow first', () => {
    expect(page.match(/<form /g)).toHaveLength(1);
    const buttons = [...page.matchAll(/<button type="submit" name="decision" value="(allow|deny)"/g)].map(
      (b) => b[1],
    );
    expect(buttons).toEqual(['allow', 'deny']);
  });

  it('describes known scopes and claims in words and shows unknown ones by name', () => {
    expect(page).toContain('Ваш адрес электронной почты');
    expect(page).toContain('<code>custom:read</code>');
    expect(page).toContain('<code>constructor</code>');
    expect(page).toContain('Адрес электронной почты');
    expect(page).toContain('<code>x_claim</code>');
    expect(page).toContain('Приложение «Отчёты+» запрашивает доступ');
  });

  it('leaves out the claims list when no claims are asked for', () => {
    expect(
      renderConsentPage({ locale: 'en', action: '/c', clientName: 'x', scopes: ['openid'] }),
    ).not.toContain('The application will receive');
  });
});

describe('the logout pages', () => {
  it('embeds the provider’s form as given and submits it by its id', () => {
    const page = renderLogoutPage({ locale: 'ru', formHtml: LOGOUT_FORM, clientName: 'FOCUS' });
    expect(page).toContain(LOGOUT_FORM);
    expect(page).toMatch(
      /<button type="submit" form="op.logoutForm" name="logout" value="yes" class="primary">/,
    );
    expect(page).toMatch(
      /<button type="submit" form="op.logoutForm" class="secondary">\s*Нет, только из «FOCUS»/,
    );
    expect(renderLogoutPage({ locale: 'en', formHtml: LOGOUT_FORM })).toContain('No, stay signed in');
  });

  it('finds the form id in either quoting, and refuses a form without one', () => {
    expect(logoutFormId(LOGOUT_FORM)).toBe('op.logoutForm');
    expect(logoutFormId(`<form method='post' id='f1'>`)).toBe('f1');
    expect(() => logoutFormId('<form method="post"></form>')).toThrow(/no id/);
  });

  it('says which application was signed out of, or that OKC was', () => {
    expect(renderLoggedOutPage({ locale: 'ru', clientName: 'FOCUS' })).toContain(
      'Вы вышли из приложения «FOCUS».',
    );
    expect(renderLoggedOutPage({ locale: 'en' })).toContain('You have signed out of OKC.');
  });
});

describe('the error page', () => {
  it('translates a known message key and an OAuth error code, showing the code', () => {
    const page = renderErrorPage({ locale: 'ru', title: 'invalid_request', message: 'session-expired' });
    expect(page).toContain('<h1>Некорректный запрос</h1>');
    expect(page).toContain('Сеанс входа устарел');
    expect(page).toContain('<code>invalid_request</code>');
  });

  it('shows another text as it is, a default title, and the request id for support', () => {
    const page = renderErrorPage({
      locale: 'en',
      message: 'redirect_uri did not match',
      requestId: 'req-42',
    });
    expect(page).toContain('<h1>Something went wrong</h1>');
    expect(page).toContain('redirect_uri did not match');
    expect(page).toContain('Request number for support: <code>req-42</code>');
    expect(renderErrorPage({ locale: 'en', message: 'x' })).not.toContain('Request number');
  });

  it('cuts a very long text', () => {
    const page = renderErrorPage({ locale: 'en', message: 'y'.repeat(5000) });
    expect(page).toContain(`${'y'.repeat(300)}…`);
    expect(page).not.toContain('y'.repeat(301));
  });
});

describe('the shell and its Content-Security-Policy', () => {
  const pages = [...Object.entries(everyPage('ru')), ...Object.entries(everyPage('en'))];

  it.each(pages)('%s: embeds exactly the stylesheet whose hash the policy allows', (_name, page) => {
    const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
    expect(styles).toEqual([STYLESHEET]);
    const hash = `sha256-${createHash('sha256').update(styles[0]!, 'utf8').digest('base64')}`;
    expect(hash).toBe(STYLESHEET_HASH);
    expect(contentSecurityPolicy()).toContain(`style-src '${hash}'`);
  });

  it.each(pages)('%s: is a complete document with no script and no style attribute', (_name, page) => {
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page.trimEnd().endsWith('</html>')).toBe(true);
    expect(page).toMatch(/<meta name="viewport" content="width=device-width, initial-scale=1" \/>/);
    expect(page).toMatch(/<title>[^<]+ — OKC<\/title>/);
    expect(page.match(/<h1>/g)).toHaveLength(1);
    expect(page).toContain('<span class="brand">OKC</span>');
    expect(page).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
  });

  it('keeps focus visible and the layout fluid down to 320 px', () => {
    expect(STYLESHEET).toContain(':focus-visible{outline:3px solid');
    expect(STYLESHEET).toContain('min-width:320px');
    expect(STYLESHEET).not.toMatch(/outline:\s*(none|0)/);
    // No fixed width wider than a phone: only max-widths in rem and the 320 px minimum.
    expect(STYLESHEET).not.toMatch(/(?<!(min|max)-)width:\s*\d{3,}px/);
  });

  it('is the agreed policy, with the origins the form redirects go to', () => {
    expect(contentSecurityPolicy()).toBe(
      `default-src 'none'; style-src '${STYLESHEET_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    expect(
      contentSecurityPolicy([
        'https://app.example/cb?x=1',
        'https://app.example/other',
        'http://localhost:5173/',
      ]),
    ).toContain("form-action 'self' https://app.example http://localhost:5173;");
  });

  it('refuses a form-action entry that is not an http(s) URL, so nothing can be injected into the header', () => {
    expect(() => contentSecurityPolicy(['javascript:alert(1)'])).toThrow();
    expect(() => contentSecurityPolicy(["'unsafe-inline'; script-src *"])).toThrow();
  });

  it('comes with the other page headers', () => {
    expect(pageSecurityHeaders(['https://app.example'])).toEqual({
      'Content-Security-Policy': contentSecurityPolicy(['https://app.example']),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
    });
  });
});
