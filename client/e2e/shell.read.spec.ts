import { expect, test } from '@playwright/test';

import { expectAccessible, storageState } from './support';

test.describe('the shell as the demo editor', () => {
  test.use({ storageState: storageState('editor') });

  test('names the person and their role, and offers sign-out', async ({ page }) => {
    await page.goto('/kpis');
    await expect(page.getByRole('link', { name: 'Account of Demo Editor, Editor' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  });

  test('from the page top, Tab reaches the skip link, then the navigation in order', async ({ page }) => {
    await page.goto('/kpis');
    await expect(page.getByRole('heading', { name: 'KPI dashboard' })).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
    for (const name of ['KPIs', 'OKRs', 'Check-in', 'Alignment', 'Matrix', 'Review', 'Cycles', 'Import & export', 'API tokens', 'Webhooks']) {
      await page.keyboard.press('Tab');
      await expect(page.getByRole('link', { name, exact: true })).toBeFocused();
    }
    await page.keyboard.press('Tab');
    await expect(page.getByRole('combobox', { name: 'Cycle' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: /^Alerts, (none|\d+) unread$/ })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Account of Demo Editor, Editor' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeFocused();
  });

  test('the skip link moves focus past the navigation to the page', async ({ page }) => {
    await page.goto('/kpis');
    await expect(page.getByRole('heading', { name: 'KPI dashboard' })).toBeVisible();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'New KPI' })).toBeFocused();
  });

  test('an editor has no administration in the navigation, and its pages say they are for admins', async ({ page }) => {
    await page.goto('/kpis');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link')).toHaveText(['KPIs', 'OKRs', 'Check-in', 'Alignment', 'Matrix', 'Review', 'Cycles', 'Import & export', 'API tokens', 'Webhooks']);
    await page.goto('/admin/people');
    await expect(page.getByText('This page is for admins.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Add person' })).toHaveCount(0);
  });

  test('an unknown address says so and links back', async ({ page }) => {
    await page.goto('/no/such/page');
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await expectAccessible(page, 'the not-found page');
    await page.getByRole('link', { name: 'Go to the KPI dashboard' }).click();
    await expect(page).toHaveURL(/\/kpis$/);
  });
});

test.describe('failures as the demo viewer', () => {
  test.use({ storageState: storageState('viewer') });

  test('a server that cannot answer gets a page that says so and how long to wait', async ({ page }) => {
    await page.route('**/api/v1/session', (route) =>
      route.fulfill({ status: 503, contentType: 'application/problem+json', headers: { 'Retry-After': '5' }, body: '{"status":503,"title":"Service Unavailable"}' }),
    );
    await page.goto('/kpis');
    await expect(page.getByRole('heading', { name: 'This page could not be shown' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveText('The server is busy. Wait 5 seconds and try again.');
    await expectAccessible(page, 'the error page');
  });

  test('a failing dashboard request is explained where the table would be', async ({ page }) => {
    await page.route('**/api/v1/dashboard/kpis*', (route) =>
      route.fulfill({ status: 500, contentType: 'application/problem+json', body: '{"status":500,"title":"Internal Server Error"}' }),
    );
    await page.goto('/kpis');
    await expect(page.getByRole('alert')).toHaveText('The server failed (500). Try again; if it persists, tell an administrator.', { timeout: 15_000 });
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  });
});

test.describe('the shell as the demo admin', () => {
  test.use({ storageState: storageState('admin') });

  test('an admin also finds people, teams, the audit log and integrations', async ({ page }) => {
    await page.goto('/kpis');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText([
      'KPIs',
      'OKRs',
      'Check-in',
      'Alignment',
      'Matrix',
      'Review',
      'Cycles',
      'Import & export',
      'API tokens',
      'Webhooks',
      'People',
      'Teams',
      'Audit log',
      'Integrations',
    ]);
    await expect(page.getByRole('link', { name: 'Account of Demo Admin, Admin' })).toBeVisible();
  });
});
