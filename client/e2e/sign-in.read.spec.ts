import { expect, test } from '@playwright/test';

import { email, expectAccessible, password, type Role, signInThroughForm, uniqueName } from './support';

test('a wrong password says "Wrong email or password" and stays on the sign-in page', async ({ page }) => {
  await page.goto('/login');
  await signInThroughForm(page, email('viewer'), 'not the password');
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel('Email')).toHaveValue(email('viewer'));
});

for (const role of ['admin', 'editor', 'viewer'] as Role[]) {
  test(`the demo ${role} lands on the KPI dashboard`, async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/login(\?redirect=%2Fkpis)?$/);
    await signInThroughForm(page, email(role), password);
    await expect(page).toHaveURL(/\/kpis$/);
    await expect(page.getByRole('heading', { name: 'KPI dashboard' })).toBeVisible();
    await expect(page.getByRole('link', { name: new RegExp(`^Account of Demo ${role}`, 'i') })).toBeVisible();
  });
}

test('signing in works with the keyboard alone', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByLabel('Email')).toBeFocused();
  await page.keyboard.type(email('editor'));
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password')).toBeFocused();
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/kpis$/);
});

test('the fields allow paste and password managers', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByLabel('Email')).toHaveAttribute('autocomplete', 'username');
  await expect(page.getByLabel('Password')).toHaveAttribute('autocomplete', 'current-password');
  await expect(page.getByLabel('Password')).not.toHaveAttribute('onpaste', /.*/);
});

test('a page asked for before signing in is where sign-in leads', async ({ page }) => {
  await page.goto('/kpis/defect-rate?range=90');
  await expect(page).toHaveURL(/\/login\?redirect=/);
  await expect(page.getByText('Sign in to continue where you were.')).toBeVisible();
  await signInThroughForm(page, email('viewer'), password);
  await expect(page).toHaveURL(/\/kpis\/defect-rate\?range=90$/);
  await expect(page.getByRole('heading', { name: 'Defect rate' })).toBeVisible();
});

test('too many attempts say how long to wait', async ({ page, request }) => {
  const someone = `${uniqueName('locked')}@e2e.example`;
  for (let i = 0; i < 10; i++) {
    expect((await request.post('/api/v1/session', { data: { email: someone, password: 'wrong password' } })).status()).toBe(401);
  }
  await page.goto('/login');
  await signInThroughForm(page, someone, 'wrong password');
  await expect(page.getByRole('alert')).toHaveText(/^Too many sign-in attempts\. Wait (\d+ seconds?|1 minute) and try again\.$/);
});

test('the sign-in page has no accessibility violations, also with an error shown', async ({ page }) => {
  await page.goto('/login');
  await expectAccessible(page, 'sign-in');
  await signInThroughForm(page, 'nobody@e2e.example', 'x');
  await expect(page.getByRole('alert')).toBeVisible();
  await expectAccessible(page, 'sign-in with an error');
});
