// The Databank (issue 6, "Must show"): an analyst in Ballerup builds "persons on sickness
// benefit with durations 26–39 weeks, Ballerup vs its region and the whole country, last 12
// months", pivots it, switches to a chart and a map, exports XLSX (the file's numbers equal
// the table's) and reopens the share link; keyboard-only use; a broken link; the cell limit.
// Expected numbers come from the API's GET parameters — a different parser and query path
// than the JSON the portal posts — never from constants.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  api, assertNoConsoleErrors, checkA11y, focused, openPage, screenshot, switchLanguage, tabTo, waitForText,
} from './harness.mjs';

const work = mkdtempSync(join(tmpdir(), 'jobindsigt-databank-'));
after(() => rmSync(work, { recursive: true, force: true }));

// The cells the API gives for the scenario, keyed period|area|band as the portal keys them:
// municipalities by code, other areas by their name (the portal sends them as named groups).
let expected;
before(async () => {
  expected = new Map();
  for (const area of ['municipality:151', 'region:84', 'country']) {
    const js = await api(`/api/v1/data?measure=sdp_persons&period=latest:12&area=${area}&breakdown=duration:26-39`);
    assert.deepEqual(js.id, ['statistic', 'period', 'area', 'duration']);
    const periods = Object.keys(js.dimension.period.category.index);
    const [areaId] = Object.keys(js.dimension.area.category.index);
    const areaKey = /^\d+$/.test(areaId) && area.startsWith('municipality') ? areaId : js.dimension.area.category.label[areaId];
    periods.forEach((period, i) => expected.set(`${period}|${areaKey}|26-39`, js.value[i]));
  }
  assert.equal(expected.size, 36);
});

function parseDanish(text) {
  const clean = text.replace(/\*/g, '').replace(/\./g, '').replace(',', '.').trim();
  return clean === '' ? null : Number(clean);
}

// The table's cells as key (statistic|period|area|duration without the statistic) → number.
async function tableCells(page) {
  const cells = await page.locator('table.pivot td[data-key]').evaluateAll((tds) =>
    tds.map((td) => [td.getAttribute('data-key'), td.textContent ?? '']));
  return new Map(cells.map(([key, text]) => [key.split('|').slice(1).join('|'), parseDanish(text)]));
}

async function waitForTable(page) {
  await page.locator('table.pivot td[data-key]').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.results.busy'));
}

async function buildScenario(page) {
  await page.getByLabel('Ydelsesområde').selectOption({ label: 'Sygedagpenge mv.' });
  await page.getByRole('checkbox', { name: 'Sygedagpenge: personer', exact: true }).check();
  await page.getByRole('checkbox', { name: /^Varighed/ }).check();
  const bands = page.getByLabel('Varighedsgrupper (uger)');
  await bands.fill('26-39');
  await bands.press('Tab');
  const search = page.getByLabel('Tilføj område');
  for (const name of ['Ballerup', 'Region Hovedstaden']) {
    await search.fill(name);
    await page.getByRole('button', { name: new RegExp(`^${name}`) }).first().click();
  }
  await waitForTable(page);
  // the scenario's three areas, nothing else
  await page.waitForFunction(() => document.querySelectorAll('.chips .chip').length === 3);
}

