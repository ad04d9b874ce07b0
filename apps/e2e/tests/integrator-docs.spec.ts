import { expect, test } from '@playwright/test';
import { baseUrl } from './support';

test('an integrator opens /docs and sees the API it may call, under the gateway’s CSP', async ({ page }) => {
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  await page.goto(`${baseUrl()}/docs`);
  await expect(page.getByRole('heading', { name: /OKC integrator API/ })).toBeVisible();
  // focus's operation, assembled from focus's own document, with the service in its tag.
  await expect(page.getByText('/api/v1/focus/whoami')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Authorize' })).toBeVisible();
  // sso's admin API admits no integrator, so it is not there.
  await expect(page.getByText('/api/v1/sso/users')).toHaveCount(0);
  expect(refused).toEqual([]);
});
