import { type Browser, expect, test } from '@playwright/test';

import { Api, baseURL, contextFor, createPerson, currentQuarter, expectAccessible, storageState, teamId, uniqueName } from './support';

interface Objective {
  id: string;
  title: string;
  keyResults: { id: string; title: string; currentValue: number | null }[];
}

/** The demo's current quarter: the quarter holding today (other tests add later ones). */
async function demoQuarter(api: Api): Promise<string> {
  return (await currentQuarter(api)).id;
}

/** An Engineering objective of the demo quarter with one key result checked in by hand, made through the API. */
async function engineeringObjective(api: Api, keyResultTitle = 'Ship 10 small releases'): Promise<Objective> {
  const response = await api.post('/api/v1/objectives', {
    cycleId: await demoQuarter(api),
    title: uniqueName('E2E objective'),
    ownerTeamId: await teamId(api, 'Engineering'),
  });
  expect(response.status(), await response.text()).toBe(201);
  const objective = (await response.json()) as Objective;
  const kr = await api.post(`/api/v1/objectives/${objective.id}/key-results`, { title: keyResultTitle, startValue: 0, targetValue: 10, unit: 'releases' });
  expect(kr.status(), await kr.text()).toBe(201);
  return api.json<Objective>(`/api/v1/objectives/${objective.id}`);
}

