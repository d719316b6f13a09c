import { expect, type Page, test } from '@playwright/test';

import { Api, expectAccessible, storageState } from './support';

interface Series {
  from: string;
  to: string;
  items: { period: string; value: number; status: string }[];
}

async function openDefectRate(page: Page) {
  await page.goto('/kpis/defect-rate');
  await expect(page.getByRole('heading', { level: 1, name: 'Defect rate' })).toBeVisible();
  await expect(page.locator('.chart[data-drawn-points]')).toBeVisible();
}

test.describe('KPI detail as the demo editor', () => {
  test.use({ storageState: storageState('editor') });

  test('lists the objectives a KPI feeds a key result of, each a link with its health', async ({ page }) => {
    await page.goto('/kpis/deployment-frequency');
    const section = page.getByRole('region', { name: 'Objectives and key results' });
    const item = section.getByRole('listitem').filter({ hasText: 'Accelerate development velocity' });
    await expect(item).toContainText('feeds “Deploy to production 50 % more often”');
    await expect(item.locator('[data-health]')).toBeVisible();
    await expectAccessible(page, 'KPI detail with its objectives');
    await item.getByRole('link', { name: 'Accelerate development velocity' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Accelerate development velocity' })).toBeVisible();
  });

  test('shows the definition, a drawn chart whose legend names the target, and one table row per value', async ({ page }) => {
    const api = await Api.as('editor');
    const series = await api.json<Series>('/api/v1/kpis/defect-rate/measurements');
    await openDefectRate(page);
    const definition = page.getByRole('region', { name: 'Definition' });
    await expect(definition).toContainText('defective units / units produced × 100');
    await expect(definition).toContainText('≤ 2 % (at risk from 3 %)');
    await expect(definition).toContainText('Acme Corp › Manufacturing');
    await expect(page.locator('.chart canvas').first()).toBeVisible();
    await expect(page.locator('.u-legend')).toContainText('Target');
    await expect(page.locator('.chart')).toHaveAttribute('data-drawn-points', String(series.items.length));
    const rows = page.getByRole('table', { name: 'Values' }).locator('tbody > tr');
    await expect(rows).toHaveCount(series.items.length);
    await expect(rows.locator('th')).toHaveText(series.items.map((m) => m.period).reverse());
    await expect(page.getByText(`${series.items.length} of ${series.items.length} values shown, newest first.`)).toBeVisible();
    await expect(page.getByRole('figure')).toContainText(`Defect rate by period, ${series.items.length} values`);
  });

  test('the range picker asks for 90 periods, and the table keeps to 50 rows at a time', async ({ page }) => {
    const api = await Api.as('editor');
    const first = await api.json<Series>('/api/v1/kpis/defect-rate/measurements');
    const day = new Date(Date.parse(first.to) - 89 * 86_400_000).toISOString().slice(0, 10);
    const series = await api.json<Series>(`/api/v1/kpis/defect-rate/measurements?from=${day}`);
    await openDefectRate(page);
    await page.getByRole('radio', { name: 'Last 90 days' }).check();
    await expect(page).toHaveURL(/range=90/);
    await expect(page.locator('.chart')).toHaveAttribute('data-drawn-points', String(series.items.length));
    const shown = Math.min(50, series.items.length);
    await expect(page.getByRole('table', { name: 'Values' }).locator('tbody > tr')).toHaveCount(shown);
    await expect(page.getByText(`${shown} of ${series.items.length} values shown, newest first.`)).toBeVisible();
  });

  test('a period’s revisions open on demand', async ({ page }) => {
    await openDefectRate(page);
    const row = page.getByRole('table', { name: 'Values' }).locator('tbody > tr').first();
    const period = (await row.locator('th').textContent())!;
    await page.getByRole('button', { name: `History of ${period}` }).click();
    await expect(page.getByRole('button', { name: `History of ${period}` })).toHaveAttribute('aria-expanded', 'true');
    const history = page.getByRole('table', { name: `History of ${period}, newest first` });
    await expect(history.locator('tbody tr').first()).toContainText('current');
  });

  test('a value the API refuses shows the 400’s message at the Value field', async ({ page }) => {
    await openDefectRate(page);
    const value = page.getByRole('form', { name: 'Record a value' }).getByLabel('Value');
    // A number as the form takes it, but beyond what the API stores (digits are rounded, never refused; a magnitude is).
    await value.fill('1e26');
    await page.getByRole('button', { name: 'Record value' }).click();
    await expect(value).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('.field-invalid .field-error')).toHaveText(/magnitude must be below 10\^26/);
    await expect(value).toBeFocused();
  });

  test('a period that has not started is refused at the Period field', async ({ page }) => {
    await openDefectRate(page);
    const form = page.getByRole('form', { name: 'Record a value' });
    await form.getByLabel('Period').fill('2999-01-01');
    await form.getByLabel('Value').fill('1');
    await page.getByRole('button', { name: 'Record value' }).click();
    await expect(form.getByLabel('Period')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('.field-invalid .field-error')).toHaveText(/has not started yet/);
  });

  test('writers see Record, Edit, Delete and Retire on their team’s KPI', async ({ page }) => {
    await openDefectRate(page);
    await expect(page.getByRole('button', { name: 'Record value' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Retire KPI' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Edit definition' })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Delete / }).first()).toBeVisible();
  });

  test('an editor sees no write controls on another team’s KPI', async ({ page }) => {
    await page.goto('/kpis/nps');
    await expect(page.locator('.chart[data-drawn-points]')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Record value' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^Delete / })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Retire KPI' })).toHaveCount(0);
  });

  test('an unknown key says the KPI was not found', async ({ page }) => {
    await page.goto('/kpis/no-such-kpi');
    await expect(page.getByRole('heading', { name: 'KPI not found' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveText('No KPI has the key or id “no-such-kpi”.');
  });
});

test.describe('KPI detail as the demo viewer', () => {
  test.use({ storageState: storageState('viewer') });

  test('has no write controls, and a forced write is refused with 403', async ({ page }) => {
    await openDefectRate(page);
    await expect(page.getByRole('button', { name: 'Record value' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Retire KPI' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Edit definition' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^Delete / })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^History of / }).first()).toBeVisible();

    const xsrf = (await page.context().cookies()).find((c) => c.name === 'XSRF-TOKEN')!.value;
    const forced = await page.request.post('/api/v1/kpis/defect-rate/measurements', {
      data: { period: new Date().toISOString().slice(0, 10), value: 1 },
      headers: { 'X-XSRF-TOKEN': decodeURIComponent(xsrf) },
    });
    expect(forced.status()).toBe(403);
    expect((await forced.json()).code).toBe('forbidden');
  });
});

for (const role of ['admin', 'editor', 'viewer'] as const) {
  test.describe(`KPI detail as the demo ${role}`, () => {
    test.use({ storageState: storageState(role) });

    test('has no accessibility violations, with a period’s history open', async ({ page }) => {
      await openDefectRate(page);
      await page.getByRole('button', { name: /^History of / }).first().click();
      await expect(page.getByRole('table', { name: /^History of / })).toBeVisible();
      await expectAccessible(page, `KPI detail (${role})`);
    });
  });
}
