import { expect, test } from '@playwright/test';

import { Api, currentQuarter, expectAccessible, storageState } from './support';

interface Cycle {
  id: string;
  name: string;
  status: string;
}

const demoQuarter = currentQuarter;

async function objectiveId(api: Api, title: string): Promise<string> {
  const list = await api.json<{ items: { id: string; title: string }[] }>(`/api/v1/objectives?q=${encodeURIComponent(title)}`);
  return list.items.find((o) => o.title === title)!.id;
}

test.describe('OKRs as the demo editor', () => {
  test.use({ storageState: storageState('editor') });

  test('“mine” shows Accelerate development velocity with its 3 key results, progress as text, and the stale one flagged', async ({ page }) => {
    await page.goto('/okrs');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('My OKRs');
    const card = page.getByRole('article', { name: 'Accelerate development velocity' });
    await expect(card).toBeVisible();
    await expect(page.getByRole('article')).toHaveCount(1);
    await expect(card.getByRole('list', { name: 'Key results of Accelerate development velocity' }).getByRole('listitem')).toHaveCount(3);
    await expect(card.getByText('Owner: Acme Corp › Engineering')).toBeVisible();
    const bar = card.getByRole('progressbar', { name: 'Progress of Accelerate development velocity' });
    await expect(bar).toHaveAttribute('aria-valuetext', /^\d+ %, expected \d+ %$/);
    await expect(bar).toHaveAttribute('aria-valuenow', /^\d+$/);
    const stale = card.locator('li[data-key-result^="Automate 80 %"]');
    await expect(stale.getByText('Stale')).toBeVisible();
    await expect(stale).toContainText('55 %, target 80 %');
    await expect(stale).toContainText('by check-in');
    await expect(card.locator('li[data-key-result^="Deploy to production"]')).toContainText('fed by KPI deployment-frequency');
    await expect(card.locator('[data-health]').first()).toHaveText(/(✓ On track|▲ At risk|✕ Off track)/);
    await expectAccessible(page, 'OKRs (mine)');
  });

  test('a team’s view and the whole cycle, chosen in the page and kept in the address', async ({ page }) => {
    await page.goto('/okrs');
    await page.getByLabel('Show').selectOption({ label: 'All objectives of the cycle' });
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(/all=true/);
    await expect(page.getByRole('article', { name: 'Make deployments boring' })).toBeVisible();
    await expect(page.getByRole('article', { name: 'Improve customer satisfaction' })).toBeVisible();
    await page.getByLabel('Show').selectOption({ label: 'Team Acme Corp › Customer Success' });
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('OKRs of Acme Corp › Customer Success');
    await expect(page.getByRole('article')).toHaveCount(1);
    await page.reload();
    await expect(page.getByRole('article', { name: 'Improve customer satisfaction' })).toBeVisible();
  });

  test('the cycle picker in the shell switches the cycle, and the closed quarter shows its objective', async ({ page }) => {
    const api = await Api.as('editor');
    const cycles = (await api.json<{ items: Cycle[] }>('/api/v1/cycles?limit=200')).items;
    const closed = cycles.find((c) => c.status === 'closed')!;
    await page.goto('/okrs?all=true');
    await page.getByLabel('Cycle', { exact: true }).selectOption({ label: `${closed.name} (closed)` });
    await expect(page).toHaveURL(new RegExp(`cycle=${closed.id}`));
    await expect(page.getByRole('article', { name: 'Increase sales revenue' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'New objective' })).toHaveCount(0);
  });

  test('the objective page: key results with check-in history, linked KPIs with status and sparkline, parent and children', async ({ page }) => {
    const api = await Api.as('editor');
    await page.goto(`/objectives/${await objectiveId(api, 'Accelerate development velocity')}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Accelerate development velocity' })).toBeVisible();
    const automate = page.getByRole('region', { name: 'Automate 80 % of regression tests, up from 40 %' });
    const history = automate.getByRole('table', { name: /Check-ins of Automate/ }).locator('tbody tr');
    await expect(history).toHaveCount(3);
    await expect(history.first()).toContainText('55 %');
    await expect(history.first()).toContainText('5/10');
    await expect(automate.getByRole('button', { name: 'Check in on Automate 80 % of regression tests, up from 40 %' })).toBeVisible();
    const deploy = page.getByRole('region', { name: /^Deploy to production/ });
    await expect(deploy).toContainText('fed by KPI deployment-frequency');
    await expect(deploy).toContainText("Declared as +50 % from");
    await expect(deploy).toContainText("(the KPI's value)");
    await expect(page.getByRole('link', { name: "Become our customers' first choice" })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Make deployments boring' })).toBeVisible();
    const kpis = page.getByRole('region', { name: 'Linked KPIs' });
    const cfr = kpis.getByRole('row', { name: /Change failure rate/ });
    await expect(cfr.locator('.badge')).toHaveText(/(On target|At risk|Off target|Late|No data)/);
    await expect(cfr.getByRole('img')).toBeVisible();
    await expect(kpis.getByRole('row', { name: /Deployment frequency/ })).toBeVisible();
    await expectAccessible(page, 'objective page (editor)');
  });

  test('the check-in dialog: Esc closes it and focus returns; it can be filled with the keyboard alone', async ({ page }) => {
    const api = await Api.as('editor');
    await page.goto(`/objectives/${await objectiveId(api, 'Accelerate development velocity')}`);
    const open = page.getByRole('button', { name: 'Check in on Automate 80 % of regression tests, up from 40 %' });
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Check in on Automate 80 % of regression tests, up from 40 %' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel('Value')).toBeFocused();
    await expect(dialog.getByLabel('Value')).toHaveValue('55');
    await page.keyboard.press('Tab');
    await expect(dialog.getByLabel('Confidence')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(dialog.getByLabel('Note')).toBeFocused();
    await dialog.getByLabel('Confidence').fill('11');
    await dialog.getByRole('button', { name: 'Check in' }).click();
    await expect(dialog.getByText('Enter a whole number from 0 to 10')).toBeVisible();
    await expect(dialog.getByLabel('Confidence')).toBeFocused();
    await expectAccessible(page, 'check-in dialog with an error');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(open).toBeFocused();
  });

  test('the weekly check-in asks about every key result the editor owns, the KPI-fed one for confidence and note only', async ({ page }) => {
    await page.goto('/check-in');
    await expect(page.getByRole('heading', { level: 1, name: 'Weekly check-in' })).toBeVisible();
    await expect(page.getByText(/^Key result 1 of \d+ · Accelerate development velocity/)).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: /^Deploy to production/ })).toBeVisible();
    const fed = page.getByRole('form', { name: /^Check in on Deploy to production/ });
    await expect(fed.getByLabel('Value')).toHaveCount(0);
    await expect(fed.getByLabel('Confidence')).toBeVisible();
    await expect(fed.getByLabel('Note')).toBeVisible();
    await expect(fed).toContainText('The value comes from KPI');
    await expectAccessible(page, 'weekly check-in of a KPI-fed key result');
    // Skipping writes nothing: after the second KPI-fed one comes the stale key result checked in by hand.
    await page.getByRole('button', { name: 'Skip this one' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Cut lead time for changes by 9 hours' })).toBeFocused();
    await expect(page.getByRole('form', { name: 'Check in on Cut lead time for changes by 9 hours' }).getByLabel('Value')).toHaveCount(0);
    await page.getByRole('button', { name: 'Skip this one' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Automate 80 % of regression tests, up from 40 %' })).toBeFocused();
    await expect(page.getByRole('form', { name: 'Check in on Automate 80 % of regression tests, up from 40 %' }).getByLabel('Value')).toBeVisible();
    await expectAccessible(page, 'weekly check-in');
  });

  test('alignment: an accessible tree, arrows move, collapse and expand, enclosing-cycle parents marked', async ({ page }) => {
    const api = await Api.as('editor');
    const quarter = await demoQuarter(api);
    await page.goto(`/cycles/${quarter.id}/alignment`);
    const tree = page.getByRole('tree', { name: `Alignment of ${quarter.name}` });
    await expect(tree.getByRole('treeitem')).toHaveCount(4);
    const company = tree.getByRole('treeitem', { name: /^Become our customers' first choice/ });
    const velocity = tree.getByRole('treeitem', { name: /^Accelerate development velocity/ });
    const platform = tree.getByRole('treeitem', { name: /^Make deployments boring/ });
    await expect(company).toHaveAttribute('aria-level', '1');
    await expect(company).toContainText('enclosing cycle');
    await expect(velocity).toHaveAttribute('aria-level', '2');
    await expect(platform).toHaveAttribute('aria-level', '3');
    await expect(platform).toContainText(/\d+ %, expected \d+ %/);
    await expect(platform.locator('[data-health]')).toBeVisible();
    await expectAccessible(page, 'alignment tree');

    // One Tab stop into the tree, then arrows.
    await company.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(velocity).toBeFocused();
    await expect(velocity).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('ArrowLeft');
    await expect(velocity).toHaveAttribute('aria-expanded', 'false');
    await expect(platform).toHaveCount(0);
    await page.keyboard.press('ArrowRight');
    await expect(velocity).toHaveAttribute('aria-expanded', 'true');
    await expect(platform).toBeVisible();
    await page.keyboard.press('ArrowRight');
    await expect(platform).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(velocity).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Accelerate development velocity' })).toBeVisible();
  });

  test('matrix: the Raise NPS row shows KPI nps with a status word; the CSV downloads as okr-kpi-matrix-<cycle>.csv', async ({ page }) => {
    const api = await Api.as('editor');
    const quarter = await demoQuarter(api);
    await page.goto(`/cycles/${quarter.id}/matrix`);
    const row = page.getByRole('row', { name: /^Raise NPS by 10 points/ });
    await expect(row).toContainText('nps');
    await expect(row.locator('.badge[data-status]')).toHaveText(/(On target|At risk|Off target|Late|No data)/);
    await expectAccessible(page, 'matrix');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download CSV' }).click();
    expect((await download).suggestedFilename()).toBe(`okr-kpi-matrix-${quarter.name}.csv`);
    const csv = await api.get(`/api/v1/cycles/${quarter.id}/matrix?format=csv`);
    expect(csv.headers()['content-type']).toContain('text/csv');
  });

  test('review: findings grouped by rule, linked to objectives; the average score is provisional', async ({ page }) => {
    const api = await Api.as('editor');
    const quarter = await demoQuarter(api);
    await page.goto(`/cycles/${quarter.id}/review`);
    for (const rule of ['key-result-restates-kpi-target', 'key-result-stale', 'objective-too-few-key-results']) {
      await expect(page.locator(`section[data-rule="${rule}"]`)).toBeVisible();
    }
    const few = page.locator('section[data-rule="objective-too-few-key-results"]');
    await expect(few.getByRole('link', { name: 'Make deployments boring' })).toBeVisible();
    await expect(page.locator('section[data-rule="key-result-stale"]').getByRole('link', { name: /^Automate 80 %/ })).toBeVisible();
    await expect(page.getByText(/^Average score:/)).toContainText('provisional');
    await expectAccessible(page, 'review');
    await page.locator('section[data-rule="key-result-stale"]').getByRole('link', { name: /^Automate 80 %/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Accelerate development velocity' })).toBeVisible();
  });

  test('cycles: the list, and no write buttons for an editor', async ({ page }) => {
    await page.goto('/cycles');
    await expect(page.getByRole('row', { name: /2026-Q4|FY 2026/ }).first()).toBeVisible();
    await expect(page.getByRole('button', { name: /^(Activate|Close|Reopen|Create)/ })).toHaveCount(0);
    await expectAccessible(page, 'cycles (editor)');
  });
});

test.describe('OKRs as the demo viewer', () => {
  test.use({ storageState: storageState('viewer') });

  test('sees objectives and check-in history but no write control; a forced check-in answers 403', async ({ page }) => {
    const api = await Api.as('viewer');
    await page.goto('/okrs?all=true');
    await expect(page.getByRole('article', { name: 'Accelerate development velocity' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'New objective' })).toHaveCount(0);
    await expectAccessible(page, 'OKRs (viewer)');
    await page.getByRole('link', { name: 'Accelerate development velocity' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Accelerate development velocity' })).toBeVisible();
    await expect(page.getByRole('button', { name: /^Check in/ })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^(Edit|Delete|Add key result|Carry over)/ })).toHaveCount(0);
    await expect(page.getByRole('form')).toHaveCount(0);
    await expectAccessible(page, 'objective page (viewer)');
    const objective = await api.json<{ keyResults: { id: string; title: string }[] }>(`/api/v1/objectives/${await objectiveId(api, 'Accelerate development velocity')}`);
    const kr = objective.keyResults.find((k) => k.title.startsWith('Automate'))!;
    expect((await api.post(`/api/v1/key-results/${kr.id}/check-ins`, { value: 60 })).status()).toBe(403);
  });

  test('cycles without write buttons', async ({ page }) => {
    await page.goto('/cycles');
    await expect(page.getByRole('table')).toBeVisible();
    await expect(page.getByRole('button', { name: /^(Activate|Close|Reopen|Create)/ })).toHaveCount(0);
  });
});

test.describe('OKRs as the demo admin', () => {
  test.use({ storageState: storageState('admin') });

  test('an admin writes any objective: every control is there, and the page has no accessibility violation', async ({ page }) => {
    const api = await Api.as('admin');
    await page.goto(`/objectives/${await objectiveId(api, 'Improve customer satisfaction')}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Improve customer satisfaction' })).toBeVisible();
    for (const name of ['Add key result', 'Carry over', 'Delete objective']) await expect(page.getByRole('button', { name })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Edit objective' })).toBeVisible();
    const complaints = page.getByRole('region', { name: 'Cut complaints per 1,000 orders from 5 to 2' });
    await expect(complaints.getByRole('button', { name: /^Check in on/ })).toBeVisible();
    await expect(complaints).toContainText('3.3 per 1,000 orders, target 2 per 1,000 orders');
    await complaints.getByText('Add an initiative').click();
    await expectAccessible(page, 'objective page (admin), an initiative form open');
  });

  test('cycles offer the suggested next cycle and each cycle’s action, behind a confirmation', async ({ page }) => {
    const api = await Api.as('admin');
    const next = await api.json<{ name: string }>('/api/v1/cycles/next');
    await page.goto('/cycles');
    await expect(page.getByText(`Suggested: ${next.name}`)).toBeVisible();
    const close = page.getByRole('button', { name: /^Close 20\d\d-Q\d$/ }).first();
    await close.click();
    const dialog = page.getByRole('dialog', { name: /^Close 20\d\d-Q\d\?$/ });
    await expect(dialog).toContainText('freezes every key result');
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await expectAccessible(page, 'cycles with the close dialog (admin)');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(close).toBeFocused();
  });
});
