import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { expect, test } from '@playwright/test';

import { Api, createKpi, day, expectAccessible, storageState, uniqueName } from './support';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A receiver on 127.0.0.1 (admitted by the e2e server's Webhooks:AllowedNetworks) that answers 500 to the first
 * `failures` requests and 200 after, and keeps what it received.
 */
async function startReceiver(failures: number): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  let left = failures;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      if (left > 0) {
        left -= 1;
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('receiver busy, try again');
      } else {
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('thanks');
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/okrkpi`, received, server };
}

/** Standard Webhooks: v1 = base64 HMAC-SHA256 of "{id}.{timestamp}.{body}" keyed with the secret's bytes after whsec_. */
function signature(secret: string, message: Received): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signed = `${String(message.headers['webhook-id'])}.${String(message.headers['webhook-timestamp'])}.${message.body}`;
  return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
}

test.describe('webhooks as the demo admin', () => {
  test.use({ storageState: storageState('admin'), permissions: ['clipboard-read', 'clipboard-write'] });

  test('a webhook is created with its secret shown once, delivers a signed status change through retries, replays, rotates, pauses and is deleted', async ({ page }) => {
    test.setTimeout(90_000);
    const admin = await Api.as('admin');
    const kpi = await createKpi(admin, { target: { comparator: 'atLeast', value: 10, warning: 8 }, values: [12] });
    const receiver = await startReceiver(2);
    const name = uniqueName('Line 3 to the ticket system');

    await page.goto('/webhooks');
    await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
    await expectAccessible(page, 'the webhooks page');

    // A refused address is explained at its field.
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('URL').fill('ftp://example.com/hook');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expect(page.getByLabel('URL')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByText('url must be an absolute http or https address')).toBeVisible();
    await expectAccessible(page, 'the webhook form with an error');

    await page.getByLabel('URL').fill(receiver.url);
    await page.getByRole('checkbox', { name: /A KPI’s status changed/ }).check();
    await page.getByLabel('KPI keys').fill(kpi.key);
    await page.getByRole('button', { name: 'Create webhook' }).click();

    const once = page.getByRole('region', { name: /copy the signing secret now/ });
    await expect(once.getByRole('heading')).toBeFocused();
    const secret = await once.getByLabel('Signing secret').inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    await once.getByRole('button', { name: 'Copy secret' }).click();
    await expect(once.getByRole('status')).toHaveText('Copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await expectAccessible(page, 'the secret shown once');
    await once.getByRole('button', { name: 'I have copied it' }).click();
    await expect(once).toHaveCount(0);

    const row = page.getByRole('row', { name: new RegExp(name) });
    await expect(row).toContainText(receiver.url);
    await expect(row).toContainText(`KPIs: ${kpi.key}`);
    await expect(row).toContainText('Active');

    // The KPI goes off target: the receiver fails twice, then takes it; the log shows three attempts and one delivery.
    const push = await admin.post(`/api/v1/kpis/${kpi.key}/measurements`, { period: day(0), value: 2 });
    expect(push.status(), await push.text()).toBe(201);
    await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBe(3);
    const delivered = receiver.received[2]!;
    expect(String(delivered.headers['webhook-signature']).split(' ')).toContain(signature(secret, delivered));
    const event = JSON.parse(delivered.body) as { type: string; data: { summary: string } };
    expect(event.type).toBe('kpi.status.changed');
    expect(event.data.summary).toContain(`${kpi.name} is off target`);

    await row.getByRole('link', { name }).click();
    await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
    const log = page.getByRole('listitem').filter({ hasText: 'kpi.status.changed' });
    await expect(log).toContainText('Delivered');
    await expect(log).toContainText('3 attempts');
    await log.getByText('Attempts of this delivery (3)').click();
    const attempts = log.getByRole('table');
    await expect(attempts.getByRole('row')).toHaveCount(4);
    await expect(attempts.getByRole('row').nth(1)).toContainText('500');
    await expect(attempts.getByRole('row').nth(1)).toContainText('receiver busy, try again');
    await expect(attempts.getByRole('row').nth(3)).toContainText('Succeeded');
    await expect(attempts.getByRole('row').nth(3)).toContainText('thanks');
    await expectAccessible(page, 'a webhook with its delivery log open');

    // Replay sends the same event again, with the same webhook-id.
    await log.getByRole('button', { name: /^Replay kpi.status.changed/ }).click();
    await expect(page.getByRole('status').filter({ hasText: 'sent again' })).toBeVisible();
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(4);
    expect(receiver.received[3]!.headers['webhook-id']).toBe(delivered.headers['webhook-id']);

    // A test message, by keyboard.
    await page.getByRole('button', { name: 'Send a test message' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: 'test message' })).toHaveText('A test message is queued; its delivery shows below.');
    await expect(page.getByRole('listitem').filter({ hasText: 'webhook.test' })).toContainText('Delivered', { timeout: 20_000 });

    // Rotating asks first (Esc keeps the secret), then shows the new one once; both secrets sign for the overlap.
    const rotate = page.getByRole('button', { name: 'Rotate secret' });
    await rotate.click();
    const dialog = page.getByRole('dialog', { name: `Rotate the secret of ${name}?` });
    await expect(dialog).toContainText('two signatures');
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await expectAccessible(page, 'the rotate confirmation');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(rotate).toBeFocused();
    await rotate.click();
    await dialog.getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = page.getByRole('region', { name: /New secret of .*copy the signing secret now/ });
    // The new secret appeared behind the dialog; it takes focus as the dialog closes.
    await expect(rotated.getByRole('heading')).toBeFocused();
    await expect(rotated).toContainText('signed with both the old and the new secret');
    const newSecret = await rotated.getByLabel('Signing secret').inputValue();
    expect(newSecret).not.toBe(secret);
    await rotated.getByRole('button', { name: 'I have copied it' }).click();
    await page.getByRole('button', { name: 'Send a test message' }).click();
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(6);
    const afterRotation = receiver.received[5]!;
    const signatures = String(afterRotation.headers['webhook-signature']).split(' ');
    expect(signatures).toContain(signature(secret, afterRotation));
    expect(signatures).toContain(signature(newSecret, afterRotation));

    // Disable and enable.
    await page.getByRole('button', { name: 'Disable' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Disabled');
    await expect(page.getByText(/^Disabled by /)).toBeVisible();
    await page.getByRole('button', { name: 'Enable' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Active');

    // Deleting asks first.
    await page.getByRole('button', { name: 'Delete webhook' }).click();
    await page.getByRole('dialog', { name: `Delete ${name}?` }).getByRole('button', { name: 'Delete webhook' }).click();
    await expect(page).toHaveURL(/\/webhooks$/);
    await expect(page.getByRole('row', { name: new RegExp(name) })).toHaveCount(0);

    receiver.server.close();
    await admin.dispose();
  });
});

test.describe('webhooks as the demo editor and viewer', () => {
  test('an editor must filter on a team of theirs, and is offered only their teams', async ({ browser }) => {
    const context = await browser.newContext({ storageState: storageState('editor') });
    const page = await context.newPage();
    await page.goto('/webhooks');
    const teams = page.getByRole('group', { name: /^Teams/ });
    await expect(teams).toHaveAccessibleName('Teams (pick at least one of yours)');
    await expect(teams.getByRole('checkbox')).not.toHaveCount(0);
    await page.getByLabel('Name').fill(uniqueName('editor hook'));
    await page.getByLabel('URL').fill('https://hooks.example.com/okrkpi');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await expect(page.getByRole('alert')).toContainText('not allowed');
    await expectAccessible(page, "the editor's webhooks page");
    await context.close();
  });

  test('a viewer has no webhooks in the navigation, and the page says who manages them', async ({ browser }) => {
    const context = await browser.newContext({ storageState: storageState('viewer') });
    const page = await context.newPage();
    await page.goto('/kpis');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' })).toHaveCount(0);
    await page.goto('/webhooks');
    await expect(page.getByText('Editors and admins manage webhooks.')).toBeVisible();
    await context.close();
  });
});
