import { expect, test } from '@playwright/test';

import { Api, createKpi, day, storageState, uniqueName } from './support';

test.describe('a large catalogue on the dashboard', () => {
  test.use({ storageState: storageState('admin') });

  test('2,000 KPIs stay usable: 200 rows at a time, "Load more" follows the cursor', async ({ page }) => {
    const admin = await Api.as('admin');
    const tag = uniqueName('bulk');
    const lines = ['key,name,valueType,frequency,comparator,target,tags'];
    for (let i = 0; i < 2000; i++) lines.push(`${tag}-${String(i).padStart(4, '0')},Bulk KPI ${i},number,daily,atLeast,10,${tag}`);
    const imported = await admin.postRaw('/api/v1/kpis/import', lines.join('\n'), 'text/csv');
    expect(imported.status(), await imported.text()).toBe(200);
    expect((await imported.json()).created).toBe(2000);

    await page.goto(`/kpis?tag=${tag}`);
    const rows = page.getByRole('table').locator('tbody tr');
    await expect(rows).toHaveCount(200);
    await expect(page.getByRole('status').filter({ hasText: 'shown' })).toHaveText('200 KPIs shown; more available');
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect(rows).toHaveCount(400);
    await expect(rows.last().locator('th')).toHaveText('Bulk KPI 399');

    // The status filter applies within each page of the API, so the client keeps reading until a page's worth shows.
    await page.goto(`/kpis?tag=${tag}&status=noData`);
    await expect(rows).toHaveCount(200);
    await expect(page.getByRole('table').locator('tbody .badge').first()).toHaveText('○ No data');
  });
});

test.describe('silence on the dashboard', () => {
  test.use({ storageState: storageState('viewer') });

  test('a KPI whose last completed period has no value shows ⏱ Late, with what its last value said', async ({ page }) => {
    const admin = await Api.as('admin');
    const tag = uniqueName('late');
    const kpi = await createKpi(admin, { tags: [tag] });
    const batch = await admin.post(`/api/v1/kpis/${kpi.key}/measurements/batch`, { items: [{ period: day(-4), value: 12 }, { period: day(-3), value: 11 }] });
    expect(batch.status(), await batch.text()).toBe(200);

    await page.goto(`/kpis?tag=${tag}`);
    const row = page.getByRole('row', { name: new RegExp(kpi.name) });
    await expect(row.locator('.badge')).toHaveText('⏱ Late');
    await expect(row).toContainText('last value on target');
    await expect(row.getByRole('cell').first()).toHaveText(`11 pcs${day(-3)}`);
  });
});
