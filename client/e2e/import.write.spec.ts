import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { expect, test } from '@playwright/test';

import { Api, createKpi, day, expectAccessible, storageState, teamId, uniqueName } from './support';

function file(name: string, text: string): string {
  mkdirSync(test.info().outputDir, { recursive: true });
  const path = join(test.info().outputDir, name);
  writeFileSync(path, text);
  return path;
}

test.describe('import and export as the demo editor', () => {
  test.use({ storageState: storageState('editor') });

  test('a measurements file is checked first (counts, errors by line and column), then imported', async ({ page }) => {
    const admin = await Api.as('admin');
    const kpi = await createKpi(admin);
    await page.goto('/import');
    const panel = page.getByRole('region', { name: 'Import measurements' });
    const bad = file('bad.csv', `kpi,period,value,note\n${kpi.key},${day(-3)},11,first\nno-such-kpi,${day(-2)},1,\n${kpi.key},2026-13-01,2,\n`);
    await panel.getByLabel('File (.csv or .ndjson)').setInputFiles(bad);
    await expect(panel.getByRole('button', { name: 'Import' })).toBeDisabled();
    await panel.getByRole('button', { name: 'Check file (dry run)' }).click();
    await expect(panel.getByRole('status')).toContainText('Check found 2 errors in 3 lines; nothing would be imported.');
    const errors = panel.getByRole('table', { name: 'Errors' }).locator('tbody tr');
    await expect(errors).toHaveCount(2);
    await expect(errors.nth(0)).toContainText('3kpi');
    await expect(errors.nth(0)).toContainText("KPI 'no-such-kpi' was not found.");
    await expect(errors.nth(1)).toContainText('4period');
    await expect(panel.getByRole('button', { name: 'Import' })).toBeDisabled();
    await expectAccessible(page, 'the import page with errors');

    const good = file('good.ndjson', [11, 12, 13].map((v, i) => JSON.stringify({ kpi: kpi.key, period: day(i - 3), value: v })).join('\n'));
    await panel.getByLabel('File (.csv or .ndjson)').setInputFiles(good);
    await panel.getByRole('button', { name: 'Check file (dry run)' }).click();
    await expect(panel.getByRole('status')).toContainText('Check passed: all 3 lines are valid.');
    await panel.getByRole('button', { name: 'Import' }).click();
    await expect(panel.getByRole('status')).toContainText('Imported: 3 lines.');
    await expect(panel.getByRole('button', { name: 'Import' })).toBeDisabled();
    const series = await admin.json<{ items: { value: number; source: string }[] }>(`/api/v1/kpis/${kpi.key}/measurements`);
    expect(series.items.map((m) => [m.value, m.source])).toEqual([
      [11, 'import'],
      [12, 'import'],
      [13, 'import'],
    ]);
  });

  test('KPI definitions are imported from a catalogue file', async ({ page }) => {
    const tag = uniqueName('catalogue');
    const manufacturing = await teamId(await Api.as('editor'), 'Manufacturing');
    await page.goto('/import');
    const panel = page.getByRole('region', { name: 'Import KPI definitions' });
    const catalogue = file(
      'catalogue.csv',
      `key,name,valueType,frequency,comparator,target,low,high,warning,ownerTeamId,tags\n${tag}-scrap,Scrap rate,percentage,weekly,atMost,3,,,5,${manufacturing},${tag}\n${tag}-temp,Line temperature,number,daily,between,,18,22,16,${manufacturing},${tag}\n`,
    );
    await panel.getByLabel('File (.csv or .ndjson)').setInputFiles(catalogue);
    await panel.getByRole('button', { name: 'Check file (dry run)' }).click();
    await expect(panel.getByRole('status')).toContainText('Check passed: all 2 lines are valid.');
    await panel.getByRole('button', { name: 'Import' }).click();
    await expect(panel.getByRole('status')).toContainText('Imported: 2 lines.');
    await page.goto(`/kpis?tag=${tag}`);
    await expect(page.getByRole('table').locator('tbody th')).toHaveText(['Scrap rate', 'Line temperature']);
    await expect(page.getByRole('row', { name: /Line temperature/ }).getByRole('cell').nth(2)).toHaveText('18–22');
  });

  test('the export link downloads CSV in the import format, with the chosen filters', async ({ page }) => {
    await page.goto('/import');
    await page.getByLabel('KPI keys').fill('defect-rate');
    await page.getByLabel('Format').selectOption('csv');
    const link = page.getByRole('link', { name: 'Download CSV' });
    await expect(link).toHaveAttribute('href', '/api/v1/measurements/export?kpis=defect-rate&format=csv');
    const download = page.waitForEvent('download');
    await link.click();
    const saved = await (await download).path();
    const text = (await import('node:fs')).readFileSync(saved, 'utf8');
    expect(text.split(/\r?\n/)[0]).toBe('kpi,period,value,note,externalId');
    expect(text).toContain('defect-rate,');
    const response = await page.request.get('/api/v1/measurements/export?kpis=defect-rate&format=ndjson');
    expect(response.headers()['content-type']).toContain('application/x-ndjson');
  });
});

test.describe('import and export as the demo viewer', () => {
  test.use({ storageState: storageState('viewer') });

  test('a viewer may export but gets no import controls', async ({ page }) => {
    await page.goto('/import');
    await expect(page.getByText('Your role reads KPIs but does not import.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Check file (dry run)' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Download CSV' })).toBeVisible();
    await expectAccessible(page, 'the import page as a viewer');
  });
});
