import { expect, test } from '@playwright/test';

import { expectAccessible, storageState } from './support';

test.describe('the KPI form as the demo editor', () => {
  test.use({ storageState: storageState('editor') });

  test('a warning above an at-least target is refused at the Warning field, with the server’s reason', async ({ page }) => {
    await page.goto('/kpis/new');
    await page.getByLabel('Key').fill('never-created-warning-check');
    await page.getByLabel('Name').fill('Warning check');
    await page.getByLabel('Comparator').selectOption('atLeast');
    await page.getByLabel('Target value').fill('100');
    await page.getByLabel('Warning').fill('110');
    await page.getByRole('button', { name: 'Create KPI' }).click();
    const warning = page.getByLabel('Warning');
    await expect(warning).toHaveAttribute('aria-invalid', 'true');
    await expect(warning).toBeFocused();
    const describedBy = (await warning.getAttribute('aria-describedby'))!.split(' ');
    await expect(page.locator(`[id="${describedBy.at(-1)}"]`)).toHaveText(/warning must be below value/);
    await expect(page).toHaveURL(/\/kpis\/new$/);
    await expect(page.getByLabel('Key')).toHaveValue('never-created-warning-check');
    await expectAccessible(page, 'the KPI form with a field error');
  });

  test('between asks for low and high instead of a value', async ({ page }) => {
    await page.goto('/kpis/new');
    await expect(page.getByLabel('Target value')).toBeVisible();
    await page.getByLabel('Comparator').selectOption('between');
    await expect(page.getByLabel('Target value')).toHaveCount(0);
    await expect(page.getByLabel('Low')).toBeVisible();
    await expect(page.getByLabel('High')).toBeVisible();
  });

  test('an editor may choose only their own teams as owner', async ({ page }) => {
    await page.goto('/kpis/new');
    await expect(page.getByLabel('Owner team').locator('option')).toHaveText(['Acme Corp › Engineering', 'Acme Corp › Manufacturing']);
  });

  test('the edit form starts from the KPI as stored and has no accessibility violations', async ({ page }) => {
    await page.goto('/kpis/defect-rate/edit');
    await expect(page.getByLabel('Key')).toHaveValue('defect-rate');
    await expect(page.getByLabel('Key')).toHaveAttribute('readonly', '');
    await expect(page.getByLabel('Comparator')).toHaveValue('atMost');
    await expect(page.getByLabel('Target value')).toHaveValue('2');
    await expect(page.getByLabel('Warning')).toHaveValue('3');
    await expect(page.getByLabel('Tags')).toHaveValue('manufacturing, quality');
    await expectAccessible(page, 'the KPI edit form');
  });
});

test.describe('the KPI form as the demo viewer', () => {
  test.use({ storageState: storageState('viewer') });

  test('a viewer is told they cannot create KPIs, and gets no form', async ({ page }) => {
    await page.goto('/kpis/new');
    await expect(page.getByText('Your role can read KPIs but not create them.', { exact: false })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Create KPI' })).toHaveCount(0);
    await expectAccessible(page, 'the KPI form as a viewer');
  });
});
