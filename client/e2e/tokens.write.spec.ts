import { expect, request, test } from '@playwright/test';

import { baseURL, expectAccessible, storageState, uniqueName } from './support';

test.describe('API tokens as the demo editor', () => {
  test.use({ storageState: storageState('editor'), permissions: ['clipboard-read', 'clipboard-write'] });

  test('a new token is shown once with a copy button and a curl line; it works, shows its last use, and stops after revoking', async ({ page }) => {
    const name = uniqueName('line 3 pusher');
    await page.goto('/tokens');
    await page.getByLabel('Name').fill(name);
    await page.getByRole('checkbox', { name: /measurements:write/ }).check();
    await page.getByLabel('Only these KPIs').fill('defect-rate');
    await page.getByLabel('Expires after (days)').fill('30');
    await page.getByRole('button', { name: 'Create token' }).click();

    const once = page.getByRole('region', { name: /created: copy it now/ });
    await expect(once.getByRole('heading')).toBeFocused();
    const token = await once.getByLabel('Token').inputValue();
    expect(token).toMatch(/^okr_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    await expect(once.getByLabel('Try it with curl')).toHaveValue(new RegExp(`^curl -X POST ${baseURL()}/api/v1/kpis/defect-rate/measurements -H "Authorization: Bearer ${token}"`));
    await once.getByRole('button', { name: 'Copy token' }).click();
    await expect(once.getByRole('status')).toHaveText('Copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await expectAccessible(page, 'the token shown once');

    const integrator = await request.newContext({ baseURL: baseURL(), extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
    expect((await integrator.get('/api/v1/kpis/defect-rate')).status()).toBe(200);

    await once.getByRole('button', { name: 'I have copied it' }).click();
    await expect(once).toHaveCount(0);
    await page.reload();
    const row = page.getByRole('row', { name: new RegExp(name) });
    await expect(row).toContainText('measurements:write');
    await expect(row).toContainText('defect-rate');
    await expect(row.getByRole('cell').nth(4)).not.toHaveText('Never');

    await row.getByRole('button', { name: `Revoke ${name}` }).click();
    await page.getByRole('dialog', { name: `Revoke ${name}?` }).getByRole('button', { name: 'Revoke token' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'revoked' })).toHaveText(`Token ${name} is revoked; requests with it now fail.`);
    await expect(row).toContainText('Revoked');
    expect((await integrator.get('/api/v1/kpis/defect-rate')).status()).toBe(401);
    await integrator.dispose();
  });

  test('a refused token says why at the field', async ({ page }) => {
    await page.goto('/tokens');
    await page.getByLabel('Name').fill(uniqueName('too long'));
    await page.getByLabel('Expires after (days)').fill('400');
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect(page.getByLabel('Expires after (days)')).toHaveAttribute('aria-invalid', 'true');
  });
});

test.describe('API tokens as the demo viewer', () => {
  test.use({ storageState: storageState('viewer') });

  test('a viewer is offered only the read scopes', async ({ page }) => {
    await page.goto('/tokens');
    await expect(page.getByRole('group', { name: 'Scopes' }).getByRole('checkbox')).toHaveCount(2);
    await expect(page.getByRole('checkbox', { name: /kpis:read/ })).toBeVisible();
    await expect(page.getByRole('checkbox', { name: /okrs:read/ })).toBeVisible();
    await expectAccessible(page, 'the tokens page as a viewer');
  });
});

test.describe('API tokens as the demo admin', () => {
  test.use({ storageState: storageState('admin') });

  test('an admin lists everyone’s tokens', async ({ page, browser }) => {
    const name = uniqueName('viewer token');
    const viewer = await browser.newContext({ baseURL: baseURL(), storageState: storageState('viewer') });
    const viewerPage = await viewer.newPage();
    await viewerPage.goto('/tokens');
    await viewerPage.getByLabel('Name').fill(name);
    await viewerPage.getByRole('button', { name: 'Create token' }).click();
    await expect(viewerPage.getByRole('region', { name: /created: copy it now/ })).toBeVisible();
    await viewer.close();

    await page.goto('/tokens');
    await expect(page.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);
    await page.getByRole('checkbox', { name: "Show everyone's tokens" }).check();
    await expect(page).toHaveURL(/all=true/);
    await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('Demo Viewer');
    await expectAccessible(page, "everyone's tokens");
  });
});
