import { expect, test } from '@playwright/test';

import { Api, expectAccessible, storageState, uniqueName } from './support';

test.describe('KPIs fed by events as the demo editor', () => {
  test.use({ storageState: storageState('editor') });

  test('a KPI created as fed by events with a median lists the events integrations record, and its value is their median', async ({ page }) => {
    const key = uniqueName('lead-time');
    await page.goto('/kpis/new');
    await page.getByLabel('Key').fill(key);
    await page.getByLabel('Name').fill('Lead time for changes (events)');
    await page.getByLabel('Fed by').selectOption('events');
    await expect(page.getByText("How a period's events make its value")).toBeVisible();
    await page.getByLabel('Aggregation').selectOption('median');
    await page.getByLabel('Frequency').selectOption('weekly');
    await page.getByLabel('Unit').fill('hours');
    await page.getByLabel('Comparator').selectOption('atMost');
    await page.getByLabel('Target value').fill('24');
    await page.getByLabel('Warning').fill('48');
    await page.getByLabel('Owner team').selectOption({ label: 'Acme Corp › Engineering' });
    await page.getByRole('button', { name: 'Create KPI' }).focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/kpis/${key}$`));
    await expect(page.getByRole('region', { name: 'Events' })).toContainText('No events recorded yet.');

    const api = await Api.as('editor');
    for (const [value, eventId] of [
      [30, 'run-1'],
      [10, 'run-2'],
      [20, 'run-3'],
    ] as const) {
      const response = await api.post(`/api/v1/kpis/${key}/events`, { value, eventId });
      expect(response.status(), await response.text()).toBe(201);
    }
    await page.reload();

    const events = page.getByRole('region', { name: 'Events' });
    const rows = events.getByRole('table', { name: 'Recent events' }).locator('tbody > tr');
    await expect(rows).toHaveCount(3);
    await expect(rows.locator('td:nth-child(4)')).toHaveText(['run-3', 'run-2', 'run-1']);
    await expect(events).toContainText('the median of its events');
    await expect(page.locator('.headline .big-number')).toContainText('20');
    await expect(page.getByRole('button', { name: /record/i })).toHaveCount(0);
    await expectAccessible(page, 'a KPI fed by events with its events');
  });

  test('the demo deployments KPI lists its newest events first and shows older ones on request', async ({ page }) => {
    await page.goto('/kpis/production-deployments');
    const events = page.getByRole('region', { name: 'Events' });
    const rows = events.getByRole('table', { name: 'Recent events' }).locator('tbody > tr');
    await expect(rows).toHaveCount(20);
    await events.getByRole('button', { name: 'Show older events' }).click();
    await expect(rows).toHaveCount(40);
    await expect(events.getByText('40 events shown, newest first.')).toBeVisible();
  });
});
