import { expect, test } from '@playwright/test';

import { Api, currentQuarter, expectAccessible, storageState, teamId, uniqueName } from './support';

/** An empty Engineering objective of the demo's current quarter, made through the API. */
async function emptyObjective(api: Api): Promise<{ id: string; title: string }> {
  const response = await api.post('/api/v1/objectives', {
    cycleId: (await currentQuarter(api)).id,
    title: uniqueName('E2E targets'),
    ownerTeamId: await teamId(api, 'Engineering'),
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { id: string; title: string };
}

test.describe('key results written as practitioners write them, as the demo editor', () => {
  test.use({ storageState: storageState('editor') });

  test('“+15 % from the first check-in” waits without a baseline, and the first check-in sets start and target', async ({ page }) => {
    const api = await Api.as('editor');
    const objective = await emptyObjective(api);
    await page.goto(`/objectives/${objective.id}`);
    await page.getByRole('button', { name: 'Add key result' }).click();
    const form = page.getByRole('form', { name: 'New key result' });
    await form.getByLabel('Title').fill('Raise the app rating by 15 %');
    // The change is typed after a Tab from the baseline's source: the keyboard order follows the sentence.
    await form.getByLabel('Target as').selectOption('percent');
    await form.getByLabel('Baseline from').selectOption('firstCheckIn');
    await expect(form.getByRole('textbox', { name: 'Baseline', exact: true })).toHaveCount(0);
    await form.getByLabel('Baseline from').focus();
    await expect(form.getByLabel('Current value')).toHaveCount(0);
    await page.keyboard.press('Tab');
    await expect(form.getByLabel('Change in per cent')).toBeFocused();
    await page.keyboard.type('15');
    await form.getByLabel('Met when').selectOption('greaterThan');
    await expectAccessible(page, 'key result form with a relative target');
    await form.getByRole('button', { name: 'Add key result' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'added' })).toHaveText('Key result “Raise the app rating by 15 %” added.');

    const kr = page.getByRole('region', { name: 'Raise the app rating by 15 %' });
    await expect(kr).toContainText('No baseline yet: the first check-in sets it.');
    await expect(kr).toContainText('Declared as +15 % from the first check-in (no baseline yet)');
    await expect(kr.getByRole('progressbar')).toHaveCount(0);
    await expectAccessible(page, 'objective with a key result waiting for its baseline');

    await kr.getByRole('button', { name: 'Check in on Raise the app rating by 15 %' }).click();
    const dialog = page.getByRole('dialog', { name: 'Check in on Raise the app rating by 15 %' });
    await dialog.getByLabel('Value').fill('4');
    await dialog.getByRole('button', { name: 'Check in' }).click();
    await expect(dialog).toBeHidden();
    await expect(kr).toContainText('4, target 4.6');
    await expect(kr).toContainText('Declared as +15 % from 4 (the first check-in)');
    await expect(kr.getByRole('progressbar')).toBeVisible();
  });

  test('a relative target from an entered baseline with its own due date, and a date outside the cycle refused at its field', async ({ page }) => {
    const api = await Api.as('editor');
    const objective = await emptyObjective(api);
    const quarter = await currentQuarter(api);
    await page.goto(`/objectives/${objective.id}`);
    await page.getByRole('button', { name: 'Add key result' }).click();
    const form = page.getByRole('form', { name: 'New key result' });
    await form.getByLabel('Title').fill('Halve the complaints');
    await form.getByLabel('Target as').selectOption('percent');
    await form.getByRole('textbox', { name: 'Baseline', exact: true }).fill('40');
    await form.getByLabel('Change in per cent').fill('-50');
    await form.getByLabel('Due date').fill('2099-01-31');
    await form.getByRole('button', { name: 'Add key result' }).click();
    await expect(form.getByLabel('Due date')).toBeFocused();
    await expect(form.getByText(/dueDate \S+ lies outside the cycle/)).toBeVisible();
    await expectAccessible(page, 'key result form with a date outside the cycle');

    await form.getByLabel('Due date').fill(quarter.endDate);
    await form.getByRole('button', { name: 'Add key result' }).click();
    const kr = page.getByRole('region', { name: 'Halve the complaints' });
    await expect(kr).toContainText('40, target 20');
    await expect(kr).toContainText('Declared as −50 % from 40');
    await expect(kr).toContainText('Timeframe: due');

    // Editing keeps the declaration in the form.
    await kr.getByRole('button', { name: 'Edit Halve the complaints' }).click();
    const edit = page.getByRole('form', { name: 'Edit Halve the complaints' });
    await expect(edit.getByLabel('Target as')).toHaveValue('percent');
    await expect(edit.getByLabel('Change in per cent')).toHaveValue('-50');
    await expect(edit.getByLabel('Due date')).toHaveValue(quarter.endDate);
  });
});

test.describe('initiatives of an objective as a whole, as the demo editor', () => {
  test.use({ storageState: storageState('editor') });

  test('are listed apart from the key results’ and added from the objective page by keyboard', async ({ page }) => {
    const api = await Api.as('editor');
    const objective = await emptyObjective(api);
    await page.goto(`/objectives/${objective.id}`);
    const section = page.getByRole('region', { name: 'Initiatives of the objective' });
    await expect(section).toContainText('None yet.');
    await section.getByText('Add an initiative').click();
    const form = section.getByRole('form', { name: `Add an initiative to ${objective.title}` });
    await form.getByLabel('Initiative').fill('Customer advisory board');
    await page.keyboard.press('Tab');
    await expect(form.getByLabel('Link')).toBeFocused();
    await page.keyboard.type('https://tracker.example/EPIC-9');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: 'Initiative' })).toHaveText('Initiative “Customer advisory board” added.');
    await expect(section.getByRole('link', { name: 'Customer advisory board' })).toHaveAttribute('href', 'https://tracker.example/EPIC-9');
    await section.getByLabel('Status of Customer advisory board').selectOption('inProgress');
    await expect(page.getByRole('status').filter({ hasText: 'in progress' })).toHaveText('“Customer advisory board” is in progress.');
    const listed = await api.json<{ items: { title: string; objectiveId: string | null }[] }>(`/api/v1/objectives/${objective.id}/initiatives`);
    expect(listed.items.map((i) => i.title)).toEqual(['Customer advisory board']);
    await expectAccessible(page, 'objective with an initiative of its own');
  });
});
