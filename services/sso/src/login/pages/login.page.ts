import { html, type SafeHtml } from './html';
import { type Locale, type LoginError, messagesFor } from './i18n';
import { renderLayout } from './layout';

export interface LoginPageOptions {
  readonly locale: Locale;
  /** Where the form posts. */
  readonly action: string;
  /** The application the user signs in to, as its registration names it. */
  readonly clientName: string;
  /** The login typed before (or a `login_hint`), to type it only once. Never the password. */
  readonly login?: string;
  readonly tenant?: string;
  readonly error?: LoginError;
  /** For `locked` and `throttled`: the wait, shown in whole minutes, rounded up. */
  readonly retryAfterSec?: number;
  /** Sent back as the hidden field `csrf`. */
  readonly csrfToken?: string;
  /** A GET URL of the sign-in page for the language links (see `LayoutOptions.pageUrl`). */
  readonly pageUrl?: string;
}

const ERROR_ID = 'form-error';

/** The wait of a lockout as the user reads it: whole minutes, rounded up, at least one. */
export function minutesToWait(retryAfterSec: number | undefined): number | undefined {
  if (retryAfterSec === undefined || !Number.isFinite(retryAfterSec) || retryAfterSec <= 0) return undefined;
  return Math.max(1, Math.ceil(retryAfterSec / 60));
}

function errorText(locale: Locale, error: LoginError, retryAfterSec: number | undefined): string {
  const errors = messagesFor(locale).loginErrors;
  switch (error) {
    case 'locked':
      return errors.locked(minutesToWait(retryAfterSec));
    case 'throttled':
      return errors.throttled(minutesToWait(retryAfterSec));
    case 'invalid':
    case 'required':
    case 'inactive-generic':
      return errors[error];
  }
}

/**
 * The sign-in form: one login field that takes `login@tenant` (or a login with the tenant in the optional
 * second field), the password, one button. Works without JavaScript. Every error reads the same whether or
 * not the account exists; the error is a `role="alert"` region the fields point at with aria-describedby.
 */
export function renderLoginPage(options: LoginPageOptions): string {
  const { locale, error } = options;
  const m = messagesFor(locale).login;
  const errorRegion: SafeHtml | false =
    error !== undefined &&
    html`<div id="${ERROR_ID}" class="error" role="alert">
      <strong>${messagesFor(locale).errorPrefix}</strong> ${errorText(locale, error, options.retryAfterSec)}
    </div>`;
  // Only a wrong or missing entry marks the fields invalid; a lockout is not the fields' fault.
  const invalid = error === 'invalid' || error === 'required' ? html` aria-invalid="true"` : '';
  const errorRef = error === undefined ? undefined : ERROR_ID;
  const login = options.login ?? '';
  // The first field to fill gets the focus: the password when the login is already there.
  const loginAttributes = html` aria-describedby="${['login-hint', errorRef].filter(Boolean).join(' ')}"${invalid}${
    login ? '' : html` autofocus`
  }`;
  const passwordAttributes = html`${errorRef && html` aria-describedby="${errorRef}"`}${invalid}${
    login && html` autofocus`
  }`;

  const body = html`<h1>${m.heading}</h1>
    <p class="lead">${m.toContinue(options.clientName)}</p>
    ${errorRegion}
    <form method="post" action="${options.action}">
      ${options.csrfToken !== undefined && html`<input type="hidden" name="csrf" value="${options.csrfToken}" />`}
      <div class="field">
        <label for="login">${m.loginLabel}</label>
        <span id="login-hint" class="hint">${m.loginHint}</span>
        <input
          id="login"
          name="login"
          type="text"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          required
          maxlength="200"
          value="${login}"
          ${loginAttributes}
        />
      </div>
      <div class="field">
        <label for="tenant">${m.tenantLabel} <span class="optional">${m.optional}</span></label>
        <span id="tenant-hint" class="hint">${m.tenantHint}</span>
        <input
          id="tenant"
          name="tenant"
          type="text"
          autocomplete="off"
          autocapitalize="none"
          spellcheck="false"
          maxlength="64"
          value="${options.tenant ?? ''}"
          aria-describedby="tenant-hint"
        />
      </div>
      <div class="field">
        <label for="password">${m.passwordLabel}</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required${passwordAttributes}
        />
      </div>
      <div class="actions">
        <button type="submit" class="primary">${m.submit}</button>
      </div>
    </form>`;

  return renderLayout({
    locale,
    title: m.title,
    body,
    ...(options.pageUrl !== undefined ? { pageUrl: options.pageUrl } : {}),
  });
}