test.describe('writing OKRs as the demo editor', () => {
  test.use({ storageState: storageState('editor') });

  test('checking in 60 (confidence 7) on Automate 80 %… updates the value and progress, adds the history row, and announces it', async ({ page }) => {
    const api = await Api.as('editor');
    const list = await api.json<{ items: Objective[] }>(`/api/v1/objectives?q=${encodeURIComponent('Accelerate development velocity')}`);
    await page.goto(`/objectives/${list.items[0]!.id}`);
    const automate = page.getByRole('region', { name: 'Automate 80 % of regression tests, up from 40 %' });
    const before = await automate.getByRole('progressbar').getAttribute('aria-valuenow');
    await automate.getByRole('button', { name: /^Check in on/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Check in on Automate 80 % of regression tests, up from 40 %' });
    await dialog.getByLabel('Value').fill('60');
    await dialog.getByLabel('Confidence').fill('7');
    await dialog.getByLabel('Note').fill('e2e: nightly suite migrated');
    await dialog.getByRole('button', { name: 'Check in' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: 'Checked in' })).toHaveText('Checked in 60 % on “Automate 80 % of regression tests, up from 40 %”.');
    await expect(automate).toContainText('60 %, target 80 %');
    await expect(automate.getByRole('progressbar')).not.toHaveAttribute('aria-valuenow', before!);
    const first = automate.getByRole('table', { name: /Check-ins of Automate/ }).locator('tbody tr').first();
    await expect(first).toContainText('editor@demo.okrkpi.example');
    await expect(first).toContainText('60 %');
    await expect(first).toContainText('7/10');
    await expect(first).toContainText('e2e: nightly suite migrated');
  });

  test('a key result fed by a KPI takes a check-in of confidence and note, its value the KPI’s, shown as such in the history', async ({ page }) => {
    const api = await Api.as('editor');
    const objective = await engineeringObjective(api);
    const created = await api.post(`/api/v1/objectives/${objective.id}/key-results`, {
      title: 'Deploy half as often again',
      unit: 'deploys/week',
      change: { percent: 50 },
      kpiKey: 'deployment-frequency',
    });
    expect(created.status(), await created.text()).toBe(201);
    await page.goto(`/objectives/${objective.id}`);
    const fed = page.getByRole('region', { name: 'Deploy half as often again' });
    await expect(fed).toContainText('Declared as +50 % from');
    await expect(fed).toContainText("(the KPI's value)");
    await fed.getByRole('button', { name: 'Check in on Deploy half as often again' }).click();
    const dialog = page.getByRole('dialog', { name: 'Check in on Deploy half as often again' });
    await expect(dialog.getByLabel('Value')).toHaveCount(0);
    await expect(dialog).toContainText('The value comes from KPI deployment-frequency');
    await dialog.getByLabel('Confidence').fill('6');
    await page.keyboard.press('Tab');
    await expect(dialog.getByLabel('Note')).toBeFocused();
    await page.keyboard.type('e2e: pipeline waits on review');
    await expectAccessible(page, 'check-in dialog of a KPI-fed key result');
    await dialog.getByRole('button', { name: 'Check in' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: 'Checked in' })).toHaveText('Checked in on “Deploy half as often again” (value from KPI deployment-frequency).');
    const first = fed.getByRole('table', { name: /Check-ins of Deploy half/ }).locator('tbody tr').first();
    await expect(first).toContainText('(from the KPI)');
    await expect(first).toContainText('6/10');
    await expect(first).toContainText('e2e: pipeline waits on review');
    await expectAccessible(page, 'objective with a KPI-fed check-in');
  });

  test('a new objective aligned to another, with key results of all four types (one fed by a KPI picked from the list)', async ({ page }) => {
    test.setTimeout(90_000); // five key results through the form and two axe runs, on a loaded machine
    const api = await Api.as('editor');
    const cycleId = await demoQuarter(api);
    const title = uniqueName('E2E Ship faster');
    await page.goto(`/objectives/new?cycle=${cycleId}`);
    await expect(page.getByRole('heading', { level: 1, name: 'New objective' })).toBeVisible();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Description').fill('Written in the browser.');
    await page.getByLabel('Owner').selectOption({ label: 'Team Acme Corp › Engineering' });
    const velocity = (await api.json<{ items: Objective[] }>(`/api/v1/objectives?q=${encodeURIComponent('Accelerate development velocity')}`)).items[0]!;
    await page.getByLabel('Aligned to').selectOption(velocity.id);
    await page.getByLabel('Health-metric KPIs').selectOption([{ label: 'Change failure rate (change-failure-rate)' }]);
    await expectAccessible(page, 'new objective form');
    await page.getByRole('button', { name: 'Create objective' }).click();
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Accelerate development velocity' })).toBeVisible();

    const add = async (fill: () => Promise<void>, name: string) => {
      await page.getByRole('button', { name: 'Add key result' }).click();
      const form = page.getByRole('form', { name: 'New key result' });
      await form.getByLabel('Title').fill(name);
      await fill();
      await form.getByRole('button', { name: 'Add key result' }).click();
      await expect(page.getByRole('status').filter({ hasText: 'added' })).toHaveText(`Key result “${name}” added.`);
      return form;
    };
    const form = page.getByRole('form', { name: 'New key result' });
    await add(async () => {
      await form.getByLabel('Start value').fill('0');
      await form.getByLabel('Target value').fill('12');
      await form.getByLabel('Unit').fill('releases');
      await form.getByLabel('Current value').fill('3');
    }, 'Ship 12 releases');
    await add(async () => {
      await form.getByLabel('Type').selectOption('percentage');
      await form.getByLabel('Start value').fill('40');
      await form.getByLabel('Target value').fill('20');
      await form.getByLabel('Unit').fill('%');
    }, 'Cut rework from 40 % to 20 %');
    await add(async () => {
      await form.getByLabel('Type').selectOption('currency');
      await form.getByLabel('Start value').fill('50000');
      await form.getByLabel('Target value').fill('30000');
      await form.getByLabel('Unit').fill('EUR');
    }, 'Cut cloud cost to 30,000 EUR');
    await add(async () => {
      await form.getByLabel('Type').selectOption('milestone');
    }, 'Retire the old build server');
    await add(async () => {
      await form.getByLabel('Fed by KPI').selectOption({ label: 'Deployment frequency (deployment-frequency)' });
      await expect(form.getByLabel('Current value')).toHaveCount(0);
      await form.getByLabel('Start value').fill('1');
      await form.getByLabel('Target value').fill('12');
    }, 'Deploy 12 times a week');

    await expect(page.getByRole('region', { name: 'Ship 12 releases' })).toContainText('3 releases, target 12 releases');
    await expect(page.getByRole('region', { name: 'Cut cloud cost to 30,000 EUR' })).toContainText('50,000 EUR, target 30,000 EUR');
    await expect(page.getByRole('region', { name: 'Retire the old build server' })).toContainText('Not done');
    const fed = page.getByRole('region', { name: 'Deploy 12 times a week' });
    await expect(fed).toContainText('fed by KPI deployment-frequency');
    await expect(fed.getByRole('button', { name: 'Check in on Deploy 12 times a week' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Linked KPIs' }).getByRole('row', { name: /Deployment frequency/ })).toBeVisible();

    // Edit one; a refused value shows the server's or the form's error at its field.
    await page.getByRole('button', { name: 'Edit Cut rework from 40 % to 20 %' }).click();
    const edit = page.getByRole('form', { name: 'Edit Cut rework from 40 % to 20 %' });
    await edit.getByLabel('Target value').fill('ten');
    await edit.getByRole('button', { name: 'Save key result' }).click();
    await expect(edit.getByLabel('Target value')).toBeFocused();
    await expect(edit.getByText('Enter a number')).toBeVisible();
    await expectAccessible(page, 'key result form with an error');
    await edit.getByLabel('Target value').fill('15');
    await edit.getByRole('button', { name: 'Save key result' }).click();
    await expect(page.getByRole('region', { name: 'Cut rework from 40 % to 20 %' })).toContainText('40 %, target 15 %');
    await expectAccessible(page, 'objective with five key results');
  });

  test('initiatives are added to a key result and move through their statuses', async ({ page }) => {
    const api = await Api.as('editor');
    const objective = await engineeringObjective(api);
    await page.goto(`/objectives/${objective.id}`);
    const kr = page.getByRole('region', { name: 'Ship 10 small releases' });
    await kr.getByText('Add an initiative').click();
    const form = kr.getByRole('form', { name: 'Add an initiative to Ship 10 small releases' });
    await form.getByLabel('Initiative').fill('Trunk-based development');
    await form.getByLabel('Link').fill('https://tracker.example/EPIC-7');
    await form.getByRole('button', { name: 'Add initiative' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Initiative' })).toHaveText('Initiative “Trunk-based development” added.');
    await expect(kr.getByRole('link', { name: 'Trunk-based development' })).toHaveAttribute('href', 'https://tracker.example/EPIC-7');
    await kr.getByLabel('Status of Trunk-based development').selectOption('inProgress');
    await expect(page.getByRole('status').filter({ hasText: 'in progress' })).toHaveText('“Trunk-based development” is in progress.');
  });

  test('delete asks first: Esc keeps the objective and returns focus, confirming removes it with its key results', async ({ page }) => {
    const api = await Api.as('editor');
    const objective = await engineeringObjective(api);
    await page.goto(`/objectives/${objective.id}`);
    const remove = page.getByRole('button', { name: 'Delete objective' });
    await remove.click();
    const dialog = page.getByRole('dialog', { name: `Delete ${objective.title}?` });
    await expect(dialog).toContainText('Its 1 key result');
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(remove).toBeFocused();
    await remove.click();
    await dialog.getByRole('button', { name: 'Delete objective' }).click();
    await expect(page).toHaveURL(/\/okrs/);
    expect((await api.get(`/api/v1/objectives/${objective.id}`)).status()).toBe(404);
  });

  test('a stale edit answers 412: the form says so and keeps the input, which a reload restores and saves over their version', async ({ page }) => {
    const api = await Api.as('editor');
    const objective = await engineeringObjective(api);
    await page.goto(`/objectives/${objective.id}/edit`);
    await page.getByLabel('Title').fill(`${objective.title} (mine)`);
    await page.getByLabel('Description').fill('Typed while someone else saved.');

    const current = await api.json<{ version: number; ownerTeamId: string }>(`/api/v1/objectives/${objective.id}`);
    const theirs = await api.put(`/api/v1/objectives/${objective.id}`, { title: `${objective.title} (theirs)`, ownerTeamId: current.ownerTeamId }, { 'If-Match': `"${current.version}"` });
    expect(theirs.status(), await theirs.text()).toBe(200);

    await page.getByRole('button', { name: 'Save objective' }).click();
    await expect(page.getByRole('alert')).toContainText('This was changed meanwhile by someone else. Reload to get their version; your input is kept.');
    await expect(page.getByLabel('Title')).toHaveValue(`${objective.title} (mine)`);
    await page.reload();
    await expect(page.getByText('Your unsaved input was restored.')).toBeVisible();
    await expect(page.getByLabel('Description')).toHaveValue('Typed while someone else saved.');
    await page.getByRole('button', { name: 'Save objective' }).click();
    await expect(page.getByRole('heading', { level: 1, name: `${objective.title} (mine)` })).toBeVisible();
    await expect(page.getByText('Typed while someone else saved.')).toBeVisible();
  });

  test('a key result is deleted after a confirmation', async ({ page }) => {
    const api = await Api.as('editor');
    const objective = await engineeringObjective(api, 'A key result to drop');
    await page.goto(`/objectives/${objective.id}`);
    await page.getByRole('button', { name: 'Delete A key result to drop' }).click();
    await page.getByRole('dialog', { name: 'Delete A key result to drop?' }).getByRole('button', { name: 'Delete key result' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'deleted' })).toHaveText('Key result “A key result to drop” deleted.');
    await expect(page.getByRole('region', { name: 'A key result to drop' })).toHaveCount(0);
  });
});

test('a check-in typed when the session ends survives the trip through sign-in, dialog and all', async ({ browser }) => {
  const { page, context, person, objective } = await engineerAtObjective(browser);
  await page.getByRole('button', { name: 'Check in on Ship 10 small releases' }).click();
  const dialog = page.getByRole('dialog', { name: 'Check in on Ship 10 small releases' });
  await dialog.getByLabel('Value').fill('4');
  await dialog.getByLabel('Confidence').fill('6');
  await dialog.getByLabel('Note').fill('typed before the session ended');

  const xsrf = (await context.cookies()).find((c) => c.name === 'XSRF-TOKEN')!.value;
  expect((await page.request.delete('/api/v1/session', { headers: { 'X-XSRF-TOKEN': decodeURIComponent(xsrf) } })).status()).toBe(204);
  await dialog.getByRole('button', { name: 'Check in' }).click();
  await expect(page).toHaveURL(new RegExp(`/login\\?redirect=%2Fobjectives%2F${objective.id}$`));
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(new RegExp(`/objectives/${objective.id}$`));
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('Your unsaved check-in was restored.')).toBeVisible();
  await expect(dialog.getByLabel('Value')).toHaveValue('4');
  await expect(dialog.getByLabel('Confidence')).toHaveValue('6');
  await expect(dialog.getByLabel('Note')).toHaveValue('typed before the session ended');
  await dialog.getByRole('button', { name: 'Check in' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Checked in' })).toHaveText('Checked in 4 releases on “Ship 10 small releases”.');
  const checkIns = await (await Api.as('admin')).json<{ items: { value: number }[] }>(`/api/v1/key-results/${objective.keyResults[0]!.id}/check-ins`);
  expect(checkIns.items.map((c) => c.value)).toEqual([4]);
  await context.close();
});

async function engineerAtObjective(browser: Browser) {
  const admin = await Api.as('admin');
  const objective = await engineeringObjective(admin);
  const person = await createPerson(admin, 'editor', ['Engineering']);
  const { context, page } = await contextFor(browser, person.email, person.password);
  await page.goto(`/objectives/${objective.id}`);
  return { context, page, person, objective };
}

test('the weekly check-in walks through a person’s due key results, KPI-fed ones too, with the keyboard and ends with a summary', async ({ browser }) => {
  test.setTimeout(90_000); // three steps, a card page and five axe runs, on a loaded machine
  const admin = await Api.as('admin');
  const person = await createPerson(admin, 'editor');
  const created = await admin.post('/api/v1/objectives', { cycleId: await demoQuarter(admin), title: uniqueName('E2E personal objective'), ownerUserId: person.id });
  expect(created.status(), await created.text()).toBe(201);
  const objectiveId = (await created.json()).id as string;
  for (const [title, unit, targetValue] of [
    ['Read 6 books', 'books', 6],
    ['Give 3 talks', 'talks', 3],
  ] as const) {
    const kr = await admin.post(`/api/v1/objectives/${objectiveId}/key-results`, { title, startValue: 0, targetValue, unit });
    expect(kr.status(), await kr.text()).toBe(201);
  }
  // Fed by a KPI and waiting for its baseline: the check-in brings confidence and a note, the KPI the value.
  const fedTitle = 'Deploy a fifth more often than when I start';
  const fed = await admin.post(`/api/v1/objectives/${objectiveId}/key-results`, {
    title: fedTitle,
    unit: 'deploys/week',
    change: { percent: 20, baselineSource: 'firstCheckIn' },
    kpiKey: 'deployment-frequency',
  });
  expect(fed.status(), await fed.text()).toBe(201);
  const { context, page } = await contextFor(browser, person.email, person.password);

  // Its card says it waits for its baseline instead of drawing a 0 % bar.
  await page.goto('/okrs');
  const waiting = page.locator(`[data-key-result="${fedTitle}"]`);
  await expect(waiting).toContainText('No baseline yet: the first check-in sets it.');
  await expect(waiting.getByRole('progressbar')).toHaveCount(0);
  await expect(page.locator('[data-key-result="Read 6 books"]').getByRole('progressbar', { name: 'Progress of Read 6 books' })).toBeVisible();
  await expectAccessible(page, 'objective card with a key result waiting for its baseline');

  await page.goto('/check-in');
  await expect(page.getByText(/^Key result 1 of 3 · E2E personal objective/)).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Read 6 books' })).toBeVisible();

  await page.getByRole('form', { name: 'Check in on Read 6 books' }).getByLabel('Value').focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('2');
  await page.keyboard.press('Tab');
  await page.keyboard.type('9');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Two done, a third started.');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Check in and continue' })).toBeFocused();
  await page.keyboard.press('Enter');

  const second = page.getByRole('heading', { level: 2, name: 'Give 3 talks' });
  await expect(second).toBeFocused();
  await expect(page.getByText(/^Key result 2 of 3/)).toBeVisible();
  await expectAccessible(page, 'weekly check-in, second step');
  for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Skip this one' })).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 2, name: fedTitle })).toBeFocused();
  await expect(page.getByText(/^Key result 3 of 3/)).toBeVisible();
  const fedForm = page.getByRole('form', { name: `Check in on ${fedTitle}` });
  await expect(fedForm.getByLabel('Value')).toHaveCount(0);
  await expect(fedForm).toContainText('The value comes from KPI deployment-frequency');
  await expect(page.getByText('No baseline yet: the first check-in sets it.')).toBeVisible();
  await expectAccessible(page, 'weekly check-in of a KPI-fed key result');
  await fedForm.getByLabel('Confidence').focus();
  await page.keyboard.type('7');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Pipeline waits on review.');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Check in and finish' })).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { level: 2, name: 'Done: 2 of 3 checked in' })).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: 'skipped' })).toHaveText('1 skipped; they stay due this week.');
  await expect(page.getByRole('row', { name: /^Read 6 books/ })).toContainText('Checked in 2 books on “Read 6 books”.');
  await expect(page.getByRole('row', { name: /^Give 3 talks/ })).toContainText('Skipped (still 0 talks)');
  await expect(page.getByRole('row', { name: new RegExp(`^${fedTitle}`) })).toContainText('(value from KPI deployment-frequency)');
  await expectAccessible(page, 'weekly check-in summary');

  // The KPI-fed check-in kept the KPI's value and, being the first, gave the baseline.
  const objective = await admin.json<{ keyResults: { title: string; startValue: number | null; targetValue: number | null }[] }>(`/api/v1/objectives/${objectiveId}`);
  const baselined = objective.keyResults.find((k) => k.title === fedTitle)!;
  expect(baselined.startValue).not.toBeNull();
  expect(baselined.targetValue).not.toBeNull();

  // Checked in this week: only the skipped one is still due.
  await page.goto('/check-in');
  await expect(page.getByText(/^Key result 1 of 1/)).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Give 3 talks' })).toBeVisible();
  await context.close();
});

