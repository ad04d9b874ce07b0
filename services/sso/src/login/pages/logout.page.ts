import { html, markSafe } from './html';
import { type Locale, messagesFor } from './i18n';
import { renderLayout } from './layout';

export interface LogoutPageOptions {
  readonly locale: Locale;
  /**
   * The form oidc-provider's `logoutSource(ctx, form)` hands over: `<form id="op.logoutForm" …>` with the
   * hidden `xsrf` input. Embedded as given (it is the provider's own markup); the buttons submit it by id.
   */
  readonly formHtml: string;
  /** The application that asked for the sign-out, if it is known. */
  readonly clientName?: string;
  /** A GET URL of this page for the language links (see `LayoutOptions.pageUrl`). */
  readonly pageUrl?: string;
}

/** The `id` of the `<form>` in oidc-provider's logout form markup. */
export function logoutFormId(formHtml: string): string {
  const id = /<form\b[^>]*?\sid\s*=\s*(?:"([^"]+)"|'([^']+)')/i.exec(formHtml);
  const value = id?.[1] ?? id?.[2];
  if (!value) throw new Error('the logout form has no id attribute to submit it by');
  return value;
}

/**
 * "Sign out of every OKC application?" Yes posts `logout=yes`, which oidc-provider answers by ending the
 * whole session; No posts without it, which ends only the asking application's part of it (its grant),
 * so the label names that application; with none known, No just leaves the session as it is.
 */
export function renderLogoutPage(options: LogoutPageOptions): string {
  const { locale } = options;
  const m = messagesFor(locale).logout;
  const formId = logoutFormId(options.formHtml);
  const body = html`<h1>${m.heading}</h1>
    <p class="lead">${m.question}</p>
    ${markSafe(options.formHtml)}
    <div class="actions">
      <button type="submit" form="${formId}" name="logout" value="yes" class="primary">${m.yes}</button>
      <button type="submit" form="${formId}" class="secondary">
        ${options.clientName ? m.noClient(options.clientName) : m.noSession}
      </button>
    </div>`;
  return renderLayout({
    locale,
    title: m.title,
    body,
    ...(options.pageUrl !== undefined ? { pageUrl: options.pageUrl } : {}),
  });
}

export interface LoggedOutPageOptions {
  readonly locale: Locale;
  /** The application signed out of, when only its part of the session ended. */
  readonly clientName?: string;
  readonly pageUrl?: string;
}

/** The page after a sign-out without a `post_logout_redirect_uri` to go back to. */
export function renderLoggedOutPage(options: LoggedOutPageOptions): string {
  const { locale } = options;
  const m = messagesFor(locale).loggedOut;
  const body = html`<h1>${m.heading}</h1>
    <p class="lead">${options.clientName ? m.fromClient(options.clientName) : m.fromAll}</p>
    <p>${m.closeTab}</p>`;
  return renderLayout({
    locale,
    title: m.title,
    body,
    ...(options.pageUrl !== undefined ? { pageUrl: options.pageUrl } : {}),
  });
}
