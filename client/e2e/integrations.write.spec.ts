import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { expect, request, test } from '@playwright/test';

import { Api, baseURL, expectAccessible, storageState, teamId, uniqueName } from './support';

const sample = readFileSync(fileURLToPath(new URL('../../tests/samples/providers/azure-devops-workitem-updated.json', import.meta.url)), 'utf8');

test.describe('Integrations as the demo admin', () => {
  test.use({ storageState: storageState('admin'), permissions: ['clipboard-read', 'clipboard-write'] });

  test('a service account token authenticates an Azure DevOps receiver whose delivery shows in its log; the token rotates and is revoked', async ({ page }) => {
    // One journey across three screens, as an admin sets an integration up.
    test.setTimeout(90_000);
    // A KPI fed by events of its own, owned by Engineering, so no other test's counts move.
    const admin = await Api.as('admin');
    const kpi = uniqueName('bugs-closed');
    const created = await admin.post('/api/v1/kpis', {
      key: kpi,
      name: `E2E ${kpi}`,
      unit: 'bugs',
      valueType: 'number',
      frequency: 'weekly',
      fedBy: 'events',
      aggregation: 'count',
      target: { comparator: 'atLeast', value: 5, warning: 2 },
      ownerTeamId: await teamId(admin, 'Engineering'),
      tags: ['e2e'],
    });
    expect(created.status(), await created.text()).toBe(201);
    await admin.dispose();

    // The service account, through its form.
    const account = uniqueName('Azure DevOps');
    await page.goto('/integrations/service-accounts');
    await page.getByLabel('Account name').fill(account);
    await page.getByLabel('Role').selectOption('editor');
    await page.getByRole('group', { name: 'Teams' }).getByRole('checkbox', { name: 'Acme Corp › Engineering', exact: true }).check();
    await page.getByRole('button', { name: 'Create service account' }).click();
    await expect(page.getByRole('status').filter({ hasText: account })).toHaveText(`Service account ${account} is created; give it a token below.`);
    const section = page.getByRole('region', { name: account, exact: true });
    await expect(section).toContainText('Editor of Acme Corp › Engineering');

    // Its token: shown once, with a copy button.
    const tokenName = uniqueName('service hook');
    const form = section.getByRole('form', { name: `New token for ${account}` });
    await form.getByLabel('Token name').fill(tokenName);
    await form.getByRole('button', { name: 'Create token' }).click();
    const once = section.getByRole('region', { name: /created: copy it now/ });
    await expect(once.getByRole('heading')).toBeFocused();
    const token = await once.getByLabel('Token').inputValue();
    expect(token).toMatch(/^okr_[0-9a-f]{16}_/);
    await once.getByRole('button', { name: 'Copy token' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await expectAccessible(page, 'service accounts with a token shown once');
    await once.getByRole('button', { name: 'I have copied it' }).click();
    const row = section.getByRole('row', { name: new RegExp(tokenName) });
    await expect(row).toContainText('✓ Active');

    // The receiver from the Azure DevOps work-item preset; its hook URL is shown with how to authenticate.
    const receiverName = uniqueName('Bugs closed');
    await page.goto('/integrations');
    const receiverForm = page.getByRole('form', { name: 'New receiver' });
    await receiverForm.getByRole('textbox', { name: 'Name', exact: true }).fill(receiverName);
    await receiverForm.getByLabel('Preset').selectOption('azure-devops-work-item-resolved');
    await receiverForm.getByRole('group', { name: 'KPIs it feeds' }).getByLabel('KPI').fill(kpi);
    await expectAccessible(page, 'the new receiver form');
    await page.getByRole('button', { name: 'Create receiver' }).click();
    const done = page.getByRole('region', { name: `Receiver “${receiverName}” created` });
    await expect(done.getByRole('heading')).toBeFocused();
    const hookUrl = await done.getByLabel('Hook URL').inputValue();
    expect(hookUrl).toMatch(new RegExp(`^${baseURL()}/api/v1/hooks/[0-9a-f-]{36}$`));
    await expect(done).toContainText('Basic authentication');
    await expect(done.getByRole('link', { name: 'Create a token for a service account' })).toHaveAttribute('href', '/integrations/service-accounts');
    await done.getByRole('button', { name: 'Done' }).click();
    const listed = page.getByRole('row', { name: new RegExp(receiverName) });
    await expect(listed).toContainText(kpi);
    await expect(listed).toContainText('None yet');
    await expectAccessible(page, 'the receivers');

    // Try the provider's sample: what it would record, and nothing logged.
    await listed.getByRole('link', { name: receiverName }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(receiverName);
    await expect(page.getByLabel('Hook URL')).toHaveValue(hookUrl);
    await page.getByLabel('Payload (JSON)').fill(sample);
    await page.getByRole('button', { name: 'Try it' }).click();
    const result = page.getByRole('region', { name: 'What it would record' });
    await expect(result).toContainText('✓ Would record');
    await expect(result.getByRole('row', { name: new RegExp(`${kpi}.*5/2`) })).toBeVisible();
    await expect(page.getByText('No deliveries yet.')).toBeVisible();

    // A payload missing what the preset reads answers the 422 naming the failed path.
    await page.getByLabel('Payload (JSON)').fill(JSON.stringify({ eventType: 'workitem.updated', resource: { fields: { 'System.State': { newValue: 'Closed' } } } }));
    await page.getByRole('button', { name: 'Try it' }).click();
    await expect(page.getByRole('alert')).toContainText('It would fail');
    await expectAccessible(page, 'the receiver with a failed try');

    // The provider posts the sample with Basic auth (any user, the token as password): it shows in the delivery log.
    const provider = await request.newContext({ baseURL: baseURL() });
    const delivered = await provider.post(hookUrl, {
      data: sample,
      headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`azure-devops:${token}`).toString('base64')}` },
    });
    expect(delivered.status(), await delivered.text()).toBe(200);
    expect((await delivered.json()).outcome).toBe('recorded');
    await page.reload();
    const log = page.getByRole('table', { name: 'Deliveries, newest first' });
    await expect(log.locator('tbody > tr')).toHaveCount(1);
    await expect(log.locator('tbody > tr').first()).toContainText('200');
    await expect(log.locator('tbody > tr').first()).toContainText('✓ Recorded');
    await expectAccessible(page, 'the receiver with its delivery log');
    await page.goto('/integrations');
    await expect(page.getByRole('row', { name: new RegExp(receiverName) })).toContainText('✓ Recorded');

    // Rotate, keyboard only: the dialog asks first and explains the grace period; the new secret is shown once.
    await page.goto('/integrations/service-accounts');
    const rotateButton = section.getByRole('button', { name: `Rotate ${tokenName}` });
    await rotateButton.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Rotate ${tokenName}?` });
    await expect(dialog).toContainText('grace period');
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await expectAccessible(page, 'the rotate dialog');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(rotateButton).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(dialog.getByRole('button', { name: 'Rotate token' })).toBeFocused();
    await page.keyboard.press('Enter');
    const rotated = section.getByRole('region', { name: /New secret of .*: copy it now/ });
    await expect(rotated.getByRole('heading')).toBeFocused();
    await expect(rotated).toContainText('The previous secret keeps working until');
    const newToken = await rotated.getByLabel('Token').inputValue();
    expect(newToken).not.toBe(token);
    expect(newToken.slice(0, 21)).toBe(token.slice(0, 21));
    await page.keyboard.press('Tab');
    await expect(rotated.getByLabel('Token')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(rotated.getByRole('button', { name: 'Copy token' })).toBeFocused();

    // Revoke asks first; afterwards both secrets fail.
    await row.getByRole('button', { name: `Revoke ${tokenName}` }).click();
    await page.getByRole('dialog', { name: `Revoke ${tokenName}?` }).getByRole('button', { name: 'Revoke token' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'revoked' })).toHaveText(`Token ${tokenName} is revoked; requests with it now fail.`);
    await expect(row).toContainText('✕ Revoked');
    const refused = await provider.post(hookUrl, { data: sample, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${newToken}` } });
    expect(refused.status()).toBe(401);
    await provider.dispose();
  });
});

test.describe('Integrations as the demo editor', () => {
  test.use({ storageState: storageState('editor') });

  test('an editor has no Integrations link and is told who sets them up', async ({ page }) => {
    await page.goto('/kpis');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' })).toHaveCount(0);
    await page.goto('/integrations');
    await expect(page.getByText('Admins set up integrations.')).toBeVisible();
  });
});
