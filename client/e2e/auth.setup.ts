import { expect, test as setup } from '@playwright/test';

import { email, password, type Role, signInThroughForm, storageState } from './support';

// One sign-in per demo role for the whole run (sign-in is rate-limited per account); tests reuse the session.
for (const role of ['admin', 'editor', 'viewer'] as Role[]) {
  setup(`sign in as the demo ${role}`, async ({ page }) => {
    await page.goto('/login');
    await signInThroughForm(page, email(role), password);
    await expect(page).toHaveURL(/\/kpis$/);
    await expect(page.getByRole('table')).toBeVisible();
    await page.context().storageState({ path: storageState(role) });
  });
}
