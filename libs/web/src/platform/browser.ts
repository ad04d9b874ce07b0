/**
 * The few browser navigation calls the shell makes, behind one object so tests can replace them
 * (`vi.spyOn(browser, 'assign')`) instead of navigating away from the test page.
 */
export const browser = {
  /** A full page navigation: sign-in and logout leave the SPA. */
  assign(url: string): void {
    window.location.assign(url);
  },
  /** The path to come back to after sign-in: path, query and hash of the current page. */
  currentPath(): string {
    const { pathname, search, hash } = window.location;
    return `${pathname}${search}${hash}`;
  },
};

/** The gateway's sign-in entry; it sends the browser back to `returnTo` (a same-origin path) afterwards. */
export function signInUrl(returnTo: string): string {
  return `/auth/login?returnTo=${encodeURIComponent(returnTo)}`;
}
