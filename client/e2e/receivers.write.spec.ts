import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { type APIResponse, expect, request, test } from '@playwright/test';

import { Api, baseURL, expectAccessible, storageState, teamId, uniqueName } from './support';

const sample = readFileSync(fileURLToPath(new URL('../../tests/samples/providers/generic.json', import.meta.url)), 'utf8');

/** A KPI of Engineering counting its events, made through the API. */
async function eventsKpi(admin: Api, prefix: string): Promise<string> {
  const key = uniqueName(prefix);
  const created = await admin.post('/api/v1/kpis', {
    key,
    name: `E2E ${key}`,
    unit: 'incidents',
    valueType: 'number',
    frequency: 'weekly',
    fedBy: 'events',
    aggregation: 'sum',
    target: { comparator: 'atMost', value: 5, warning: 8 },
    ownerTeamId: await teamId(admin, 'Engineering'),
    tags: ['e2e'],
  });
  expect(created.status(), await created.text()).toBe(201);
  return key;
}

async function json<T>(response: APIResponse, status: number): Promise<T> {
  expect(response.status(), await response.text()).toBe(status);
  return (await response.json()) as T;
}

test.describe('Editing, disabling and deleting a receiver as the demo admin', () => {
  test.use({ storageState: storageState('admin') });

  test('an admin edits a receiver (field errors, a 412 that keeps the input), disables it so the hook refuses and logs, enables it and deletes it', async ({ page }) => {
    test.setTimeout(90_000);
    // Arranged through the API: two KPIs fed by events, a generic receiver feeding the first, and a provider's token.
    const admin = await Api.as('admin');
    const first = await eventsKpi(admin, 'incidents');
    const second = await eventsKpi(admin, 'outages');
    const name = uniqueName('Incidents');
    const receiver = await json<{ id: string; hookPath: string }>(await admin.post('/api/v1/receivers', { name, preset: 'generic-json', kpis: [first] }), 201);
    const account = await json<{ id: string }>(
      await admin.post('/api/v1/service-accounts', { name: uniqueName('PagerDuty'), role: 'editor', teamIds: [await teamId(admin, 'Engineering')] }),
      201,
    );
    const { token } = await json<{ token: string }>(
      await admin.post('/api/v1/tokens', { name: uniqueName('hook'), scopes: ['measurements:write'], expiresInDays: 30, serviceAccountId: account.id }),
      201,
    );
    const provider = await request.newContext({ baseURL: baseURL(), extraHTTPHeaders: { Authorization: `Bearer ${token}` } });
    const deliver = () => provider.post(receiver.hookPath, { data: sample, headers: { 'Content-Type': 'application/json' } });

    await page.goto(`/integrations/receivers/${receiver.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
    await expect(page.getByText('✓ Enabled: takes deliveries')).toBeVisible();
    await expectAccessible(page, 'a receiver');

    // Edit: a KPI that does not exist gets the 400's message at its own field.
    await page.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit receiver' });
    const output = form.getByRole('group', { name: 'Output 1' });
    await output.getByRole('combobox', { name: 'KPI' }).fill('no-such-kpi');
    await form.getByRole('button', { name: 'Save receiver' }).click();
    await expect(output.getByRole('combobox', { name: 'KPI' })).toBeFocused();
    await expect(output).toContainText("KPI 'no-such-kpi' was not found.");
    await expectAccessible(page, 'the receiver form with a field error');

    // Another admin renames it meanwhile: Save answers 412, the input stays, Reload takes their version and Save applies ours.
    const renamed = `${name} (theirs)`;
    await json(await admin.patch(`/api/v1/receivers/${receiver.id}`, { name: renamed }, { 'If-Match': '*' }), 200);
    const ours = `${name} (ours)`;
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill(ours);
    await output.getByRole('combobox', { name: 'KPI' }).fill(second);
    await form.getByRole('button', { name: 'Save receiver' }).click();
    await expect(form.getByRole('alert')).toContainText('changed meanwhile');
    await expect(form.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue(ours);
    await form.getByRole('button', { name: 'Reload' }).click();
    await expect(form.getByRole('status')).toContainText('Your input is unchanged');
    await form.getByRole('button', { name: 'Save receiver' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'is saved' })).toHaveText(`${ours} is saved.`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(ours);
    await expect(page.getByRole('link', { name: second })).toBeVisible();

    // Disable, keyboard only: the hook then refuses with 403, and the log says why.
    const disable = page.getByRole('button', { name: 'Disable' });
    await disable.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: 'disabled' })).toHaveText(`${ours} is disabled: deliveries are refused (403) and logged.`);
    await expect(page.getByText('⏸ Disabled: refuses deliveries')).toBeVisible();
    const refused = await deliver();
    expect(refused.status(), await refused.text()).toBe(403);
    await page.reload();
    const log = page.getByRole('table', { name: 'Deliveries, newest first' });
    await expect(log.locator('tbody > tr')).toHaveCount(1);
    await expect(log.locator('tbody > tr').first()).toContainText('403');
    await expect(log.locator('tbody > tr').first()).toContainText('⏸ Refused: receiver disabled');
    await expectAccessible(page, 'a disabled receiver with its refusal logged');

    // Enable again: the next delivery is recorded.
    await page.getByRole('button', { name: 'Enable' }).click();
    await expect(page.getByText('✓ Enabled: takes deliveries')).toBeVisible();
    expect((await json<{ outcome: string }>(await deliver(), 200)).outcome).toBe('recorded');

    // Delete: the dialog asks first with the focus on Cancel; Esc closes it and gives the focus back.
    const remove = page.getByRole('button', { name: 'Delete', exact: true });
    await remove.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Delete ${ours}?` });
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await expectAccessible(page, 'the delete receiver dialog');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(remove).toBeFocused();
    await remove.click();
    await dialog.getByRole('button', { name: 'Delete receiver' }).click();
    await expect(page).toHaveURL(/\/integrations$/);
    await expect(page.getByRole('row', { name: new RegExp(ours) })).toHaveCount(0);
    expect((await deliver()).status()).toBe(404);
    await page.goto(`/integrations/receivers/${receiver.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Receiver not found');

    await provider.dispose();
    await admin.dispose();
  });
});
