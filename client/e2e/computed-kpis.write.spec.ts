import { expect, test } from '@playwright/test';

import { Api, createKpi, day, expectAccessible, storageState, uniqueName } from './support';

test.describe('computed KPIs as the demo editor', () => {
  test.use({ storageState: storageState('editor') });

  test('a formula that does not parse is marked at its character and keeps the input; fixed, the KPI explains its value', async ({ page }) => {
    const admin = await Api.as('admin');
    const visitors = await createKpi(admin, { values: [2000] });
    const signups = await createKpi(admin, { values: [90] });
    const key = uniqueName('signup-rate');

    await page.goto('/kpis/new');
    await page.getByLabel('Key').fill(key);
    await page.getByLabel('Name').fill('Signup rate');
    await page.getByLabel('Fed by').selectOption('formula');
    const broken = `{${signups.key}} / ({${visitors.key}} * 100`;
    await page.getByLabel('Formula').fill(broken);
    await page.getByLabel('Unit').fill('%');
    await page.getByLabel('Target value').fill('5');
    await page.getByLabel('Warning').fill('4');
    await page.getByLabel('Owner team').selectOption({ label: 'Acme Corp › Manufacturing' });
    await page.getByRole('button', { name: 'Create KPI' }).click();

    const position = broken.length + 1;
    await expect(page.getByText(`The formula does not parse at character ${position}`)).toBeVisible();
    await expect(page.locator('pre.formula-mark')).toContainText(`${' '.repeat(position - 1)}^`);
    await expect(page.getByLabel('Formula')).toHaveValue(broken);
    await expectAccessible(page, 'the KPI form with a formula error');

    await page.getByLabel('Formula').fill(`{${signups.key}} / {${visitors.key}} * 100`);
    await page.getByLabel('Formula').press('Tab');
    await page.getByRole('button', { name: 'Create KPI' }).focus();
    await page.keyboard.press('Enter');

    await expect(page).toHaveURL(new RegExp(`/kpis/${key}$`));
    const explanation = page.getByRole('region', { name: 'How the latest value came about' });
    await expect(explanation).toContainText(`for ${day(-1)}`);
    await expect(explanation.getByRole('table')).toContainText(visitors.key);
    await expect(explanation).toContainText('4.5');
    await expect(page.getByRole('button', { name: /record/i })).toHaveCount(0);
    await expectAccessible(page, 'a computed KPI with its explanation');
  });

  test('while a formula is typed the form lists the KPIs it reads and points at its problem, before anything is saved', async ({ page }) => {
    const admin = await Api.as('admin');
    const visitors = await createKpi(admin, { values: [2000] });
    const signups = await createKpi(admin, { values: [90] });

    await page.goto('/kpis/new');
    await page.getByLabel('Key').fill(uniqueName('signup-rate'));
    await page.getByLabel('Fed by').selectOption('formula');
    const formula = page.getByLabel('Formula');
    const reads = page.getByRole('list', { name: /^Reads th/ });

    const broken = `{${signups.key}} / ({${visitors.key}} * 100`;
    await formula.focus();
    await page.keyboard.type(broken);
    await expect(reads.getByRole('listitem')).toHaveText([new RegExp(`✓ .*${signups.key}`), new RegExp(`✓ .*${visitors.key}`)]);
    const position = broken.length + 1;
    await expect(formula).toHaveAccessibleDescription(new RegExp(`does not parse at character ${position}`));
    await expect(page.locator('pre.formula-mark')).toContainText(`${' '.repeat(position - 1)}^`);
    await expectAccessible(page, 'the KPI form checking a formula as it is typed');

    const missing = uniqueName('nobody');
    await formula.fill(`{${signups.key}} / {${missing}}`);
    await expect(reads.getByRole('listitem').nth(1)).toHaveText(`✕ ${missing}: no KPI has this key`);
    await expect(formula).toHaveAccessibleDescription(new RegExp(`does not exist: ${missing}`));

    await formula.fill(`{${signups.key}} / {${visitors.key}} * 100`);
    await expect(formula).toHaveAccessibleDescription(/The formula is valid\./);
    await expect(page.locator('pre.formula-mark')).toHaveCount(0);
    await expect(page).toHaveURL(/\/kpis\/new$/);
  });

  test('the dashboard marks computed KPIs and shows the change in per cent beside the absolute change', async ({ page }) => {
    await page.goto('/kpis');
    const row = page.locator('tr[data-kpi="conversion-rate"]');
    await expect(row).toContainText('(computed)');
    await expect(row.locator('td.change')).toContainText(/[+−]\d+(\.\d+)? \([+−][\d.]+ %\)/);
  });
});
