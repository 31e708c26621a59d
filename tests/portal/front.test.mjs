// The front page (issue 6, "Front page"): the latest release and its cut-off day, what changed
// in it and how many, the calendar with the day the release came out — all compared with the
// API's own answer, nothing hard-coded —, in Danish and English, with screenshots and axe-core.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, assertNoConsoleErrors, checkA11y, measureNames, openPage, screenshot, switchLanguage, textOf, waitForText,
} from './harness.mjs';

let latest;
let names;

before(async () => {
  latest = await api('/api/v1/releases/latest');
  names = await measureNames();
});

// The ways a page may write a day: ISO, or the portal's long form in the page's language.
async function dayForms(page, iso, lang) {
  const long = await page.evaluate(([day, language]) => {
    const date = new Date(`${day}T12:00:00Z`);
    const locale = language === 'da' ? 'da-DK' : 'en-GB';
    return [
      new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric' }).format(date),
      new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(date),
      new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric' }).format(date),
    ];
  }, [iso, lang]);
  return [iso, ...long];
}

async function assertShowsRelease(page, lang) {
  const text = await waitForText(page, latest.id);
  const forms = await dayForms(page, latest.cut_off_day, lang);
  assert.ok(forms.some((form) => text.includes(form)),
    `the cut-off day ${latest.cut_off_day} is not on the page in any of ${JSON.stringify(forms)}; the page shows: ${text.slice(0, 800)}`);
}

function changedMeasures() {
  return latest.notes_by_measure.filter((note) => note.changed).map((note) => note.measure);
}

async function assertListsChanges(page, lang) {
  const changed = changedMeasures();
  assert.ok(changed.length > 0, 'the store\'s latest release changed no measure: the test needs one that did');
  const text = await textOf(page);
  const shown = changed.filter((id) => text.includes(names[id]?.[lang] ?? `\u0000${id}`) || text.includes(id));
  assert.ok(shown.length > 0,
    `none of the ${changed.length} measures the release changed (e.g. ${changed.slice(0, 3).map((id) => `${id} "${names[id]?.[lang]}"`).join(', ')}) ` +
    `is on the front page; it shows: ${text.slice(0, 800)}`);
  // How many measures changed is a number the page states somewhere (e.g. "322 af 341").
  const count = new RegExp(`(^|[^\\d.,])${changed.length}([^\\d.,]|$)`);
  assert.ok(count.test(text), `the front page does not state that ${changed.length} of ${latest.notes_by_measure.length} measures changed; it shows: ${text.slice(0, 800)}`);
  return shown;
}

// The release calendar: a heading, and the day the latest release was actually published.
async function assertShowsCalendar(page, lang) {
  assert.ok(await page.getByRole('heading', { name: /kalender|calendar/i }).first().isVisible(), 'the front page has a release calendar heading');
  const text = await textOf(page);
  const forms = await dayForms(page, latest.created_utc.slice(0, 10), lang);
  assert.ok(forms.some((form) => text.includes(form)),
    `the day release ${latest.id} was published (${latest.created_utc}) is not on the page in any of ${JSON.stringify(forms)}`);
}

test('the front page shows the latest release, its cut-off day and what changed (Danish)', async () => {
  const page = await openPage('/');
  assert.ok(await page.getByRole('heading', { level: 1 }).first().isVisible(), 'the front page has an <h1>');
  await assertShowsRelease(page, 'da');
  await assertListsChanges(page, 'da');
  await assertShowsCalendar(page, 'da');
  await screenshot(page, 'front');
  await checkA11y(page, 'front');
  assertNoConsoleErrors(page);
});

test('the front page in English', async () => {
  const page = await openPage('/');
  await waitForText(page, latest.id);
  await switchLanguage(page, 'en');
  await assertShowsRelease(page, 'en');
  await assertListsChanges(page, 'en');
  await assertShowsCalendar(page, 'en');
  const text = await textOf(page);
  assert.ok(!text.includes('Siden findes ikke'), 'the English front page is not the not-found page');
  await screenshot(page, 'front-en');
  await checkA11y(page, 'front-en');
  assertNoConsoleErrors(page);
});

test('a changed measure on the front page leads to its documentation', async () => {
  const page = await openPage('/');
  await waitForText(page, latest.id);
  const changed = new Set(changedMeasures());
  const links = await page.locator('#main a[href^="/measures/"]').evaluateAll((anchors) =>
    anchors.map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim() })));
  const target = links.find((link) => changed.has(link.href.replace(/^\/measures\//, '').replace(/[?#].*$/, '')));
  assert.ok(target, `no link from the front page to a changed measure's documentation; links: ${JSON.stringify(links.slice(0, 10))}`);
  const link = page.locator(`#main a[href="${target.href}"]`).first();
  // The list may be folded (<details>): open it as a reader would, by its summary.
  if (!(await link.isVisible())) {
    const fold = link.locator('xpath=ancestor::details[1]/summary');
    if (await fold.count()) await fold.click();
  }
  await link.click();
  await page.waitForURL((url) => url.pathname === target.href.replace(/[?#].*$/, ''));
  const id = target.href.replace(/^\/measures\//, '').replace(/[?#].*$/, '');
  await waitForText(page, names[id].da);
  assertNoConsoleErrors(page);
});