test('a viewer’s weekly check-in has nothing due', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: baseURL(), storageState: storageState('viewer') });
  const page = await context.newPage();
  await page.goto('/check-in');
  await expect(page.getByRole('status')).toContainText('Nothing is due');
  await expectAccessible(page, 'weekly check-in with nothing due');
  await context.close();
});

test.describe('carrying over as the demo editor', () => {
  test.use({ storageState: storageState('editor') });

  test('an objective is copied into a later open cycle with the key results chosen', async ({ page }) => {
    const admin = await Api.as('admin');
    const api = await Api.as('editor');
    const objective = await engineeringObjective(api, 'Carry me over');
    const own = await admin.json<{ endDate: string }>(`/api/v1/cycles/${await demoQuarter(admin)}`);
    const start = new Date(`${own.endDate}T00:00:00Z`);
    start.setUTCDate(start.getUTCDate() + 1);
    const end = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 3, 0));
    const name = uniqueName('E2E later');
    const cycle = await admin.post('/api/v1/cycles', { name, startDate: start.toISOString().slice(0, 10), endDate: end.toISOString().slice(0, 10) });
    expect(cycle.status(), await cycle.text()).toBe(201);
    const cycleId = (await cycle.json()).id as string;

    await page.goto(`/objectives/${objective.id}`);
    await page.getByRole('button', { name: 'Carry over' }).click();
    const dialog = page.getByRole('dialog', { name: `Carry over ${objective.title}` });
    await dialog.getByLabel('Into cycle').selectOption(cycleId);
    await expect(dialog.getByRole('checkbox', { name: 'Carry me over' })).toBeChecked();
    await expectAccessible(page, 'carry-over dialog');
    await dialog.getByRole('button', { name: 'Carry over' }).click();
    await expect(page.getByRole('heading', { level: 1, name: objective.title })).toBeVisible();
    await expect(page).not.toHaveURL(new RegExp(objective.id));
    await expect(page.getByText(`Cycle: ${name}`)).toBeVisible();
    await expect(page.getByRole('region', { name: 'Carry me over' })).toBeVisible();
  });
});
