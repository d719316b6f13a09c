import { expect, test } from '@playwright/test';

import { Api, expectAccessible, storageState, uniqueName } from './support';

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

test.describe('Service accounts as the demo admin', () => {
  test.use({ storageState: storageState('admin') });

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
    await section.getByRole('button', { name: `Rotate ${first}` }).focus();
    await page.keyboard.press('Enter');
    const rotate = page.getByRole('dialog', { name: `Rotate ${first}?` });
    await expect(rotate.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    const secret = section.getByRole('region', { name: /New secret of .*: copy it now/ });
    await expect(secret.getByRole('heading')).toBeFocused();
    await expectAccessible(page, 'a rotated secret shown once');

    // Revoking the other token: its Revoke button goes with the change, so focus returns to the shown secret, not the page body.
    await section.getByRole('button', { name: `Revoke ${second}` }).focus();
    await page.keyboard.press('Enter');
    const revoke = page.getByRole('dialog', { name: `Revoke ${second}?` });
    await expect(revoke.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
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
