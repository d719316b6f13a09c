import { expect, test } from '@playwright/test';

import { Api, type Cycle, currentQuarter, expectAccessible, storageState } from './support';

test.describe('the OKR–KPI matrix across cycles, as the demo editor', () => {
  test.use({ storageState: storageState('editor') });

  test('is reached from the Cycles screen by keyboard, lists each chosen cycle with its rows, and downloads one CSV', async ({ page }) => {
    const api = await Api.as('editor');
    const quarter = await currentQuarter(api);
    const cycles = (await api.json<{ items: Cycle[] }>('/api/v1/cycles?limit=200')).items;
    await page.goto('/cycles');
    const link = page.getByRole('link', { name: 'OKR–KPI matrix across cycles' });
    await link.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'OKR–KPI matrix across cycles' })).toBeVisible();

    await page.getByLabel('From cycle').selectOption(quarter.id);
    await page.getByLabel('To cycle').selectOption(quarter.id);
    await expect(page).toHaveURL(new RegExp(`from=${quarter.id}&to=${quarter.id}`));
    const section = page.getByRole('region', { name: new RegExp(`^${quarter.name}`) });
    await expect(section.getByRole('row', { name: /^Raise NPS by 10 points/ })).toContainText('nps');
    // Only cycles that lie wholly within the quarter: an enclosing year is not one of them.
    const within = cycles.filter((c) => c.startDate >= quarter.startDate && c.endDate <= quarter.endDate);
    await expect(page.getByRole('heading', { level: 2 })).toHaveCount(within.length);
    await expectAccessible(page, 'matrix across cycles');

    const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
    expect(href).toBe(`/api/v1/cycles/matrix?from=${quarter.startDate}&to=${quarter.endDate}&format=csv`);
    const csv = await api.get(href!);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).split('\n')[1]).toContain(quarter.name);
  });

  test('says so when the last cycle ends before the first begins', async ({ page }) => {
    const api = await Api.as('editor');
    const cycles = (await api.json<{ items: Cycle[] }>('/api/v1/cycles?limit=200')).items.sort((a, b) => a.startDate.localeCompare(b.startDate));
    const [first, last] = [cycles[0]!, cycles[cycles.length - 1]!];
    test.skip(last.startDate <= first.endDate, 'the demo has no two cycles one after the other');
    await page.goto(`/cycles/matrix?from=${last.id}&to=${first.id}`);
    await expect(page.getByRole('alert')).toContainText('The last cycle ends before the first begins');
    await expect(page.getByLabel('To cycle')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByRole('link', { name: 'Download CSV' })).toHaveCount(0);
  });
});
