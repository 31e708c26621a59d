// Times the Databank in Chromium: from a user's choice (a click or a committed field) to the
// new table on screen, for a sequence of distinct choices (each one a new query, never an
// answer the server has cached). Beside each figure: the API's own time for the same query,
// measured in the page, so the rest is the portal's share (rendering, layout).
//
//   node bench/portal/portal_bench.mjs --url http://127.0.0.1:8080 [--rounds 3] [--out FILE]
//                                      [--band-offset N]
import { writeFileSync } from 'node:fs';

// The arguments, checked before the browser starts: an unknown flag, a flag without a value or
// a count that is not a whole number stops the bench with exit code 2 and a message naming it.
function usage(problem) {
  console.error(`portal_bench: ${problem}\nusage: node bench/portal/portal_bench.mjs --url http://127.0.0.1:8080 [--rounds N ≥ 1] [--out FILE] [--band-offset N ≥ 0]`);
  process.exit(2);
}
const KNOWN = new Set(['url', 'rounds', 'out', 'band-offset']);
const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  const flag = process.argv[i];
  const name = flag.startsWith('--') ? flag.slice(2) : '';
  if (!KNOWN.has(name)) usage(`unknown argument '${flag}' (expected --url, --rounds, --out or --band-offset)`);
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith('--')) usage(`${flag} needs a value`);
  args[name] = value;
}
function wholeNumber(name, fallback, least) {
  const text = args[name] ?? String(fallback);
  if (!/^\d+$/.test(text) || Number(text) < least) usage(`--${name} must be a whole number ≥ ${least}, not '${text}'`);
  return Number(text);
}
const base = args.url ?? 'http://127.0.0.1:8080';
if (!/^https?:\/\/[^/\s]+$/.test(base)) usage(`--url must be a server's address such as http://127.0.0.1:8080, not '${base}'`);
const rounds = wholeNumber('rounds', 3, 1);
// Shifts the rounds' bands, so that runs against one server (not restarted) ask new queries.
const bandOffset = wholeNumber('band-offset', 0, 0);

// Loaded only once the arguments are good (and so that they can be checked without it).
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: process.env.JOBINDSIGT_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'da-DK' })).newPage();

// Measured inside Chromium: the time of the user's event (the first click, change or key
// after the bench arms the clock: a field's commit may come from the fill's own change event
// or from the Tab that leaves it, and the earlier of the two is the user's choice) and of the
// first frame after the new answer is in the DOM; and the API time of each data request from
// the browser's resource timing.
await page.addInitScript(() => {
  window.__apiTimes = [];
  window.__choiceAt = 0;
  window.__shownAt = 0;
  for (const type of ['click', 'change', 'keydown']) {
    document.addEventListener(type, () => { if (!window.__choiceAt) window.__choiceAt = performance.now(); }, true);
  }
  new MutationObserver((records) => {
    if (records.some((r) => r.attributeName === 'data-answer' || r.type === 'childList')) {
      requestAnimationFrame(() => { window.__shownAt = performance.now(); });
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-answer', 'class'], childList: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.name.includes('/api/v1/data')) window.__apiTimes.push(entry.responseEnd - entry.requestStart);
    }
  }).observe({ type: 'resource', buffered: true });
});

const answer = () => page.evaluate(() => Number(document.querySelector('.results')?.getAttribute('data-answer') ?? -1));

// Runs one choice and returns {total, api} in ms: total from the action to the frame after
// the new answer is in the DOM.
async function timed(label, action) {
  const before = await answer();
  const apiCount = await page.evaluate(() => window.__apiTimes.length);
  await page.evaluate(() => { window.__choiceAt = 0; });
  await action();
  await page.waitForFunction((b) => {
    const el = document.querySelector('.results');
    return el && Number(el.getAttribute('data-answer')) > b && !el.classList.contains('busy');
  }, before, { polling: 'raf', timeout: 60_000 });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const total = Math.round(await page.evaluate(() => window.__shownAt - window.__choiceAt));
  const api = await page.evaluate((n) => window.__apiTimes.slice(n).reduce((a, b) => a + b, 0), apiCount);
  return { label, total, api: Math.round(api) };
}

const results = [];
for (let round = 0; round < rounds; ++round) {
  // Distinct bands per round so no query repeats one the server has answered.
  const upper = 39 + bandOffset + round;
  await page.goto(`${base}/databank?m=sdp_persons&b=duration:26-${upper}&a=municipality:151;region:84;country&p=latest:12M`, { waitUntil: 'networkidle' });
  await page.locator('table.pivot td[data-key]').first().waitFor({ timeout: 60_000 });
  const steps = [
    ['breakdown sex on', () => page.getByRole('checkbox', { name: 'Køn', exact: true }).check()],
    ['bands edited', async () => { const f = page.getByLabel('Varighedsgrupper (uger)'); await f.fill(`0-25,26-${upper},${upper + 1}-`); await f.press('Tab'); }],
    ['area added', async () => { await page.getByLabel('Tilføj område').fill(round % 2 ? 'Gentofte' : 'Aarhus'); await page.keyboard.press('Enter'); }],
    ['total of areas', () => page.getByRole('checkbox', { name: /I alt for de valgte områder/ }).check()],
    ['24 periods', async () => { const f = page.getByLabel('Antal'); await f.fill(String(24 + round)); await f.press('Tab'); }],
    ['quarters', () => page.getByLabel('Periodetype').selectOption('Q')],
    ['second measure', () => page.getByRole('checkbox', { name: 'Sygedagpenge: fuldtidspersoner', exact: true }).check()],
    ['breakdown sex off', () => page.getByRole('checkbox', { name: 'Køn', exact: true }).uncheck()],
  ];
  for (const [label, action] of steps) results.push({ round, ...(await timed(label, action)) });
  // Pivot is the portal alone (no query).
  const before = await page.locator('table.pivot thead').textContent();
  await page.evaluate(() => { window.__choiceAt = 0; });
  await page.getByRole('button', { name: 'Byt rækker og kolonner' }).click();
  await page.waitForFunction((b) => document.querySelector('table.pivot thead')?.textContent !== b, before, { polling: 'raf' });
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  results.push({ round, label: 'pivot (no query)', total: Math.round(await page.evaluate(() => window.__shownAt - window.__choiceAt)), api: 0 });
}
await browser.close();

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const queried = results.filter((r) => r.api > 0);
const summary = {
  choices: queried.length,
  median_ms: median(queried.map((r) => r.total)),
  p90_ms: [...queried.map((r) => r.total)].sort((a, b) => a - b)[Math.floor(queried.length * 0.9)],
  max_ms: Math.max(...queried.map((r) => r.total)),
  api_median_ms: median(queried.map((r) => r.api)),
  portal_share_median_ms: median(queried.map((r) => r.total - r.api)),
  over_300ms: queried.filter((r) => r.total > 300).length,
  pivot_median_ms: median(results.filter((r) => r.api === 0).map((r) => r.total)),
};
const lines = ['| round | choice | choice → table (ms) | of which API (ms) |', '|---|---|---|---|',
  ...results.map((r) => `| ${r.round} | ${r.label} | ${r.total} | ${r.api} |`)];
const text = `${lines.join('\n')}\n\n${JSON.stringify(summary, null, 2)}\n`;
process.stdout.write(text);
if (args.out) writeFileSync(args.out, text);
