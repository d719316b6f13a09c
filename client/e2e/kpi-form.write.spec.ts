import { expect, test } from '@playwright/test';

import { Api, createKpi, expectAccessible, storageState, uniqueName } from './support';

test.describe('creating and editing KPIs as the demo editor', () => {
  test.use({ storageState: storageState('editor') });

  test('a new KPI with a between target opens on its own page', async ({ page }) => {
    const key = uniqueName('form-kpi');
    await page.goto('/kpis');
    await page.getByRole('link', { name: 'New KPI' }).click();
    await expect(page).toHaveURL(/\/kpis\/new$/);
    await page.getByLabel('Key').fill(key);
    await page.getByLabel('Name').fill('Line temperature');
    await page.getByLabel('Description').fill('Average temperature of line 3.');
    await page.getByLabel('Formula').fill('mean of the hourly readings');
    await page.getByLabel('Unit').fill('°C');
    await page.getByLabel('Frequency').selectOption('daily');
    await page.getByLabel('Comparator').selectOption('between');
    await page.getByLabel('Low').fill('18');
    await page.getByLabel('High').fill('22');
    await page.getByLabel('Warning').fill('16');
    await page.getByLabel('Owner team').selectOption({ label: 'Acme Corp › Manufacturing' });
    await page.getByLabel('Tags').fill('manufacturing, line-3');
    await page.getByRole('button', { name: 'Create KPI' }).click();

    await expect(page).toHaveURL(new RegExp(`/kpis/${key}$`));
    await expect(page.getByRole('heading', { level: 1, name: 'Line temperature' })).toBeVisible();
    const definition = page.getByRole('region', { name: 'Definition' });
    await expect(definition).toContainText('18–22 °C (at risk from 16 °C)');
    await expect(definition).toContainText('line-3');
    await expect(page.getByText('No values in this range, so nothing to draw.')).toBeVisible();
  });

  test('a stale edit answers 412: the form says the KPI changed meanwhile, keeps the input, and saves after Reload', async ({ page }) => {
    const admin = await Api.as('admin');
    const kpi = await createKpi(admin, { values: [11] });
    await page.goto(`/kpis/${kpi.key}/edit`);
    await expect(page.getByLabel('Name')).toHaveValue(kpi.name);
    await page.getByLabel('Name').fill('My better name');
    await page.getByLabel('Target value').fill('12');

    // Someone else saves first.
    const current = await admin.json<Record<string, unknown> & { version: number }>(`/api/v1/kpis/${kpi.key}`);
    const { key, name, description, formula, unit, valueType, frequency, target, ownerTeamId } = current;
    const theirs = await admin.put(
      `/api/v1/kpis/${kpi.key}`,
      { key, name, description, formula, unit, valueType, frequency, target, ownerTeamId, tags: ['theirs'] },
      { 'If-Match': `"${current.version}"` },
    );
    expect(theirs.status(), await theirs.text()).toBe(200);

    await page.getByRole('button', { name: 'Save changes' }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('This KPI was changed meanwhile by someone else. Reload to get their version; your input is kept.');
    await expect(page.getByLabel('Name')).toHaveValue('My better name');
    await expect(page.getByLabel('Target value')).toHaveValue('12');
    await expectAccessible(page, 'the KPI form after a 412');

    await alert.getByRole('button', { name: 'Reload' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Loaded version' })).toContainText('Your input is unchanged');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page).toHaveURL(new RegExp(`/kpis/${kpi.key}$`));
    await expect(page.getByRole('heading', { level: 1, name: 'My better name' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Definition' })).toContainText('≥ 12 pcs');
  });
});
