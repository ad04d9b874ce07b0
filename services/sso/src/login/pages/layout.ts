import { createHash } from 'node:crypto';
import { html, markSafe, type SafeHtml } from './html';
import { LOCALES, type Locale, messagesFor } from './i18n';

/**
 * The shell of every sign-in page, its one stylesheet and the Content-Security-Policy that allows exactly
 * that stylesheet and nothing else: no script, no image, no font, no frame, no external request at all.
 */

export const PRODUCT_NAME = 'OKC';

/**
 * The only style of the pages, inline so a page is one response. Mobile first and fluid down to 320 px;
 * colours meet WCAG AA (text ≥ 4.5:1, borders and the focus ring ≥ 3:1); focus is always visible; the
 * current language and errors are marked by weight, borders and text, not by colour alone. No `style=""`
 * attributes anywhere: the CSP hash covers this element's text only.
 */
export const STYLESHEET = [
  '*,*::before,*::after{box-sizing:border-box}',
  'html{-webkit-text-size-adjust:100%;text-size-adjust:100%}',
  'body{margin:0;min-width:320px;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1b1b1f;background:#f3f4f6}',
  '.top{display:flex;flex-wrap:wrap;gap:.5rem 1rem;justify-content:space-between;align-items:center;max-width:28rem;margin:0 auto;padding:1rem}',
  '.brand{font-weight:700;font-size:1.25rem;letter-spacing:.05em}',
  '.langs ul{display:flex;gap:1rem;list-style:none;margin:0;padding:0}',
  'a{color:#0b4fb3;text-decoration:underline;text-underline-offset:.15em}',
  'a[aria-current]{color:#1b1b1f;font-weight:700;text-decoration:none}',
  'main{max-width:28rem;margin:0 auto 2rem;padding:1.5rem 1rem;background:#fff;border:1px solid #d1d5db;border-radius:.5rem;overflow-wrap:anywhere}',
  '@media (min-width:30rem){main{padding:2rem}}',
  'h1{font-size:1.5rem;line-height:1.25;margin:0 0 .5rem}',
  'p,ul{margin:0 0 1rem}',
  '.lead{color:#374151}',
  '.field{margin:0 0 1rem}',
  'label{display:block;font-weight:600;margin:0 0 .25rem}',
  '.optional{font-weight:400;color:#4b5563}',
  '.hint{display:block;font-size:.875rem;color:#4b5563;margin:0 0 .375rem}',
  'input{display:block;width:100%;font:inherit;padding:.625rem .75rem;color:inherit;background:#fff;border:2px solid #6b7280;border-radius:.375rem}',
  'input[aria-invalid=true]{border-color:#b3261e;border-left-width:.5rem}',
  '.error{margin:0 0 1rem;padding:.75rem 1rem;color:#5c1410;background:#fdecea;border:2px solid #b3261e;border-left-width:.5rem;border-radius:.375rem}',
  '.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.5rem}',
  'button{flex:1 1 auto;min-height:2.75rem;padding:.625rem 1.25rem;font:inherit;font-weight:600;border:2px solid #0b4fb3;border-radius:.375rem;cursor:pointer}',
  '.primary{color:#fff;background:#0b4fb3}',
  '.secondary{color:#0b4fb3;background:#fff}',
  ':focus-visible{outline:3px solid #0b4fb3;outline-offset:3px}',
  'code{font-family:ui-monospace,SFMono-Regular,Consolas,monospace;overflow-wrap:anywhere}',
].join('\n');

/** The CSP source of `STYLESHEET`: `sha256-<base64>` (quote it in a policy: `'sha256-…'`). */
export const STYLESHEET_HASH = `sha256-${createHash('sha256').update(STYLESHEET, 'utf8').digest('base64')}`;

/**
 * The element, built outside any formatted template: its text must be `STYLESHEET` byte for byte (no
 * indentation added), or the browser's hash of it would not match the policy. Not escaped: a constant.
 */
const STYLE_ELEMENT = markSafe(`<style>${STYLESHEET}</style>`);

/** `https://app.example` from `https://app.example/cb?x=1`; throws on anything that is not an http(s) URL. */
function originOf(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`not an http(s) origin for form-action: ${url}`);
  }
  return parsed.origin;
}

/**
 * The Content-Security-Policy of the pages. Browsers also apply `form-action` to the redirects that follow
 * a form submission (Chrome does), so the origins of the client's `redirect_uri` / `post_logout_redirect_uri`
 * must be listed, or the final redirect back to a third-party application is blocked. Each entry is
 * reduced to its origin, which also keeps `;` or spaces out of the header.
 */
export function contentSecurityPolicy(formActionOrigins: readonly string[] = []): string {
  const extra = [...new Set(formActionOrigins.map(originOf))];
  return [
    "default-src 'none'",
    `style-src '${STYLESHEET_HASH}'`,
    ["form-action 'self'", ...extra].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * Every header of a page response: the CSP; no caching (a page holds a one-time form and the user's
 * login); no sniffing; no framing for old browsers without CSP; and no Referer carrying the interaction URL.
 */
export function pageSecurityHeaders(formActionOrigins: readonly string[] = []): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(formActionOrigins),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
  };
}

/**
 * The link to this page in another language: `pageUrl` with `lang` set (its other parameters kept), or
 * `?lang=en` relative to the current URL. Only a same-origin path is taken (`/…`, not `//host/…`), so a
 * crafted request URL cannot turn the language link into a link to another site.
 */
function languageHref(locale: Locale, pageUrl: string | undefined): string {
  if (!pageUrl || !/^\/(?![/\\])/.test(pageUrl)) return `?lang=${locale}`;
  const url = new URL(pageUrl, 'http://page.invalid');
  url.searchParams.set('lang', locale);
  return `${url.pathname}${url.search}`;
}

export interface LayoutOptions {
  readonly locale: Locale;
  /** The page's own title; " — OKC" is appended. */
  readonly title: string;
  readonly body: SafeHtml;
  /**
   * A GET URL of this page for the language links (`lang` is set on it). By default the links are
   * `?lang=xx`, relative to the current URL: give this when the page answers a POST.
   */
  readonly pageUrl?: string;
}

/** A complete HTML document around `body`. */
export function renderLayout({ locale, title, body, pageUrl }: LayoutOptions): string {
  const m = messagesFor(locale);
  const languages = LOCALES.map((l) => {
    const current = l === locale ? html`aria-current="true"` : '';
    const href = languageHref(l, pageUrl);
    return html`<li>
      <a href="${href}" hreflang="${l}" lang="${l}" ${current}>${messagesFor(l).languageName}</a>
    </li>`;
  });
  return html`<!DOCTYPE html>
    <html lang="${locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="color-scheme" content="light" />
        <title>${title} — ${PRODUCT_NAME}</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        <header class="top">
          <span class="brand">${PRODUCT_NAME}</span>
          <nav class="langs" aria-label="${m.layout.languages}">
            <ul>
              ${languages}
            </ul>
          </nav>
        </header>
        <main>${body}</main>
      </body>
    </html> `.toString();
}
