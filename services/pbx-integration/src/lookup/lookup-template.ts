/** Where the caller's number goes in an http-json connector's URL and body. */
export const NUMBER_PLACEHOLDER = '{number}';

/** The URL to call: `{number}` URL-encoded (`+7 495…` becomes `%2B7%20495…`), so it cannot change the path. */
export function fillUrlTemplate(template: string, number: string): string {
  return template.replaceAll(NUMBER_PLACEHOLDER, encodeURIComponent(number));
}

/**
 * The body to send: `{number}` escaped for the body's content type, so a number cannot break out of its
 * place: JSON-string-escaped for JSON (write `"{number}"` in the template), URL-encoded for a form, as is
 * otherwise.
 */
export function fillBodyTemplate(template: string, number: string, contentType: string): string {
  const type = contentType.toLowerCase();
  const value = type.includes('json')
    ? JSON.stringify(number).slice(1, -1)
    : type.includes('application/x-www-form-urlencoded')
      ? encodeURIComponent(number)
      : number;
  return template.replaceAll(NUMBER_PLACEHOLDER, value);
}

/** A header's value by case-insensitive name. */
export function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
