import { expect, test } from '@playwright/test';

import { Api, contextFor, createPerson } from './support';

test('after Sign out, /kpis leads to the sign-in page, and the session is over on the server too', async ({ browser }) => {
  const person = await createPerson(await Api.as('admin'), 'viewer');
  const { context, page } = await contextFor(browser, person.email, person.password);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/kpis');
  await expect(page).toHaveURL(/\/login\?redirect=%2Fkpis$/);
  expect((await page.request.get('/api/v1/session')).status()).toBe(401);
  await context.close();
});

test('signing out drops the drafts typed in this tab', async ({ browser }) => {
  const person = await createPerson(await Api.as('admin'), 'editor', ['Manufacturing']);
  const { context, page } = await contextFor(browser, person.email, person.password);
  await page.goto('/kpis/new');
  await page.getByLabel('Name').fill('a draft nobody should see later');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('okrkpi:draft:')))).toEqual([]);
  await context.close();
});
