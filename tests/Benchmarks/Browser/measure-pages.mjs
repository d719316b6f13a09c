// B11 (make bench): times pages in headless Chromium, driven by the client's own Playwright. Called by the benchmark
// runner with one JSON argument; prints one JSON line of timings (milliseconds from navigation start, per round).
//   { client, chromium, base, email, password, rounds, rows, dashboard, staticPage, longSeries, shortSeries }
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const job = JSON.parse(process.argv[2]);
const { chromium } = await import(pathToFileURL(join(job.client, 'node_modules', '@playwright', 'test', 'index.mjs')).href);
const browser = await chromium.launch({ executablePath: job.chromium });

// The first frame after the table holds every row with its sparkline: "the dashboard showing N KPIs". The same
// observer runs on both pages, so the SPA and the static page are timed by one rule.
const tableReady = (rows) => {
  window.__ready = null;
  const check = () => {
    if (window.__ready !== null || document.querySelectorAll('tbody tr svg.sparkline').length < rows) return;
    window.__ready = -1;
    requestAnimationFrame(() => (window.__ready = performance.now()));
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
};

// One sign-in for the run; every round starts a new context (an empty HTTP cache, as a first visit) with its cookie.
const login = await browser.newContext({ baseURL: job.base });
const signedIn = await login.request.post('/api/v1/session', { data: { email: job.email, password: job.password } });
if (signedIn.status() !== 200) throw new Error(`sign-in answered ${signedIn.status()}`);
const storageState = await login.storageState();
await login.close();

async function timeTable(path, signIn) {
  const context = await browser.newContext({ baseURL: job.base, storageState: signIn ? storageState : undefined, viewport: { width: 1280, height: 900 } });
  await context.addInitScript(tableReady, job.rows);
  const page = await context.newPage();
  await page.goto(path);
  await page.waitForFunction(() => typeof window.__ready === 'number' && window.__ready > 0, null, { timeout: 60_000 });
  const ms = await page.evaluate(() => window.__ready);
  await context.close();
  return ms;
}

async function timeChart(path) {
  const context = await browser.newContext({ baseURL: job.base, storageState, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(path);
  await page.waitForFunction(() => performance.getEntriesByName('kpi-chart-drawn').length > 0, null, { timeout: 60_000 });
  const { ms, points } = await page.evaluate(() => {
    const mark = performance.getEntriesByName('kpi-chart-drawn')[0];
    return { ms: mark.startTime, points: mark.detail?.points };
  });
  await context.close();
  return { ms, points };
}

const result = { dashboard: [], staticPage: [], longSeries: [], shortSeries: [], longPoints: 0, shortPoints: 0 };
// A warm-up round of each (Chromium's own start-up, the API's first requests), then the measured rounds, alternating
// so that whatever else the machine does falls on both sides alike.
for (let round = -1; round < job.rounds; round++) {
  const spa = await timeTable(job.dashboard, true);
  const page = await timeTable(job.staticPage, false);
  const long = await timeChart(job.longSeries);
  const short = await timeChart(job.shortSeries);
  if (round < 0) continue;
  result.dashboard.push(spa);
  result.staticPage.push(page);
  result.longSeries.push(long.ms);
  result.shortSeries.push(short.ms);
  result.longPoints = long.points;
  result.shortPoints = short.points;
}
await browser.close();
console.log(JSON.stringify(result));
