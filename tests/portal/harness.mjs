// The portal's end-to-end harness: one `jobindsigt serve` over a store and one headless
// Chromium (Debian's /usr/bin/chromium through playwright-core) per test file, a fresh
// context and page for every openPage(), axe-core for WCAG 2.1 A/AA and full-page screenshots.
//
// A test file imports what it needs; importing registers the hooks that start the server and
// the browser before the file's first test and stop both after its last (also on failure):
//
//   import { test } from 'node:test';
//   import { openPage, checkA11y, screenshot, api } from './harness.mjs';
//   test('the Databank opens', async () => {
//     const page = await openPage('/databank');
//     await checkA11y(page, 'databank');
//     await screenshot(page, 'databank');
//   });
//
// Every page opened during a test is closed after it, and the test fails when the page threw
// an uncaught error. Console errors and failed requests are collected (pageProblems(page)) and
// asserted with assertNoConsoleErrors(page).
//
// Environment (CTest's portal.e2e sets all of them):
//   JOBINDSIGT_BIN          the jobindsigt binary (default build/debug/apps/jobindsigt/jobindsigt)
//   JOBINDSIGT_STORE        the store to serve (required)
//   JOBINDSIGT_WEB_DIST     the built portal (default web/dist)
//   JOBINDSIGT_SCREENSHOTS  where screenshots and axe reports go (default build/portal-screenshots)
//   JOBINDSIGT_CHROMIUM     the browser (default /usr/bin/chromium)
import { after, afterEach, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '../..');

function fromEnv(name, fallback) {
  const value = process.env[name];
  if (!value) return fallback;
  return isAbsolute(value) ? value : resolve(process.cwd(), value);
}

export const paths = {
  bin: fromEnv('JOBINDSIGT_BIN', join(repoRoot, 'build/debug/apps/jobindsigt/jobindsigt')),
  store: fromEnv('JOBINDSIGT_STORE', ''),
  webDist: fromEnv('JOBINDSIGT_WEB_DIST', join(repoRoot, 'web/dist')),
  screenshots: fromEnv('JOBINDSIGT_SCREENSHOTS', join(repoRoot, 'build/portal-screenshots')),
  chromium: fromEnv('JOBINDSIGT_CHROMIUM', '/usr/bin/chromium'),
};

export const VIEWPORT = { width: 1366, height: 900 };
export const LOCALE = 'da-DK';
const READY_TIMEOUT_MS = 60_000; // the debug build with sanitizers starts slower
const DEFAULT_TIMEOUT_MS = 15_000;

let server = null; // { child, port, output }
let browser = null;
let baseUrl = '';
const openPages = new Set();
const problems = new WeakMap(); // page → { consoleErrors, pageErrors, failedRequests }

// ---------------------------------------------------------------------------------------
// Setup and teardown

function checkInputs() {
  const hints = [];
  if (!existsSync(paths.bin)) {
    hints.push(`the jobindsigt binary ${paths.bin} is missing: build it (cmake --build --preset debug) or set JOBINDSIGT_BIN`);
  }
  if (!paths.store) {
    hints.push('JOBINDSIGT_STORE is not set: point it to a store written by `jobindsigt ingest` ' +
      '(e.g. data/demo/store-tiny; CTest makes one in the portal.store fixture)');
  } else if (!existsSync(paths.store)) {
    hints.push(`the store ${paths.store} does not exist (JOBINDSIGT_STORE)`);
  }
  if (!existsSync(join(paths.webDist, 'index.html'))) {
    hints.push(`the portal is not built: ${join(paths.webDist, 'index.html')} is missing. ` +
      'Build it with `cd web && npm ci && npm run build` (scripts/test does it), or set JOBINDSIGT_WEB_DIST');
  }
  if (!existsSync(paths.chromium)) {
    hints.push(`Chromium is missing at ${paths.chromium}: install the Debian package \`chromium\` ` +
      '(scripts/install-deps --test) or set JOBINDSIGT_CHROMIUM');
  }
  if (hints.length) throw new Error(`portal tests cannot run:\n  - ${hints.join('\n  - ')}`);
}

