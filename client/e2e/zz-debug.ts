import { expect, test } from '@playwright/test';
import { Api } from './support';
test('admin session survives', async () => {
  const api = await Api.as('admin');
  expect((await api.get('/api/v1/session')).status()).toBe(200);
});