test('an analyst in Ballerup builds, pivots, charts, maps, exports and shares a table', async () => {
  const page = await openPage('/databank');
  await buildScenario(page);
  assert.match(page.url(), /m=sdp_persons/);
  assert.match(page.url(), /b=duration:26-39/);
  assert.match(page.url(), /p=latest:12M/);

  // The numbers are the API's.
  const cells = await tableCells(page);
  assert.equal(cells.size, expected.size, `the table has ${cells.size} cells: ${[...cells.keys()].join(', ')}`);
  for (const [key, value] of expected) assert.equal(cells.get(key), value, `cell ${key}`);
  await screenshot(page, 'databank-table');
  await checkA11y(page, 'databank-table');

  // Pivot: the areas go to the columns.
  const headerBefore = await page.locator('table.pivot thead').textContent();
  await page.getByRole('button', { name: 'Byt rækker og kolonner' }).click();
  await page.waitForFunction((before) => document.querySelector('table.pivot thead')?.textContent !== before, headerBefore);
  const header = await page.locator('table.pivot thead').textContent();
  assert.ok(header.includes('Ballerup') && header.includes('Region Hovedstaden'), `after the pivot the header is: ${header}`);
  assert.match(page.url(), /cols=area/);
  const pivoted = await tableCells(page);
  for (const [key, value] of expected) assert.equal(pivoted.get(key), value, `pivoted cell ${key}`);
  await screenshot(page, 'databank-pivoted');

  // Chart and map.
  await page.getByRole('tab', { name: 'Diagram' }).click();
  await page.locator('#view-panel svg').first().waitFor();
  await screenshot(page, 'databank-chart');
  await checkA11y(page, 'databank-chart');
  await page.getByRole('tab', { name: 'Kort' }).click();
  await page.locator('#view-panel svg path').nth(97).waitFor();
  await waitForText(page, 'Klimadatastyrelsen');
  await screenshot(page, 'databank-map');
  await checkA11y(page, 'databank-map');
  await page.getByRole('tab', { name: 'Tabel' }).click();
  await waitForTable(page);

  // XLSX: LibreOffice reads the file; its numbers equal the table's.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: /Excel \(\.xlsx\)/ }).click(),
  ]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  const xlsx = join(work, 'table.xlsx');
  await download.saveAs(xlsx);
  execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${join(work, 'lo')}`, '--convert-to',
    'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', work, xlsx], { stdio: 'pipe', timeout: 180_000 });
  const csv = readFileSync(join(work, readdirSync(work).find((f) => f.endsWith('.csv'))), 'utf8').trim().split('\n');
  const fields = (line) => [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"'));
  const head = fields(csv[0]);
  const column = (name) => {
    const at = head.indexOf(name);
    assert.ok(at >= 0, `the sheet has no column "${name}": ${csv[0]}`);
    return at;
  };
  const [period, area, band, value] = ['Periode (kode)', 'Område (kode)', 'Varighed (uger) (kode)', 'Værdi'].map(column);
  const sheet = new Map(csv.slice(1).map(fields).map((f) => [`${f[period]}|${f[area]}|${f[band]}`, Number(f[value])]));
  const table = await tableCells(page);
  assert.equal(sheet.size, table.size, 'rows in the sheet = cells in the table');
  for (const [key, number] of table) assert.equal(sheet.get(key), number, `sheet cell ${key}`);

  // The share link reopens the same table.
  await page.getByRole('button', { name: 'Kopiér link' }).click();
  const link = await page.getByLabel('Link til tabellen').inputValue();
  assert.equal(link, page.url());
  const again = await openPage(new URL(link).pathname + new URL(link).search);
  await waitForTable(again);
  assert.deepEqual([...(await tableCells(again))], [...table]);
  assert.equal(await again.locator('table.pivot thead').textContent(), await page.locator('table.pivot thead').textContent());
  assertNoConsoleErrors(page);
  assertNoConsoleErrors(again);
});

test('the Databank is usable by keyboard alone', async () => {
  const page = await openPage('/databank');
  await tabTo(page, (f) => f.id === 'subject');
  for (let i = 0; i < 12; ++i) {
    if ((await page.locator('#subject').inputValue()) === 'sickness') break;
    await page.keyboard.press('ArrowDown');
  }
  assert.equal(await page.locator('#subject').inputValue(), 'sickness');
  // Tab to the measure's checkbox (its label names it) and tick it with Space.
  const checkbox = page.getByRole('checkbox', { name: 'Sygedagpenge: personer', exact: true });
  for (let i = 0; i < 40 && !(await checkbox.evaluate((el) => el === document.activeElement)); ++i) await page.keyboard.press('Tab');
  assert.ok(await checkbox.evaluate((el) => el === document.activeElement), 'Tab never reached the measure');
  await page.keyboard.press('Space');
  await waitForTable(page);
  // The view tabs: Tab reaches the selected one, arrows move between them.
  await tabTo(page, (f) => f.id === 'tab-table', { limit: 80 });
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.getElementById('tab-chart')?.getAttribute('aria-selected') === 'true');
  assert.equal((await focused(page)).id, 'tab-chart');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => document.getElementById('tab-table')?.getAttribute('aria-selected') === 'true');
  assert.equal((await focused(page)).id, 'tab-table');
  await screenshot(page, 'databank-keyboard');
});

test('a broken share link says what was wrong and keeps the rest', async () => {
  const page = await openPage('/databank?m=sdp_persons,no_such_measure&b=duration:26-x&p=latest:999&a=municipality:151&colour=red');
  await waitForTable(page);
  const warning = await waitForText(page, 'Linket kunne ikke læses helt');
  for (const bad of ['no_such_measure', '26-x', 'latest:999', 'colour']) assert.ok(warning.includes(bad), `the warning does not name ${bad}`);
  // kept: the measure, the breakdown (with default bands) and the area
  const cells = await tableCells(page);
  assert.ok(cells.size > 0);
  assert.ok([...cells.keys()].every((key) => key.split('|')[1] === '151'), 'only Ballerup');
  // the address now holds what is shown, so sharing it again shares a working link
  await page.waitForFunction(() => !location.search.includes('no_such_measure'));
  for (const bad of ['no_such_measure', '26-x', 'latest:999', 'colour']) assert.ok(!page.url().includes(bad), `${bad} is still in ${page.url()}`);
  await screenshot(page, 'databank-broken-link');
  assertNoConsoleErrors(page);
});

test('a long table scrolls in its box, every row reachable, numbers as the API gives them', async () => {
  // 98 municipalities down, 3 months across: more rows than the portal renders at once.
  const js = await api('/api/v1/data?measure=sdp_persons&period=latest:3&area=municipality');
  assert.deepEqual(js.id, ['statistic', 'period', 'area']);
  const periods = Object.keys(js.dimension.period.category.index);
  const areas = Object.keys(js.dimension.area.category.index);
  assert.ok(areas.length > 40, `${areas.length} areas`);
  const want = new Map();
  periods.forEach((period, p) => areas.forEach((area, a) => want.set(`${period}|${area}`, js.value[p * areas.length + a])));

  const page = await openPage('/databank?m=sdp_persons&a=municipality&p=latest:3M');
  await waitForTable(page);
  const table = page.locator('table.pivot');
  assert.equal(await table.getAttribute('aria-rowcount'), String(1 + areas.length), 'the table tells assistive technology its full size');
  const rendered = () => page.locator('table.pivot tbody tr[data-row]').count();
  assert.ok((await rendered()) < areas.length, `only the rows in view are rendered (${await rendered()} of ${areas.length})`);
  const widths = () => page.locator('table.pivot thead tr:last-child th').evaluateAll((ths) => ths.map((th) => Math.round(th.getBoundingClientRect().width)));
  const widthsAtTop = await widths();
  await screenshot(page, 'databank-long-table');
  await checkA11y(page, 'databank-long-table');

  // Scroll the box from top to bottom, reading the rows in view at each step.
  const seen = new Map();
  const box = page.locator('.table-scroll');
  for (let step = 0; step < 60; step++) {
    for (const [key, value] of await tableCells(page)) seen.set(key, value);
    const atEnd = await box.evaluate((e) => e.scrollTop + e.clientHeight >= e.scrollHeight - 1);
    if (atEnd) break;
    await box.evaluate((e) => { e.scrollTop += e.clientHeight / 2; });
    await page.waitForTimeout(50);
  }
  for (const [key, value] of await tableCells(page)) seen.set(key, value);
  assert.equal(seen.size, want.size, 'every cell was shown on the way down');
  for (const [key, value] of want) assert.equal(seen.get(key), value, `cell ${key}`);
  assert.deepEqual(await widths(), widthsAtTop, 'the columns keep their widths while rows scroll in');

  // By keyboard: the box takes focus and Home goes back to the first row.
  await box.focus();
  await page.keyboard.press('Home');
  await page.waitForFunction(() => document.querySelector('table.pivot tbody tr[data-row="0"]'));

  // Printed, every row is there; after printing, the window again.
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.waitForFunction((n) => document.querySelectorAll('table.pivot tbody tr[data-row]').length === n, areas.length);
  assert.deepEqual(await tableCells(page), want, 'the printed table has every cell');
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  await page.waitForFunction((n) => document.querySelectorAll('table.pivot tbody tr[data-row]').length < n, areas.length);
  assertNoConsoleErrors(page);
});

test('a choice over the cell limit is explained before it is sent', async () => {
  const config = await api('/api/v1/config');
  const page = await openPage('/databank?m=sdp_persons&a=municipality&b=age:16-19,20-24,25-29,30-34,35-39,40-44,45-49,50-54,55-59,60-64,65-&b=sex&b=origin&b=education&p=latest:260M');
  const sent = [];
  page.on('request', (request) => request.url().includes('/api/v1/data') && sent.push(request.url()));
  const text = await waitForText(page, 'grænsen er');
  assert.ok(text.includes(config.max_cells.toLocaleString('da-DK')), 'the message names the limit');
  await page.waitForTimeout(500);
  assert.deepEqual(sent, [], 'nothing was sent');
});

test('an error from the API is shown next to the choice that caused it', async () => {
  const page = await openPage('/databank?m=sdp_persons&b=duration:0-10,5-20&a=municipality:151');
  const message = page.locator('fieldset', { hasText: 'Opdeling' }).getByRole('alert');
  await message.waitFor();
  assert.match(await message.textContent(), /overlap|breakdowns/i);
});

test('the Databank in English', async () => {
  const page = await openPage('/databank?m=sdp_persons&a=municipality:151&p=latest:3M');
  await waitForTable(page);
  await switchLanguage(page, 'en');
  await waitForText(page, 'Download the table');
  await waitForTable(page);
  const text = await page.locator('#main').textContent();
  assert.ok(text.includes('Sickness benefit: persons'), 'the measure is named in English');
  await screenshot(page, 'databank-en');
  await checkA11y(page, 'databank-en');
});
