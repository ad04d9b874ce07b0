import { expect, type Page } from '@playwright/test';

/** The gateway the global setup started. */
export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error('E2E_BASE_URL is not set: run through playwright.config.ts (its global setup)');
  return url;
}

/** Fills sso's sign-in form (the page the browser was sent to) and submits it. */
export async function submitSignIn(page: Page, login: string, password: string): Promise<void> {
  await expect(page.getByLabel(/логин|login/i).first()).toBeVisible();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').first().click();
}

/** Opens an app path and signs in when sent to sso; lands back in the app. */
export async function openSignedIn(page: Page, appPath: string, login: string): Promise<void> {
  await page.goto(`${baseUrl()}${appPath}`);
  await page.waitForURL(/\/sso\/interaction\//);
  await submitSignIn(page, login, 'demo');
  await page.waitForURL(new RegExp(`${appPath.replace(/\//g, '\\/')}`));
}
