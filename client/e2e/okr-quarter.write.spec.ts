import { type Browser, expect, type Page, test } from '@playwright/test';

import { Api, baseURL, currentQuarter, expectAccessible, storageState, uniqueName } from './support';

// The "Done when": a whole quarter in the browser, the demo admin and the demo editor side by side.
// The quarter is the one after the demo's current quarter, inside the demo's year-long company cycle (which runs twelve
// months from the previous quarter's start), so the objective can align to the company objective "Become our customers'
// first choice". Demo dates are relative to the day of seeding, so they are read from the API.

async function pageAs(browser: Browser, role: 'admin' | 'editor'): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseURL(), storageState: storageState(role) });
  return context.newPage();
}

async function confirm(page: Page, dialogName: string, button: string) {
  const dialog = page.getByRole('dialog', { name: dialogName });
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await dialog.getByRole('button', { name: button }).click();
  await expect(dialog).toBeHidden();
}

test('a whole quarter: create and activate a cycle, write an aligned objective, check in weekly, watch the views, close, score', async ({ browser }) => {
  test.setTimeout(180_000);
  const admin = await pageAs(browser, 'admin');
  const editor = await pageAs(browser, 'editor');
  const api = await Api.as('admin');
  const quarter = uniqueName('E2E quarter');
  const current = await currentQuarter(api);
  const start = new Date(`${current.endDate}T00:00:00Z`);
  start.setUTCDate(start.getUTCDate() + 1);
  const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 3, 0));
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const company = (await api.json<{ items: { id: string; title: string }[] }>(`/api/v1/objectives?q=${encodeURIComponent('first choice')}`)).items.find(
    (o) => o.title === "Become our customers' first choice",
  )!;

  // 1. The admin creates the cycle (another time box than the suggestion) and activates it, after a confirmation.
  await admin.goto('/cycles');
  await admin.getByText('Another cycle…').click();
  const another = admin.getByRole('form', { name: 'Another cycle' });
  await another.getByLabel('Name').fill(quarter);
  await another.getByLabel('First day').fill(iso(start));
  await another.getByLabel('Last day').fill(iso(end));
  await another.getByRole('button', { name: 'Create cycle' }).click();
  await expect(admin.getByRole('status').filter({ hasText: 'is created' })).toHaveText(`${quarter} is created, in planning.`);
  const row = admin.getByRole('row', { name: new RegExp(`^${quarter}`) });
  await expect(row).toContainText('Planning');
  await row.getByRole('button', { name: `Activate ${quarter}` }).click();
  await confirm(admin, `Activate ${quarter}?`, 'Activate cycle');
  await expect(row).toContainText('Active');
  const cycleId = (await api.json<{ items: { id: string; name: string }[] }>('/api/v1/cycles?limit=200')).items.find((c) => c.name === quarter)!.id;
  await expectAccessible(admin, 'cycles (admin)');

  // 2. The editor writes an objective aligned to the company objective.
  const title = `E2E Ship with confidence ${quarter}`;
  await editor.goto(`/okrs?cycle=${cycleId}`);
  await expect(editor.getByRole('combobox', { name: 'Cycle' })).toHaveValue(cycleId);
  await editor.getByRole('link', { name: 'New objective' }).click();
  await editor.getByLabel('Title').fill(title);
  await editor.getByLabel('Owner').selectOption({ label: 'Team Acme Corp › Engineering' });
  await editor.getByLabel('Aligned to').selectOption(company.id);
  await editor.getByRole('button', { name: 'Create objective' }).click();
  await expect(editor.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const objectiveUrl = editor.url();

  // With no key result yet, the review's health check names it.
  await editor.goto(`/cycles/${cycleId}/review`);
  await expect(editor.locator('section[data-rule="objective-too-few-key-results"]').getByRole('link', { name: title })).toBeVisible();

  // 3. A numeric key result and one fed by a KPI.
  await editor.goto(objectiveUrl);
  const form = editor.getByRole('form', { name: 'New key result' });
  await editor.getByRole('button', { name: 'Add key result' }).click();
  await form.getByLabel('Title').fill('Release 12 times without a rollback');
  await form.getByLabel('Start value').fill('0');
  await form.getByLabel('Target value').fill('12');
  await form.getByLabel('Unit').fill('releases');
  await form.getByRole('button', { name: 'Add key result' }).click();
  await expect(editor.getByRole('region', { name: 'Release 12 times without a rollback' })).toBeVisible();
  await editor.getByRole('button', { name: 'Add key result' }).click();
  await form.getByLabel('Title').fill('Deploy 12 times a week');
  await form.getByLabel('Fed by KPI').selectOption({ label: 'Deployment frequency (deployment-frequency)' });
  await form.getByLabel('Start value').fill('1');
  await form.getByLabel('Target value').fill('12');
  await form.getByRole('button', { name: 'Add key result' }).click();
  await expect(editor.getByRole('region', { name: 'Deploy 12 times a week' })).toContainText('fed by KPI deployment-frequency');

  // 4. The weekly check-in walks through what is due; this test checks in on its own key result and skips the rest.
  await editor.goto('/check-in');
  await expect(editor.getByText(/^Key result 1 of \d+/)).toBeVisible();
  for (;;) {
    const summary = editor.getByRole('heading', { name: /^Done: \d+ of \d+ checked in$/ });
    const step = editor.locator('#step-heading');
    const counter = editor.getByText(/^Key result \d+ of \d+ · /);
    await expect(summary.or(step)).toBeVisible();
    if (await summary.isVisible()) break;
    const name = await step.textContent();
    const position = (await counter.textContent())!;
    if (name === 'Release 12 times without a rollback') {
      const checkIn = editor.getByRole('form', { name: `Check in on ${name}` });
      await checkIn.getByLabel('Value').fill('5');
      await checkIn.getByLabel('Confidence').fill('8');
      await checkIn.getByLabel('Note').fill('First sprint of the quarter.');
      await checkIn.getByRole('button', { name: /^Check in and (continue|finish)$/ }).click();
    } else {
      await editor.getByRole('button', { name: 'Skip this one' }).click();
    }
    await expect(editor.getByText(position, { exact: true })).toHaveCount(0);
  }
  await expect(editor.getByRole('row', { name: /^Release 12 times without a rollback/ })).toContainText(
    'Checked in 5 releases on “Release 12 times without a rollback”.',
  );
  await expectAccessible(editor, 'weekly check-in summary');

  // 5. The alignment tree, the matrix and the health check show it.
  await editor.goto(`/cycles/${cycleId}/alignment`);
  const tree = editor.getByRole('tree');
  await expect(tree.getByRole('treeitem', { name: /^Become our customers' first choice/ })).toHaveAttribute('aria-level', '1');
  const node = tree.getByRole('treeitem', { name: new RegExp(`^${title}`) });
  await expect(node).toHaveAttribute('aria-level', '2');
  await expect(node).not.toContainText('No progress yet');
  await editor.goto(`/cycles/${cycleId}/matrix`);
  const fed = editor.getByRole('row', { name: /^Deploy 12 times a week/ });
  await expect(fed).toContainText('deployment-frequency');
  await expect(fed.locator('.badge[data-status]')).toBeVisible();
  await expect(editor.getByRole('row', { name: /^Release 12 times without a rollback/ })).toContainText('checked in by hand');
  await editor.goto(`/cycles/${cycleId}/review`);
  await expect(editor.getByRole('heading', { level: 2, name: 'Health check' })).toBeVisible();
  await expect(editor.locator('section[data-rule="objective-too-few-key-results"]').getByRole('link', { name: title })).toHaveCount(0);
  await expect(editor.getByText(/^Average score:/)).toContainText('provisional');

  // 6. The admin closes the cycle; the editor scores the objective with its reason.
  await admin.reload();
  await row.getByRole('button', { name: `Close ${quarter}` }).click();
  await confirm(admin, `Close ${quarter}?`, 'Close cycle');
  await expect(row).toContainText('Closed');

  await editor.goto(objectiveUrl);
  await expect(editor.getByRole('button', { name: 'Add key result' })).toHaveCount(0);
  await expect(editor.getByRole('button', { name: /^Check in/ })).toHaveCount(0);
  const score = editor.getByRole('form', { name: 'Score' });
  await score.getByLabel('Score').fill('0.6');
  await score.getByRole('button', { name: 'Save score' }).click();
  await expect(score.getByText('Say why: the note is required.')).toBeVisible();
  await score.getByLabel('Reason').fill('Two releases slipped into the next quarter.');
  await score.getByRole('button', { name: 'Save score' }).click();
  await expect(editor.getByRole('status').filter({ hasText: 'Scored' })).toHaveText('Scored 0.6.');
  await expectAccessible(editor, 'objective after close, scored');
  await editor.goto(`/cycles/${cycleId}/review`);
  await expect(editor.getByText(/^Average score:/)).toContainText('final');
  await expect(editor.getByRole('row', { name: new RegExp(`^${title}`) })).toContainText('Two releases slipped into the next quarter.');

  await admin.context().close();
  await editor.context().close();
});

test.describe('cycles as the demo admin', () => {
  test.use({ storageState: storageState('admin') });

  test('the admin creates the suggested quarter and activates it; the keyboard alone does it too', async ({ page }) => {
    // Other tests running beside this one create cycles, so the suggestion is read from the page this test acts on.
    await page.goto('/cycles');
    const create = page.getByRole('button', { name: /^Create 20\d\d-Q\d$/ });
    const next = { name: (await create.textContent())!.replace(/^Create /, '') };
    await create.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Create ${next.name}?` });
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(dialog.getByRole('button', { name: 'Create cycle' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: 'is created' })).toHaveText(`${next.name} is created, in planning.`);
    const row = page.getByRole('row', { name: new RegExp(`^${next.name}`) });
    await row.getByRole('button', { name: `Activate ${next.name}` }).click();
    await confirm(page, `Activate ${next.name}?`, 'Activate cycle');
    await expect(page.getByRole('status').filter({ hasText: 'is active' })).toHaveText(`${next.name} is active.`);
    await expect(row).toContainText('Active');
  });
});
