import { expect, type Page, test } from '@playwright/test';

import { Api, contextFor, createKpi, createPerson, day, expectAccessible } from './support';

// A person made for the test follows what the test makes, so the unread count is theirs alone: other tests that run
// beside this one change the demo's alerts, never this person's.

/** The worker writes alerts a moment after the commit; the bell reads the count when the page loads. */
async function expectBell(page: Page, name: string) {
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('link', { name: /^Alerts, / })).toHaveAccessibleName(name, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
}

test('following a KPI by keyboard brings its status changes to the bell and the alert list, where they are marked read', async ({ browser }) => {
  const admin = await Api.as('admin');
  const kpi = await createKpi(admin, { target: { comparator: 'atLeast', value: 10, warning: 8 }, values: [12] });
  const person = await createPerson(admin, 'viewer');
  const { context, page } = await contextFor(browser, person.email, person.password);

  await page.goto(`/kpis/${kpi.key}`);
  const follow = page.getByRole('button', { name: 'Follow', exact: true });
  await follow.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'follow' })).toHaveText(`You follow ${kpi.name}: its alerts reach you.`);
  await expect(page.getByText('You follow this KPI')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Unfollow' })).toBeFocused();
  await expectAccessible(page, 'a followed KPI');
  await expectBell(page, 'Alerts, none unread');

  const offTarget = await admin.post(`/api/v1/kpis/${kpi.key}/measurements`, { period: day(0), value: 2 });
  expect(offTarget.status(), await offTarget.text()).toBe(201);
  await expectBell(page, 'Alerts, 1 unread');

  await page.getByRole('link', { name: 'Alerts, 1 unread' }).click();
  await expect(page).toHaveURL(/\/alerts$/);
  const first = page.getByRole('listitem').filter({ hasText: kpi.name });
  await expect(first).toContainText('Unread');
  await expect(first).toContainText('is off target');
  await expect(first.getByRole('link', { name: /^Open the KPI/ })).toHaveAttribute('href', `/kpis/${kpi.key}`);
  await expectAccessible(page, 'the alert list');

  await first.getByRole('button', { name: /^Mark read/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'marked' })).toHaveText('Alert marked read.');
  await expect(first).not.toContainText('Unread');
  await expect(page.getByRole('link', { name: 'Alerts, none unread' })).toBeVisible();

  // Two more changes (back on target, off again), then all of them read at once.
  for (const value of [12, 3]) {
    const push = await admin.post(`/api/v1/kpis/${kpi.key}/measurements`, { period: day(0), value });
    expect(push.status(), await push.text()).toBe(200);
    await expect(async () => {
      await page.reload();
      await expect(page.getByRole('listitem').filter({ hasText: kpi.name }).filter({ hasText: 'Unread' })).toHaveCount(value === 12 ? 1 : 2, { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
  }
  await page.getByLabel('Unread only').check();
  await expect(page).toHaveURL(/unread=true/);
  await expect(page.getByRole('listitem').filter({ hasText: kpi.name })).toHaveCount(2);
  await page.getByRole('button', { name: 'Mark all read' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'marked' })).toHaveText('Every alert is marked read.');
  await expect(page.getByText('Nothing unread.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Alerts, none unread' })).toBeVisible();

  await page.goto(`/kpis/${kpi.key}`);
  await page.getByRole('button', { name: 'Unfollow' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'follow' })).toHaveText(`You no longer follow ${kpi.name}.`);
  expect((await (await page.request.get('/api/v1/follows')).json()).kpiIds).not.toContain(kpi.id);
  await context.close();
  await admin.dispose();
});

test('an objective is followed and unfollowed with one click', async ({ browser }) => {
  const admin = await Api.as('admin');
  const person = await createPerson(admin, 'viewer');
  const objectives = (await admin.json<{ items: { id: string; title: string }[] }>('/api/v1/objectives?limit=200')).items;
  const objective = objectives.find((o) => o.title === 'Accelerate development velocity')!;
  const { context, page } = await contextFor(browser, person.email, person.password);

  await page.goto(`/objectives/${objective.id}`);
  await page.getByRole('button', { name: 'Follow', exact: true }).click();
  await expect(page.getByText('You follow this objective')).toBeVisible();
  expect((await (await page.request.get('/api/v1/follows')).json()).objectiveIds).toContain(objective.id);
  await expectAccessible(page, 'a followed objective');
  await page.reload();
  await page.getByRole('button', { name: 'Unfollow' }).click();
  await expect(page.getByRole('button', { name: 'Follow', exact: true })).toBeVisible();
  expect((await (await page.request.get('/api/v1/follows')).json()).objectiveIds).not.toContain(objective.id);
  await context.close();
  await admin.dispose();
});
