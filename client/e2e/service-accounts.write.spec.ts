import { expect, type Locator, type Page, test } from '@playwright/test';

import { Api, expectAccessible, storageState, teamId, uniqueName } from './support';

interface Account {
  id: string;
  name: string;
  version: number;
}

async function createAccount(admin: Api, name: string): Promise<Account> {
  const created = await admin.post('/api/v1/service-accounts', { name, role: 'viewer', teamIds: [] });
  expect(created.status(), await created.text()).toBe(201);
  return (await created.json()) as Account;
}

async function createToken(admin: Api, account: Account, name: string) {
  const created = await admin.post('/api/v1/tokens', { name, scopes: ['kpis:read'], expiresInDays: 30, serviceAccountId: account.id });
  expect(created.status(), await created.text()).toBe(201);
}

/** Opens a confirmation from its button and confirms it, keyboard only: focus starts on Cancel, the action is before it. */
async function confirmByKeyboard(page: Page, opener: Locator, dialogName: string) {
  await opener.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: dialogName }).getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
}

test.describe('Service accounts as the demo admin', () => {
  test.use({ storageState: storageState('admin') });

  test('an admin edits a service account by keyboard: a field error, then a stale save that keeps the input, then a save', async ({ page }) => {
    const admin = await Api.as('admin');
    const name = uniqueName('Jira');
    const account = await createAccount(admin, name);
    await page.goto('/integrations/service-accounts');
    // Located by id: the heading (and so the region's name) changes with the account's name.
    const section = page.locator(`[data-account="${account.id}"]`);
    await expect(section).toContainText('Viewer');

    const edit = section.getByRole('button', { name: `Edit ${name}` });
    await edit.focus();
    await page.keyboard.press('Enter');
    const form = section.getByRole('form', { name: /^Edit / });
    const nameField = form.getByLabel('Account name');
    await expect(nameField).toBeFocused();
    await expect(nameField).toHaveValue(name);
    await expectAccessible(page, 'a service account being edited');

    // A blank name: the API's field error shows at the field, and the rest of the input stays.
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await page.keyboard.press('Tab');
    await expect(form.getByLabel('Role')).toBeFocused();
    await form.getByLabel('Role').selectOption('editor');
    await form.getByRole('group', { name: 'Teams' }).getByRole('checkbox', { name: 'Acme Corp › Engineering', exact: true }).check();
    await form.getByRole('button', { name: 'Save' }).focus();
    await page.keyboard.press('Enter');
    await expect(nameField).toHaveAttribute('aria-invalid', 'true');
    await expect(form).toContainText('name is required.');
    await expect(form.getByLabel('Role')).toHaveValue('editor');
    await expectAccessible(page, 'a service account edit with a field error');

    // Someone else renames it meanwhile: Save answers 412, the input stays, and the next Save writes over their version.
    const renamed = `${name} (renamed)`;
    const meanwhile = await admin.put(
      `/api/v1/service-accounts/${account.id}`,
      { name: renamed, role: 'viewer', disabled: false, teamIds: [] },
      { 'If-Match': `"${account.version}"` },
    );
    expect(meanwhile.status(), await meanwhile.text()).toBe(200);
    const newName = uniqueName('Jira Cloud');
    await nameField.focus();
    await page.keyboard.type(newName);
    await page.keyboard.press('Enter');
    await expect(form.getByRole('alert')).toContainText('changed meanwhile');
    await expect(nameField).toHaveValue(newName);
    await expect(form.getByLabel('Role')).toHaveValue('editor');
    await expect(section.getByRole('heading', { level: 2 })).toHaveText(renamed);
    await form.getByRole('button', { name: 'Save' }).focus();
    await page.keyboard.press('Enter');

    await expect(page.getByRole('status').filter({ hasText: newName })).toHaveText(`Service account ${newName} is saved.`);
    await expect(section.getByRole('button', { name: `Edit ${newName}` })).toBeFocused();
    await expect(section).toContainText('Editor of Acme Corp › Engineering');
    const saved = await admin.json<{ items: (Account & { role: string; teamIds: string[] })[] }>('/api/v1/service-accounts?limit=200');
    const stored = saved.items.find((a) => a.id === account.id)!;
    expect(stored.name).toBe(newName);
    expect(stored.role).toBe('editor');
    expect(stored.teamIds).toEqual([await teamId(admin, 'Engineering')]);
    await admin.dispose();
  });

  test('with a secret shown, a confirm dialog gives focus to the new secret or, when its button is gone, back to the shown secret', async ({ page }) => {
    const admin = await Api.as('admin');
    const account = await createAccount(admin, uniqueName('Grafana'));
    const first = uniqueName('dashboards');
    const second = uniqueName('alerts');
    await createToken(admin, account, first);
    await createToken(admin, account, second);
    await admin.dispose();
    await page.goto('/integrations/service-accounts');
    const section = page.getByRole('region', { name: account.name, exact: true });

    // Rotating: the new secret appears while the dialog is open, and takes focus when it closes.
    await confirmByKeyboard(page, section.getByRole('button', { name: `Rotate ${first}` }), `Rotate ${first}?`);
    const secret = section.getByRole('region', { name: /New secret of .*: copy it now/ });
    await expect(secret.getByRole('heading')).toBeFocused();
    await expectAccessible(page, 'a rotated secret shown once');

    // Revoking the other token: its Revoke button goes with the change, so focus returns to the shown secret, not the page body.
    await confirmByKeyboard(page, section.getByRole('button', { name: `Revoke ${second}` }), `Revoke ${second}?`);
    await expect(page.getByRole('status').filter({ hasText: 'revoked' })).toHaveText(`Token ${second} is revoked; requests with it now fail.`);
    await expect(section.getByRole('row', { name: new RegExp(second) })).toContainText('✕ Revoked');
    await expect(section.getByRole('button', { name: `Revoke ${second}` })).toHaveCount(0);
    await expect(secret.getByRole('heading')).toBeFocused();

    // Esc on a confirmation whose button stays returns focus to that button.
    const revokeFirst = section.getByRole('button', { name: `Revoke ${first}` });
    await revokeFirst.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: `Revoke ${first}?` })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(revokeFirst).toBeFocused();
  });
});
