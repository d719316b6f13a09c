import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, type Browser, type BrowserContext, expect, type Page, request } from '@playwright/test';

export type Role = 'admin' | 'editor' | 'viewer';

export const password = 'okrkpi-demo-password';
export const email = (role: Role) => `${role}@demo.okrkpi.example`;
export const storageState = (role: Role) => `e2e/.auth/${role}.json`;
export const baseURL = () => process.env.E2E_BASE_URL!;

/** axe-core with the WCAG 2.0/2.1/2.2 A and AA rules; every screen must have no violation. */
export async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`);
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

/** The API as a signed-in person, through the same cookie session and CSRF echo the client uses. */
export class Api {
  private constructor(
    readonly context: APIRequestContext,
    private xsrf: string,
  ) {}

  static async as(role: Role | { storageState: string }): Promise<Api> {
    const state = typeof role === 'string' ? storageState(role) : role.storageState;
    const context = await request.newContext({ baseURL: baseURL(), storageState: state });
    return Api.from(context);
  }

  static async signIn(emailAddress: string, secret: string): Promise<Api> {
    const context = await request.newContext({ baseURL: baseURL() });
    const response = await context.post('/api/v1/session', { data: { email: emailAddress, password: secret } });
    expect(response.status(), `sign-in of ${emailAddress}`).toBe(200);
    return Api.from(context);
  }

  private static async from(context: APIRequestContext): Promise<Api> {
    expect((await context.get('/api/v1/session')).status()).toBe(200);
    const cookies = (await context.storageState()).cookies;
    return new Api(context, cookies.find((c) => c.name === 'XSRF-TOKEN')?.value ?? '');
  }

  private headers(extra?: Record<string, string>) {
    return { 'X-XSRF-TOKEN': decodeURIComponent(this.xsrf), ...extra };
  }

  get(path: string) {
    return this.context.get(path);
  }

  post(path: string, data?: unknown, headers?: Record<string, string>) {
    return this.context.post(path, { data, headers: this.headers(headers) });
  }

  postRaw(path: string, body: string, contentType: string) {
    return this.context.post(path, { data: body, headers: this.headers({ 'Content-Type': contentType }) });
  }

  put(path: string, data: unknown, headers?: Record<string, string>) {
    return this.context.put(path, { data, headers: this.headers(headers) });
  }

  /** A JSON Merge Patch, as the client sends one. */
  patch(path: string, data: unknown, headers?: Record<string, string>) {
    return this.context.patch(path, { data: JSON.stringify(data), headers: this.headers({ 'Content-Type': 'application/merge-patch+json', ...headers }) });
  }

  delete(path: string, headers?: Record<string, string>) {
    return this.context.delete(path, { headers: this.headers(headers) });
  }

  async json<T>(path: string): Promise<T> {
    const response = await this.get(path);
    expect(response.status(), path).toBe(200);
    return (await response.json()) as T;
  }

  dispose() {
    return this.context.dispose();
  }
}

let unique = 0;
/** A name no other test (or earlier run on this database) uses. */
export function uniqueName(prefix: string): string {
  unique += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${unique}`;
}

/** A person made for one test (sign-in limits and password changes must not touch the shared demo sessions). */
export async function createPerson(admin: Api, role: Role, teamNames: string[] = []): Promise<{ email: string; password: string; id: string }> {
  const teams = (await admin.json<{ items: { id: string; name: string }[] }>('/api/v1/teams?limit=200')).items;
  const teamIds = teamNames.map((n) => teams.find((t) => t.name === n)!.id);
  const address = `${uniqueName(role)}@e2e.example`;
  const secret = 'a long enough e2e password';
  const response = await admin.post('/api/v1/users', { email: address, displayName: `E2E ${role}`, role, password: secret, teamIds });
  expect(response.status(), await response.text()).toBe(201);
  return { email: address, password: secret, id: (await response.json()).id };
}

export async function signInThroughForm(page: Page, emailAddress: string, secret: string) {
  await page.getByLabel('Email').fill(emailAddress);
  await page.getByLabel('Password').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** No cookies: the test runner gives browser.newContext() the test's own storageState otherwise. */
export const signedOut = { cookies: [], origins: [] };

/** A fresh browser context signed in as a person made for the test. */
export async function contextFor(browser: Browser, emailAddress: string, secret: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseURL(), storageState: signedOut });
  const page = await context.newPage();
  await page.goto('/login');
  await signInThroughForm(page, emailAddress, secret);
  await expect(page).toHaveURL(/\/kpis$/);
  return { context, page };
}

export interface DashboardItem {
  key: string;
  name: string;
  fedBy: 'values' | 'formula';
  displayStatus: string;
  latest?: { period: string; value: unknown } | null;
  sparkline: { value: unknown }[];
}

export async function teamId(api: Api, name: string): Promise<string> {
  const teams = (await api.json<{ items: { id: string; name: string }[] }>('/api/v1/teams?limit=200')).items;
  return teams.find((t) => t.name === name)!.id;
}

export const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** A daily KPI owned by a team, with values for the last days (oldest first), made through the API. */
export async function createKpi(
  admin: Api,
  options: { team?: string; target?: Record<string, unknown>; values?: number[]; unit?: string; tags?: string[]; name?: string } = {},
): Promise<{ key: string; name: string; id: string }> {
  const key = uniqueName('e2e-kpi');
  const name = options.name ?? `E2E ${key}`;
  const response = await admin.post('/api/v1/kpis', {
    key,
    name,
    unit: options.unit ?? 'pcs',
    valueType: 'number',
    frequency: 'daily',
    target: options.target ?? { comparator: 'atLeast', value: 10, warning: 8 },
    ownerTeamId: await teamId(admin, options.team ?? 'Manufacturing'),
    tags: options.tags ?? ['e2e'],
  });
  expect(response.status(), await response.text()).toBe(201);
  const id = (await response.json()).id as string;
  const values = options.values ?? [];
  if (values.length > 0) {
    const items = values.map((value, i) => ({ period: day(i - values.length), value }));
    const batch = await admin.post(`/api/v1/kpis/${key}/measurements/batch`, { items });
    expect(batch.status(), await batch.text()).toBe(200);
  }
  return { key, name, id };
}

export interface Cycle {
  id: string;
  name: string;
  status: string;
  startDate: string;
  endDate: string;
}

/** The demo's current quarter: the active quarter holding today (the demo seeds it; OKR tests add later cycles). */
export async function currentQuarter(api: Api): Promise<Cycle> {
  const today = day(0);
  const cycles = (await api.json<{ items: Cycle[] }>('/api/v1/cycles?limit=200')).items;
  return cycles.find((c) => c.status === 'active' && /^\d{4}-Q\d$/.test(c.name) && c.startDate <= today && today <= c.endDate)!;
}
