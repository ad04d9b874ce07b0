import { expect, test } from '@playwright/test';
import { baseUrl, openSignedIn, submitSignIn } from './support';

test('op1 signs in at /operator/ and sees the operator app with their name', async ({ page }) => {
  await openSignedIn(page, '/operator/', 'op1@demo');
  await expect(page.getByTestId('user-name')).toHaveText('Оператор 1');
  await expect(page.getByTestId('app-title')).toBeVisible();
  await expect(page.getByTestId('no-access')).toHaveCount(0);
});

test('a wrong password shows the localized error and stays on the form', async ({ page }) => {
  await page.goto(`${baseUrl()}/operator/`);
  await page.waitForURL(/\/sso\/interaction\//);
  await submitSignIn(page, 'op2@demo', 'not-the-password');
  await expect(page.getByRole('alert')).toContainText('Неверный логин или пароль');
  await expect(page.locator('input[name="password"]')).toBeVisible();
});

test('one sign-in opens every app: a supervisor signed in at /operator/ opens /supervisor/ directly', async ({
  page,
}) => {
  await openSignedIn(page, '/operator/', 'supervisor@demo');
  await expect(page.getByTestId('user-name')).toHaveText('Супервизор');
  await page.goto(`${baseUrl()}/supervisor/`);
  await expect(page.getByTestId('user-name')).toHaveText('Супервизор');
  expect(page.url()).not.toContain('/sso/');
});

test('signing out of one app ends the session in all of them', async ({ page }) => {
  await openSignedIn(page, '/operator/', 'supervisor@demo');
  await page.goto(`${baseUrl()}/supervisor/`);
  await expect(page.getByTestId('user-name')).toHaveText('Супервизор');
  await page.getByTestId('logout').click();
  // sso asks once whether to sign out of every OKC application.
  await page.waitForURL(/\/sso\/session\/end/);
  await page.locator('button[name="logout"][value="yes"]').click();
  await page.waitForURL(`${baseUrl()}/`);
  for (const app of ['/operator/', '/supervisor/']) {
    await page.goto(`${baseUrl()}${app}`);
    await page.waitForURL(/\/sso\/interaction\//);
    await expect(page.locator('input[name="password"]')).toBeVisible();
  }
});

test('op1 is refused at /manager/ with a clear "no access" page', async ({ page }) => {
  await openSignedIn(page, '/manager/', 'op1@demo');
  await expect(page.getByTestId('no-access')).toBeVisible();
  await expect(page.getByTestId('open-operator')).toBeVisible();
});