async function loadPlaywright() {
  try {
    return await import('playwright-core');
  } catch (error) {
    throw new Error('playwright-core is not installed: run `npm ci` in tests/portal ' +
      `(scripts/install-deps --test does it) — ${error.message}`);
  }
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

async function startServerOnce(port) {
  const args = ['serve', '--store', paths.store, '--port', String(port), '--bind', '127.0.0.1',
    '--static', paths.webDist];
  const child = spawn(paths.bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const record = { child, port, output: '', exited: null };
  child.stdout.on('data', (chunk) => { record.output += chunk; });
  child.stderr.on('data', (chunk) => { record.output += chunk; });
  child.on('exit', (code, signal) => { record.exited = { code, signal }; });
  child.on('error', (error) => { record.exited = { error }; });

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (record.exited) return { record, ready: false };
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return { record, ready: true };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  return { record, ready: false };
}

async function startServer() {
  let last = null;
  for (let attempt = 0; attempt < 3; ++attempt) {
    const port = await freePort();
    const { record, ready } = await startServerOnce(port);
    if (ready) {
      server = record;
      baseUrl = `http://127.0.0.1:${port}`;
      return;
    }
    last = record;
    await stopServer(record);
    // Another process may have taken the port between the probe and the bind: try another.
  }
  throw new Error(`jobindsigt serve did not become ready (${paths.bin} serve --store ${paths.store} ` +
    `--static ${paths.webDist}); its output:\n${last?.output || '(none)'}`);
}

async function stopServer(record = server) {
  if (!record) return;
  const { child } = record;
  if (!record.exited) {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!stopped) {
      child.kill('SIGKILL');
      await exited;
    }
  }
  if (record === server) server = null;
}

async function startBrowser() {
  const { chromium } = await loadPlaywright();
  browser = await chromium.launch({
    executablePath: paths.chromium,
    headless: true,
    // We run as root in containers: no sandbox. /dev/shm can be small there.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

// A stray exit (Ctrl-C, a crash of the runner) must not leave the server behind.
function killServerOnExit() {
  if (server && !server.exited) server.child.kill('SIGKILL');
}
process.once('exit', killServerOnExit);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killServerOnExit();
    process.exit(130);
  });
}

// Starts the server and the browser once; every helper awaits it, so a test file's own
// before hooks may use api() whatever order node:test runs the hooks in.
let starting = null;
export function start() {
  starting ??= (async () => {
    checkInputs();
    mkdirSync(paths.screenshots, { recursive: true });
    await startServer();
    await startBrowser();
  })();
  return starting;
}

before(start);

afterEach(async () => {
  const thrown = [];
  for (const page of openPages) {
    const found = problems.get(page);
    if (found?.pageErrors.length) thrown.push(`${page.url()}:\n    ${found.pageErrors.join('\n    ')}`);
    await page.context().close().catch(() => {});
  }
  openPages.clear();
  if (thrown.length) assert.fail(`uncaught errors in the page:\n  ${thrown.join('\n  ')}`);
});

after(async () => {
  try {
    if (browser) await browser.close();
  } finally {
    browser = null;
    await stopServer();
  }
});

// ---------------------------------------------------------------------------------------
// Helpers for tests

// The server's address, e.g. http://127.0.0.1:41234 (after start()).
export function serverUrl(path = '') {
  return `${baseUrl}${path}`;
}

// The API's answer as JSON: api('/api/v1/releases/latest').
export async function api(path) {
  await start();
  const response = await fetch(serverUrl(path));
  const body = await response.text();
  assert.equal(response.status, 200, `GET ${path} answered ${response.status}: ${body.slice(0, 500)}`);
  return JSON.parse(body);
}

// A fresh browser context (viewport 1366×900, locale da-DK) and page at `path`, after the
// network went quiet. Options: lang ('da' | 'en', stored as the portal keeps it, before the
// page loads), waitUntil (Playwright's, default 'networkidle'), viewport.
export async function openPage(path = '/', options = {}) {
  await start();
  assert.ok(browser, 'the browser is not running (the harness before hook failed)');
  const context = await browser.newContext({
    viewport: options.viewport ?? VIEWPORT,
    locale: LOCALE,
    acceptDownloads: true,
  });
  context.setDefaultTimeout(options.timeout ?? DEFAULT_TIMEOUT_MS);
  if (options.lang) {
    await context.addInitScript((lang) => {
      try {
        if (!sessionStorage.getItem('jobindsigt.test.langSet')) {
          localStorage.setItem('jobindsigt.lang', lang);
          sessionStorage.setItem('jobindsigt.test.langSet', '1');
        }
      } catch {
        // storage blocked
      }
    }, options.lang);
  }
  const page = await context.newPage();
  const found = { consoleErrors: [], pageErrors: [], failedRequests: [] };
  problems.set(page, found);
  openPages.add(page);
  page.on('console', (message) => {
    if (message.type() === 'error') {
      const where = message.location();
      found.consoleErrors.push(`${message.text()}${where?.url ? ` (${where.url}:${where.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (error) => found.pageErrors.push(error.stack || String(error)));
  page.on('requestfailed', (request) => {
    const error = request.failure()?.errorText ?? 'failed';
    // The Databank cancels a data query that a newer choice has overtaken (nothing blocks while
    // a query runs): on a busy machine a quick sequence of choices does that, and it is no error.
    if (error === 'net::ERR_ABORTED' && new URL(request.url()).pathname === '/api/v1/data') return;
    found.failedRequests.push(`${request.method()} ${request.url()}: ${error}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) {
      found.failedRequests.push(`${response.request().method()} ${response.url()}: HTTP ${response.status()}`);
    }
  });
  await page.goto(serverUrl(path), { waitUntil: options.waitUntil ?? 'networkidle' });
  await page.locator('#main').waitFor({ state: 'attached' });
  return page;
}

// What went wrong in the page so far: { consoleErrors, pageErrors, failedRequests } (strings).
export function pageProblems(page) {
  return problems.get(page) ?? { consoleErrors: [], pageErrors: [], failedRequests: [] };
}

// Fails on console errors and failed requests, except those matching one of `allow` (RegExps),
// e.g. the 404 the page asked for on purpose.
export function assertNoConsoleErrors(page, { allow = [] } = {}) {
  const found = pageProblems(page);
  const keep = (line) => !allow.some((pattern) => pattern.test(line));
  const errors = [...found.pageErrors, ...found.consoleErrors.filter(keep), ...found.failedRequests.filter(keep)];
  assert.deepEqual(errors, [], `errors in the page ${page.url()}:\n  ${errors.join('\n  ')}`);
}

// Saves a full-page screenshot as <JOBINDSIGT_SCREENSHOTS>/<name>.png and returns its path.
export async function screenshot(page, name) {
  const file = join(paths.screenshots, name.endsWith('.png') ? name : `${name}.png`);
  mkdirSync(dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}

const require = createRequire(import.meta.url);
let axeSource = null;
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Runs axe-core (WCAG 2.1 A and AA) on the page as it is now; fails on violations with impact
// serious or critical, listing rule, impact, targets and help. The whole result goes to
// <JOBINDSIGT_SCREENSHOTS>/axe-<name>.json. Returns all violations (also moderate and minor).
export async function checkA11y(page, name, { exclude = [] } = {}) {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ content: axeSource });
  }
  const results = await page.evaluate(
    async ({ tags, excluded }) => {
      const context = excluded.length ? { include: [document], exclude: excluded.map((s) => [s]) } : document;
      const run = await window.axe.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return { url: run.url, violations: run.violations, incomplete: run.incomplete.length };
    },
    { tags: AXE_TAGS, excluded: exclude },
  );
  writeFileSync(join(paths.screenshots, `axe-${name}.json`), JSON.stringify(results, null, 2));
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length) assert.fail(`axe-core (WCAG 2.1 A/AA) on ${name} (${page.url()}):\n${formatViolations(serious)}`);
  return results.violations;
}

export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map((node) => `      ${node.target.join(' ')}${node.failureSummary ? `\n        ${node.failureSummary.replace(/\n\s*/g, '; ')}` : ''}`)
        .join('\n');
      const more = v.nodes.length > 8 ? `\n      … and ${v.nodes.length - 8} more` : '';
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}${more}`;
    })
    .join('\n');
}

// The text of an element (default the page's <main>) with white space collapsed.
export async function textOf(page, selector = '#main') {
  const text = await page.locator(selector).first().textContent();
  return normalise(text ?? '');
}

export function normalise(text) {
  return text.replace(/\s+/g, ' ').trim();
}

// Waits until the element's text (default <main>) contains `expected` (a string, white space
// collapsed, or a RegExp); fails with the text it saw.
export async function waitForText(page, expected, { selector = '#main', timeout = DEFAULT_TIMEOUT_MS } = {}) {
  const deadline = Date.now() + timeout;
  let seen = '';
  for (;;) {
    seen = await textOf(page, selector).catch(() => '');
    const hit = expected instanceof RegExp ? expected.test(seen) : seen.includes(normalise(expected));
    if (hit) return seen;
    if (Date.now() > deadline) break;
    await sleep(100);
  }
  assert.fail(`${selector} on ${page.url()} never showed ${expected instanceof RegExp ? expected : JSON.stringify(expected)}; ` +
    `it shows: ${JSON.stringify(seen.slice(0, 1500))}`);
}

// What has keyboard focus: { tag, id, text, name (aria-label or text), href }.
export async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', id: '', text: '', name: '', href: '' };
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      text,
      name: el.getAttribute('aria-label') ?? text,
      href: el.getAttribute('href') ?? '',
    };
  });
}

// Presses Tab until the focused element satisfies `match` (a function of focused()'s answer);
// fails after `limit` presses, listing what it passed.
export async function tabTo(page, match, { limit = 40, shift = false } = {}) {
  const visited = [];
  for (let i = 0; i < limit; ++i) {
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    visited.push(`${now.tag}${now.id ? `#${now.id}` : ''} "${now.name.slice(0, 40)}"`);
    if (match(now)) return now;
  }
  assert.fail(`${limit} presses of Tab did not reach the element; focus went through:\n  ${visited.join('\n  ')}`);
}

// Switches the portal's language with its header button (by keyboard focus and Enter when
// `keyboard` is set) and waits until <html lang> follows.
export async function switchLanguage(page, lang, { keyboard = false } = {}) {
  const label = lang === 'en' ? 'Switch to English' : 'Skift til dansk';
  const button = page.getByRole('button', { name: label });
  if (keyboard) {
    await button.focus();
    await page.keyboard.press('Enter');
  } else {
    await button.click();
  }
  await page.waitForFunction((want) => document.documentElement.lang === want, lang);
}

// The measure names from the API by id: { id → { da, en } }.
export async function measureNames() {
  const answer = await api('/api/v1/measures');
  const list = Array.isArray(answer) ? answer : answer.measures ?? [];
  return Object.fromEntries(list.map((m) => [m.id, m.name]));
}
