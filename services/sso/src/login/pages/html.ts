/**
 * HTML building for the server-rendered pages: every interpolated value is escaped unless it is `SafeHtml`,
 * which only this tag and `markSafe` produce. So a page cannot be injected into by forgetting to escape;
 * it takes a visible `markSafe(...)` to put raw markup in.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Text safe in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}

/** Not exported: only this module can construct `SafeHtml`. */
const CONSTRUCT = Symbol('SafeHtml');

/** Markup that is already safe: built by `html`, or explicitly trusted with `markSafe`. */
export class SafeHtml {
  readonly #markup: string;

  constructor(token: typeof CONSTRUCT, markup: string) {
    if (token !== CONSTRUCT) throw new TypeError('SafeHtml is made by html`…` or markSafe()');
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }
}

/**
 * Trusts `markup` as it is. Only for markup that comes from code we trust (oidc-provider's logout form),
 * never for anything a user or a client application typed.
 */
export function markSafe(markup: string): SafeHtml {
  return new SafeHtml(CONSTRUCT, markup);
}

/** What may be interpolated: text and numbers are escaped; nothing, `false` and `null` render as nothing. */
export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * The template tag of the pages: ``html`<p>${text}</p>` `` escapes `text`; nested `html` fragments and
 * arrays of them are inserted as they are. Attribute values must be quoted in the template.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(CONSTRUCT, out);
}
