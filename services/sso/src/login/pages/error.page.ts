import { html } from './html';
import { type ErrorMessageKey, type Locale, messagesFor } from './i18n';
import { renderLayout } from './layout';

export interface ErrorPageOptions {
  readonly locale: Locale;
  /**
   * An OAuth error code (`invalid_request`, `access_denied`…), shown as a translated title with the code
   * beneath, or a title of your own. Default: "Something went wrong".
   */
  readonly title?: string;
  /**
   * A key of the translated messages (`session-expired`, `consent`, `not-found`, `server-error`), or a text
   * to show as it is (oidc-provider's `error_description`). Never an exception's message or stack.
   */
  readonly message: ErrorMessageKey | (string & {});
  /** The request id, for the user to quote to support. */
  readonly requestId?: string;
  /** A GET URL of this page for the language links (see `LayoutOptions.pageUrl`). */
  readonly pageUrl?: string;
}

/** Longer texts are cut: a description may echo request parameters, which should not fill the page. */
const MAX_MESSAGE_LENGTH = 300;

function shorten(text: string): string {
  const chars = [...text];
  return chars.length > MAX_MESSAGE_LENGTH ? `${chars.slice(0, MAX_MESSAGE_LENGTH).join('')}…` : text;
}

/** A page for an OpenID Connect or sign-in error: what happened in words, and the ids support needs. */
export function renderErrorPage(options: ErrorPageOptions): string {
  const { locale } = options;
  const m = messagesFor(locale).error;
  const oidcCode =
    options.title !== undefined && Object.hasOwn(m.oidcTitles, options.title) ? options.title : undefined;
  const title = oidcCode ? (m.oidcTitles[oidcCode] ?? m.title) : (options.title ?? m.title);
  const message = Object.hasOwn(m.messages, options.message)
    ? m.messages[options.message as ErrorMessageKey]
    : shorten(options.message);

  const body = html`<h1>${title}</h1>
    <p class="lead">${message}</p>
    ${oidcCode && html`<p>${m.errorCode} <code>${oidcCode}</code></p>`}
    ${options.requestId && html`<p>${m.requestId} <code>${shorten(options.requestId)}</code></p>`}`;
  return renderLayout({
    locale,
    title,
    body,
    ...(options.pageUrl !== undefined ? { pageUrl: options.pageUrl } : {}),
  });
}
