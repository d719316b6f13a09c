import { copyFileSync } from 'node:fs';
import { join } from 'node:path';

import { expect, test } from '@playwright/test';

import { Api, type DashboardItem, expectAccessible, storageState } from './support';

const words = ['On target', 'At risk', 'Off target', 'No data', 'Late'];

test.describe('the KPI dashboard as the demo editor', () => {
  test.use({ storageState: storageState('editor') });

  test('lists the 15 demo KPIs, as the API does', async ({ page }) => {
    const api = await Api.as('editor');
    const items = (await api.json<{ items: DashboardItem[] }>('/api/v1/dashboard/kpis?limit=200')).items;
    await page.goto('/kpis');
    const rows = page.getByRole('table').locator('tbody tr');
    await expect(rows).toHaveCount(15);
    expect(items).toHaveLength(15);
    await expect(rows.locator('th')).toHaveText(items.map((i) => (i.fedBy === 'formula' ? `${i.name} (computed)` : i.name)));
    await expect(page.getByRole('status').filter({ hasText: 'shown' })).toHaveText('15 KPIs shown');
  });

  test('the Defect rate row shows latest value, period, change, "≤ 2 %" and a status with symbol and word', async ({ page }) => {
    const api = await Api.as('editor');
    const defect = (await api.json<{ items: (DashboardItem & { change: number })[] }>('/api/v1/dashboard/kpis?keys=defect-rate')).items[0]!;
    await page.goto('/kpis');
    const row = page.getByRole('row', { name: /Defect rate/ });
    await expect(row.getByRole('cell').nth(2)).toHaveText('≤ 2 %');
    await expect(row.getByRole('cell').nth(0)).toContainText(`${defect.latest!.value} %${defect.latest!.period}`);
    await expect(row.getByRole('cell').nth(1)).toContainText(defect.change < 0 ? '▼ −' : '▲ +');
    const badge = row.locator('.badge');
    await expect(badge).toHaveText(new RegExp(`^[✓▲✕○⏱] (${words.join('|')})$`));
    await expect(row.getByRole('img')).toHaveAttribute('aria-label', /^Defect rate, /);
  });

  test('status=noData lists no demo KPI: the manufacturing KPIs carry values too', async ({ page }) => {
    const api = await Api.as('editor');
    const items = (await api.json<{ items: DashboardItem[] }>('/api/v1/dashboard/kpis?limit=200&status=noData')).items;
    expect(items).toHaveLength(0);
    await page.goto('/kpis?status=noData');
    await expect(page.getByLabel('Status')).toHaveValue('noData');
    await expect(page.getByRole('table').locator('tbody tr')).toHaveCount(0);
  });

  test('team, tag and status filters go into the address and survive a reload', async ({ page }) => {
    await page.goto('/kpis');
    await page.getByLabel('Team').selectOption({ label: 'Acme Corp › Engineering › Platform' });
    await page.getByLabel('Tag').fill('dora');
    await page.getByLabel('Status').selectOption('atRisk');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(/team=.*&tag=dora&status=atRisk|status=atRisk.*tag=dora/);
    const names = page.getByRole('table').locator('tbody th');
    await expect(names).not.toHaveCount(0);
    // The previous rows stay on screen until the filtered page has loaded (as on any navigation): wait for it.
    await expect(page.getByRole('table').locator('tbody .badge').filter({ hasNotText: 'At risk' })).toHaveCount(0);
    const before = await names.allTextContents();
    await page.reload();
    await expect(page.getByLabel('Tag')).toHaveValue('dora');
    await expect(page.getByLabel('Status')).toHaveValue('atRisk');
    await expect(page.getByLabel('Team')).toHaveValue(/.+/);
    await expect(names).toHaveText(before);
    for (const badge of await page.getByRole('table').locator('tbody .badge').allTextContents()) expect(badge).toBe('▲ At risk');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(page).toHaveURL(/\/kpis$/);
    await expect(page.getByRole('table').locator('tbody tr')).toHaveCount(15);
  });

  test('a filter nothing matches says so', async ({ page }) => {
    await page.goto('/kpis?tag=no-such-tag');
    await expect(page.getByRole('status').filter({ hasText: 'No KPI matches' })).toHaveText('No KPI matches tag “no-such-tag”.');
  });

  test('every demo KPI has values and a sparkline (the README shows this page)', async ({ page }, testInfo) => {
    await page.goto('/kpis');
    await expect(page.getByRole('table').locator('tbody tr')).toHaveCount(15);
    await expect(page.locator('tbody svg.sparkline')).toHaveCount(15);
    const shot = testInfo.outputPath('dashboard.png');
    await page.screenshot({ path: shot });
    // npm run screenshots: the README's picture is this page, taken from the demo organisation.
    if (process.env.E2E_SCREENSHOT_DIR) copyFileSync(shot, join(process.env.E2E_SCREENSHOT_DIR, 'dashboard.png'));
  });

  test('filtering and opening a KPI work with the keyboard alone', async ({ page }) => {
    await page.goto('/kpis');
    await page.getByLabel('Status').focus();
    await page.keyboard.press('ArrowDown'); // On target
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Apply filters' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/status=onTarget/);
    const link = page.getByRole('link', { name: 'Defect rate' });
    await link.focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/kpis\/defect-rate$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Defect rate' })).toBeVisible();
  });
});

for (const role of ['admin', 'editor', 'viewer'] as const) {
  test.describe(`the dashboard as the demo ${role}`, () => {
    test.use({ storageState: storageState(role) });

    test('has no accessibility violations', async ({ page }) => {
      await page.goto('/kpis');
      await expect(page.getByRole('table').locator('tbody tr')).toHaveCount(15);
      await expectAccessible(page, `the dashboard (${role})`);
    });
  });
}

test.describe('the dashboard as the demo viewer', () => {
  test.use({ storageState: storageState('viewer') });

  test('offers no write controls', async ({ page }) => {
    await page.goto('/kpis');
    await expect(page.getByRole('table').locator('tbody tr')).toHaveCount(15);
    await expect(page.getByRole('link', { name: 'New KPI' })).toHaveCount(0);
  });
});
