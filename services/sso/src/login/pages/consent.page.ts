import { html } from './html';
import { type Locale, messagesFor } from './i18n';
import { renderLayout } from './layout';

export interface ConsentPageOptions {
  readonly locale: Locale;
  /** Where the form posts: `decision=allow` or `decision=deny`. */
  readonly action: string;
  readonly clientName: string;
  /** The scopes to grant; known ones are described in words, unknown ones shown by name. */
  readonly scopes: readonly string[];
  /** The individual claims asked for beyond the scopes, if any. */
  readonly claims?: readonly string[];
  /** Sent back as the hidden field `csrf`. */
  readonly csrfToken?: string;
  /** A GET URL of this page for the language links (see `LayoutOptions.pageUrl`). */
  readonly pageUrl?: string;
}

/** A known item in words, else its name as code. Own properties only: `constructor` is not a scope. */
function describe(known: Readonly<Record<string, string>>, name: string) {
  return Object.hasOwn(known, name) ? known[name] : html`<code>${name}</code>`;
}

/**
 * Asks the user to let a (third-party) application use their account. One form with two submit buttons,
 * so it works without JavaScript; Allow comes first, so Enter allows, as the user expects of the page.
 */
export function renderConsentPage(options: ConsentPageOptions): string {
  const { locale } = options;
  const all = messagesFor(locale);
  const m = all.consent;
  const claims = options.claims ?? [];

  const body = html`<h1>${m.heading}</h1>
    <p class="lead">${m.request(options.clientName)}</p>
    <ul class="scopes">
      ${[...new Set(options.scopes)].map((scope) => html`<li>${describe(all.scopes, scope)}</li>`)}
    </ul>
    ${
      claims.length > 0 &&
      html`<p>${m.claimsIntro}</p>
        <ul class="claims">
          ${[...new Set(claims)].map((claim) => html`<li>${describe(all.claims, claim)}</li>`)}
        </ul>`
    }
    <form method="post" action="${options.action}">
      ${options.csrfToken !== undefined && html`<input type="hidden" name="csrf" value="${options.csrfToken}" />`}
      <div class="actions">
        <button type="submit" name="decision" value="allow" class="primary">${m.allow}</button>
        <button type="submit" name="decision" value="deny" class="secondary">${m.deny}</button>
      </div>
    </form>`;

  return renderLayout({
    locale,
    title: m.title,
    body,
    ...(options.pageUrl !== undefined ? { pageUrl: options.pageUrl } : {}),
  });
}
