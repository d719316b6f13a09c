import { type Browser, expect, test } from '@playwright/test';

import { Api, contextFor, createKpi, createPerson, day, storageState } from './support';

test.describe('recording values as the demo editor', () => {
  test.use({ storageState: storageState('editor') });

  test('recording today’s defect rate adds a row with its status, and the dashboard shows it as latest', async ({ page }) => {
    const api = await Api.as('editor');
    const today = (await api.json<{ to: string }>('/api/v1/kpis/defect-rate/measurements')).to.slice(0, 10);
    await page.goto('/kpis/defect-rate');
    // The chart and the values table move the form down as they arrive; click once they are there.
    await expect(page.locator('.chart[data-drawn-points]')).toBeVisible();
    const form = page.getByRole('form', { name: 'Record a value' });
    await expect(form.getByLabel('Period')).toHaveValue(today);
    await form.getByLabel('Value').fill('1.3');
    await form.getByLabel('Note').fill('e2e: line 2 steady');
    await page.getByRole('button', { name: 'Record value' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Recorded' })).toHaveText(`Recorded 1.3 % for ${today}.`);
    const row = page.getByRole('table', { name: 'Values' }).locator(`tbody tr[data-period="${today}"]`);
    await expect(row).toContainText('1.3 %');
    await expect(row.locator('.badge')).toHaveText('✓ On target');
    await expect(row).toContainText('editor@demo.okrkpi.example');
    await expect(form.getByLabel('Value')).toHaveValue('');

    // Other tests add KPIs meanwhile; the quality tag keeps this to the demo's own.
    await page.goto('/kpis?tag=quality');
    const dashboardRow = page.getByRole('row', { name: /Defect rate/ });
    await expect(dashboardRow.getByRole('cell').first()).toHaveText(`1.3 %${today}`);
  });

  test('Edit fills the form with a period’s value; saving replaces it and the history keeps the old one', async ({ page }) => {
    const admin = await Api.as('admin');
    const kpi = await createKpi(admin, { values: [11, 12, 13] });
    await page.goto(`/kpis/${kpi.key}`);
    const period = day(-1);
    await page.getByRole('button', { name: `Edit ${period}` }).click();
    const form = page.getByRole('form', { name: 'Record a value' });
    await expect(form.getByLabel('Period')).toHaveValue(period);
    await expect(form.getByLabel('Value')).toHaveValue('13');
    await expect(form.getByLabel('Value')).toBeFocused();
    await form.getByLabel('Value').fill('9');
    await page.getByRole('button', { name: 'Record value' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Replaced' })).toHaveText(`Replaced 9 pcs for ${period}.`);
    const row = page.locator(`tbody tr[data-period="${period}"]`);
    await expect(row.locator('.badge')).toHaveText('▲ At risk');
    await page.getByRole('button', { name: `History of ${period}` }).click();
    const history = page.getByRole('table', { name: `History of ${period}, newest first` }).locator('tbody tr');
    await expect(history).toHaveCount(2);
    await expect(history.nth(0)).toContainText('current');
    await expect(history.nth(1)).toContainText('13 pcs');
    await expect(history.nth(1)).toContainText('replaced');
  });

  test('Delete asks first; Esc cancels and returns focus, confirming removes the row', async ({ page }) => {
    const admin = await Api.as('admin');
    const kpi = await createKpi(admin, { values: [11, 12] });
    await page.goto(`/kpis/${kpi.key}`);
    const period = day(-2);
    const remove = page.getByRole('button', { name: `Delete ${period}` });
    await remove.click();
    const dialog = page.getByRole('dialog', { name: `Delete the value of ${period}?` });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(remove).toBeFocused();
    await remove.click();
    await dialog.getByRole('button', { name: 'Delete value' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'deleted' })).toContainText(`The value of ${period} is deleted`);
    await expect(page.locator(`tbody tr[data-period="${period}"]`)).toHaveCount(0);
    const revisions = await admin.json<{ revisions: { state: string }[] }>(`/api/v1/kpis/${kpi.key}/measurements/${period}/revisions`);
    expect(revisions.revisions[0]!.state).toBe('deleted');
  });

  test('retire and reactivate, each after a confirmation', async ({ page }) => {
    const admin = await Api.as('admin');
    const kpi = await createKpi(admin, { values: [11] });
    await page.goto(`/kpis/${kpi.key}`);
    await page.getByRole('button', { name: 'Retire KPI' }).click();
    await page.getByRole('dialog', { name: `Retire ${kpi.name}?` }).getByRole('button', { name: 'Retire KPI' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'retired' })).toHaveText(`${kpi.name} is retired.`);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('(retired)');
    await expect(page.getByRole('button', { name: 'Record value' })).toHaveCount(0);
    await expect(page.getByText('This KPI is retired and takes no new values.')).toBeVisible();
    await page.getByRole('button', { name: 'Reactivate KPI' }).click();
    await page.getByRole('dialog', { name: `Reactivate ${kpi.name}?` }).getByRole('button', { name: 'Reactivate KPI' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'active again' })).toHaveText(`${kpi.name} is active again.`);
    await expect(page.getByRole('button', { name: 'Record value' })).toBeVisible();
  });

  test('a value can be recorded with the keyboard alone', async ({ page }) => {
    const admin = await Api.as('admin');
    const kpi = await createKpi(admin, { values: [11] });
    await page.goto(`/kpis/${kpi.key}`);
    const form = page.getByRole('form', { name: 'Record a value' });
    await form.getByLabel('Period').focus();
    await page.keyboard.press('Tab');
    await expect(form.getByLabel('Value')).toBeFocused();
    await page.keyboard.type('7.25');
    await page.keyboard.press('Tab');
    await page.keyboard.type('typed without a mouse');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: 'Recorded' })).toHaveText(`Recorded 7.25 pcs for ${day(0)}.`);
    await expect(page.locator(`tbody tr[data-period="${day(0)}"] .badge`)).toHaveText('✕ Off target');
  });

  test('a retry after a lost answer sends the same Idempotency-Key: the value is recorded once', async ({ page }) => {
    const admin = await Api.as('admin');
    const kpi = await createKpi(admin, { values: [11] });
    const keys: string[] = [];
    let lose = true;
    await page.route(
      (url) => url.pathname === `/api/v1/kpis/${kpi.key}/measurements`,
      async (route) => {
        if (route.request().method() !== 'POST') return route.continue();
        keys.push(route.request().headers()['idempotency-key'] ?? '');
        if (!lose) return route.continue();
        lose = false;
        await route.fetch(); // the server records the value; its answer never reaches the page
        return route.abort('connectionreset');
      },
    );
    await page.goto(`/kpis/${kpi.key}`);
    await expect(page.locator('.chart[data-drawn-points]')).toBeVisible();   // the form has moved to where it stays
    const form = page.getByRole('form', { name: 'Record a value' });
    await form.getByLabel('Value').fill('10.5');
    await page.getByRole('button', { name: 'Record value' }).click();
    await expect(form.getByRole('alert')).toContainText('could not be reached');
    await page.getByRole('button', { name: 'Record value' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Recorded' })).toHaveText(`Recorded 10.5 pcs for ${day(0)}.`);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    const revisions = await admin.json<{ revisions: unknown[] }>(`/api/v1/kpis/${kpi.key}/measurements/${day(0)}/revisions`);
    expect(revisions.revisions).toHaveLength(1);
  });

  test('a between target is drawn with both target lines and at-risk bands on both sides', async ({ page }) => {
    const admin = await Api.as('admin');
    const kpi = await createKpi(admin, { target: { comparator: 'between', low: 10, high: 20, warning: 8 }, values: [9, 15, 21, 30, 5] });
    await page.goto(`/kpis/${kpi.key}`);
    await expect(page.locator('.chart[data-drawn-points="5"]')).toBeVisible();
    await expect(page.locator('.u-legend')).toContainText('Target low');
    await expect(page.locator('.u-legend')).toContainText('Target high');
    const summary = page.getByRole('figure');
    await expect(summary).toContainText('At risk: 8 to 10');
    await expect(summary).toContainText('On target: 10 to 20');
    await expect(summary).toContainText('At risk: 20 to 22');
    await expect(page.locator('tbody .badge')).toHaveText(['✕ Off target', '✕ Off target', '▲ At risk', '✓ On target', '▲ At risk']);
  });
});

