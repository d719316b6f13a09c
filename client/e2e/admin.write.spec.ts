import { expect, test } from '@playwright/test';

import { Api, baseURL, contextFor, createKpi, expectAccessible, signedOut, storageState, uniqueName } from './support';

test.describe('administration as the demo admin', () => {
  test.use({ storageState: storageState('admin') });

  test('people: add someone, change role and teams, set a new password, disable', async ({ page, browser }) => {
    const address = `${uniqueName('new-person')}@e2e.example`;
    await page.goto('/admin/people');
    const form = page.getByRole('form', { name: 'New person' });
    await form.getByLabel('Email').fill(address);
    await form.getByLabel('Display name').fill('Nina New');
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByLabel('Initial password').fill('first password of nina');
    await page.getByRole('button', { name: 'Add person' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'can now sign in' })).toHaveText(`Nina New can now sign in as ${address}.`);
    await expectAccessible(page, 'people');

    await page.getByLabel('Find by name or email').fill(address);
    await page.getByRole('button', { name: 'Find' }).click();
    const row = page.locator(`tr[data-email="${address}"]`);
    await expect(row).toContainText('viewer');
    await row.getByRole('button', { name: 'Edit Nina New' }).click();
    const edit = page.getByRole('form', { name: 'Edit Nina New' });
    await edit.getByLabel('Role').selectOption('editor');
    await edit.getByRole('checkbox', { name: 'Acme Corp › Manufacturing' }).check();
    await expectAccessible(page, 'editing a person');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'saved' })).toHaveText('Nina New saved.');
    await expect(row).toContainText('editor');
    await expect(row).toContainText('Acme Corp › Manufacturing');

    await row.getByRole('button', { name: 'Edit Nina New' }).click();
    const reset = page.getByRole('form', { name: 'Set a new password for Nina New' });
    await reset.getByLabel('New password').fill('second password of nina');
    await reset.getByRole('button', { name: 'Set password' }).click();
    await expect(reset.getByRole('status')).toHaveText('The password of Nina New is changed.');
    const nina = await contextFor(browser, address, 'second password of nina');
    await expect(nina.page.getByRole('link', { name: 'Account of Nina New, Editor' })).toBeVisible();

    await page.getByRole('form', { name: 'Edit Nina New' }).getByRole('checkbox', { name: /^Disabled/ }).check();
    await page.getByRole('form', { name: 'Edit Nina New' }).getByRole('button', { name: 'Save' }).click();
    await expect(row).toContainText('Disabled');
    await nina.page.reload();
    await expect(nina.page).toHaveURL(/\/login/);
    await nina.context.close();
  });

  test('a refused person says why at the field', async ({ page }) => {
    await page.goto('/admin/people');
    const form = page.getByRole('form', { name: 'New person' });
    await form.getByLabel('Email').fill(`${uniqueName('short')}@e2e.example`);
    await form.getByLabel('Display name').fill('Short Password');
    await form.getByLabel('Initial password').fill('short');
    await page.getByRole('button', { name: 'Add person' }).click();
    await expect(form.getByLabel('Initial password')).toHaveAttribute('aria-invalid', 'true');
  });

  test('teams: add one under Engineering, rename it, move it to the top, delete it', async ({ page }) => {
    const name = uniqueName('Team');
    await page.goto('/admin/teams');
    const form = page.getByRole('form', { name: 'New team' });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Parent team').selectOption({ label: 'Acme Corp › Engineering' });
    await page.getByRole('button', { name: 'Add team' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'created' })).toHaveText(`Team ${name} created.`);
    const item = page.getByRole('listitem').filter({ hasText: name });
    await expect(item).toHaveCSS('margin-inline-start', '48px');
    await expectAccessible(page, 'teams');

    await item.getByRole('button', { name: `Edit ${name}` }).click();
    const edit = page.getByRole('form', { name: `Edit team ${name}` });
    await edit.getByLabel('Name').fill(`${name} renamed`);
    await edit.getByLabel('Parent team').selectOption('');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'saved' })).toHaveText(`Team ${name} renamed saved.`);
    const moved = page.getByRole('listitem').filter({ hasText: `${name} renamed` });
    await expect(moved).toHaveCSS('margin-inline-start', '0px');

    await moved.getByRole('button', { name: `Delete ${name} renamed` }).click();
    await page.getByRole('dialog', { name: `Delete team ${name} renamed?` }).getByRole('button', { name: 'Delete team' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'deleted' })).toHaveText(`Team ${name} renamed deleted.`);
    await expect(page.getByRole('listitem').filter({ hasText: name })).toHaveCount(0);
  });

  test('a team that still owns KPIs cannot be deleted, and the page says why', async ({ page }) => {
    await page.goto('/admin/teams');
    await page.getByRole('button', { name: 'Delete Manufacturing' }).click();
    await page.getByRole('dialog', { name: 'Delete team Manufacturing?' }).getByRole('button', { name: 'Delete team' }).click();
    await expect(page.getByRole('listitem').filter({ hasText: 'Manufacturing' }).getByRole('alert')).toBeVisible();
  });

  test('the audit log filters by who, what and when, keeps the filters in the address, and shows before and after', async ({ page }) => {
    const admin = await Api.as('admin');
    const kpi = await createKpi(admin);
    await page.goto('/admin/audit');
    await page.getByLabel('Who').fill('admin@demo.okrkpi.example');
    await page.getByLabel('What').selectOption('kpi');
    await page.getByLabel('Action').fill('create');
    await page.getByLabel('From').fill(new Date().toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/actor=admin%40demo.okrkpi.example/);
    await expect(page).toHaveURL(/entity=kpi/);
    const entry = page.getByRole('row').filter({ hasText: kpi.id });
    await expect(entry).toContainText('create');
    await entry.getByRole('button', { name: /^Details of create kpi/ }).click();
    await expect(page.locator('.audit-details')).toContainText(`"key": "${kpi.key}"`);
    await expectAccessible(page, 'the audit log');
    await page.reload();
    await expect(page.getByLabel('What')).toHaveValue('kpi');
    await expect(page.getByRole('row').filter({ hasText: kpi.id })).toBeVisible();
  });
});

test('the account page changes my password; a wrong current password is refused at its field', async ({ browser }) => {
  const admin = await Api.as('admin');
  const address = `${uniqueName('account')}@e2e.example`;
  const created = await admin.post('/api/v1/users', { email: address, displayName: 'Pat Password', role: 'viewer', password: 'the first password' });
  expect(created.status()).toBe(201);
  const { context, page } = await contextFor(browser, address, 'the first password');
  await page.getByRole('link', { name: /^Account of Pat Password/ }).click();
  await expect(page.getByRole('heading', { name: 'Account' })).toBeVisible();
  await expectAccessible(page, 'the account page');

  await page.getByLabel('Current password').fill('not my password');
  await page.getByLabel('New password (required)', { exact: true }).fill('the second password');
  await page.getByLabel('New password again').fill('the second password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByLabel('Current password')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Current password').fill('the first password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'changed' })).toHaveText('Your password is changed. Your other sessions have ended.');
  await context.close();

  const again = await browser.newContext({ baseURL: baseURL(), storageState: signedOut });
  const check = await again.request.post('/api/v1/session', { data: { email: address, password: 'the second password' } });
  expect(check.status()).toBe(200);
  await again.close();
});