/** A Manufacturing editor made for the test, on a KPI of their team, with the record form in front of them. */
async function editorAtRecordForm(browser: Browser) {
  const admin = await Api.as('admin');
  const kpi = await createKpi(admin, { values: [11] });
  const person = await createPerson(admin, 'editor', ['Manufacturing']);
  const { context, page } = await contextFor(browser, person.email, person.password);
  await page.goto(`/kpis/${kpi.key}`);
  return { admin, kpi, person, context, page, form: page.getByRole('form', { name: 'Record a value' }) };
}

test('a session that ends mid-form sends the person to sign in and back, with their input intact', async ({ browser }) => {
  const { kpi, person, context, page, form } = await editorAtRecordForm(browser);
  await form.getByLabel('Value').fill('12.5');
  await form.getByLabel('Note').fill('typed before the session ended');

  // The session ends on the server (as after 30 idle minutes), while the page still shows the form.
  const xsrf = (await context.cookies()).find((c) => c.name === 'XSRF-TOKEN')!.value;
  expect((await page.request.delete('/api/v1/session', { headers: { 'X-XSRF-TOKEN': decodeURIComponent(xsrf) } })).status()).toBe(204);

  await page.getByRole('button', { name: 'Record value' }).click();
  await expect(page).toHaveURL(new RegExp(`/login\\?redirect=%2Fkpis%2F${kpi.key}$`));
  await expect(page.getByText('Anything you had typed is kept.')).toBeVisible();
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(new RegExp(`/kpis/${kpi.key}$`));
  await expect(form.getByLabel('Value')).toHaveValue('12.5');
  await expect(form.getByLabel('Note')).toHaveValue('typed before the session ended');
  await page.getByRole('button', { name: 'Record value' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Recorded' })).toHaveText(`Recorded 12.5 pcs for ${day(0)}.`);
  await context.close();
});

test('a write the server refuses (the person was made a viewer meanwhile) says so on the screen', async ({ browser }) => {
  const { admin, kpi, person, context, page, form } = await editorAtRecordForm(browser);
  await form.getByLabel('Value').fill('12');

  const user = await admin.json<{ version: number; displayName: string; teamIds: string[] }>(`/api/v1/users/${person.id}`);
  const demoted = await admin.put(`/api/v1/users/${person.id}`, { displayName: user.displayName, role: 'viewer', disabled: false, teamIds: user.teamIds }, { 'If-Match': `"${user.version}"` });
  expect(demoted.status(), await demoted.text()).toBe(200);

  await page.getByRole('button', { name: 'Record value' }).click();
  await expect(form.getByRole('alert')).toContainText('You are not allowed to do this');
  await expect(form.getByLabel('Value')).toHaveValue('12');
  const series = await admin.json<{ items: unknown[] }>(`/api/v1/kpis/${kpi.key}/measurements`);
  expect(series.items).toHaveLength(1);
  await context.close();
});
