// The measure documentation (issue 6, "Measure documentation"): the index of measures and one
// measure's page with its plain and technical texts, both taken from the API and compared with
// it; an unknown id gives a readable message. Screenshots and axe-core on each.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, assertNoConsoleErrors, checkA11y, normalise, openPage, screenshot, switchLanguage, textOf, waitForText,
} from './harness.mjs';

const ID = 'sdp_persons';
let measure;
let measures;

before(async () => {
  measure = await api(`/api/v1/measures/${ID}`);
  const answer = await api('/api/v1/measures');
  measures = Array.isArray(answer) ? answer : answer.measures;
});

test('the measure index lists the catalogue\'s measures with links to their pages', async () => {
  const page = await openPage('/measures');
  assert.ok(await page.getByRole('heading', { level: 1 }).first().isVisible(), '/measures has an <h1>');
  await waitForText(page, measure.name.da);
  const link = page.locator(`#main a[href="/measures/${ID}"]`);
  assert.ok((await link.count()) > 0, `no link to /measures/${ID} on the index`);
  const text = await textOf(page);
  const missing = measures.filter((m) => !text.includes(m.name.da)).map((m) => m.id);
  assert.ok(missing.length < measures.length * 0.1,
    `the index leaves out ${missing.length} of ${measures.length} measures, e.g. ${missing.slice(0, 5).join(', ')}`);
  await screenshot(page, 'measures');
  await checkA11y(page, 'measures');
  await link.first().click();
  await page.waitForURL((url) => url.pathname === `/measures/${ID}`);
  await waitForText(page, measure.doc.da);
  assertNoConsoleErrors(page);
});

test(`/measures/${ID} shows the plain and the technical documentation`, async () => {
  const page = await openPage(`/measures/${ID}`);
  const heading = page.getByRole('heading', { level: 1 }).first();
  await heading.waitFor();
  await waitForText(page, measure.name.da, { selector: 'h1' });
  await waitForText(page, measure.doc.da);
  // The technical level may be folded away (<details>); its text must still be in the page.
  const text = await textOf(page);
  assert.ok(text.includes(normalise(measure.technical.da)), `the technical text of ${ID} is not on the page`);
  // The latest release that changed it.
  const lastRelease = measure.releases?.[0]?.release ?? measure.latest_update?.release;
  if (lastRelease) assert.ok(text.includes(lastRelease), `the release ${lastRelease} that changed ${ID} is not listed`);
  await screenshot(page, `measure-${ID}`);
  await checkA11y(page, `measure-${ID}`);
  assertNoConsoleErrors(page);
});

test(`/measures/${ID} in English`, async () => {
  const page = await openPage(`/measures/${ID}`);
  await waitForText(page, measure.doc.da);
  await switchLanguage(page, 'en');
  await waitForText(page, measure.name.en, { selector: 'h1' });
  await waitForText(page, measure.doc.en);
  const text = await textOf(page);
  assert.ok(text.includes(normalise(measure.technical.en)), `the English technical text of ${ID} is not on the page`);
  await screenshot(page, `measure-${ID}-en`);
  await checkA11y(page, `measure-${ID}-en`);
  assertNoConsoleErrors(page);
});

test('an unknown measure id gives a readable message', async () => {
  const page = await openPage('/measures/no_such_measure');
  const text = await waitForText(page, /findes ikke|ukendt|ikke fundet|ingen måling|no measure|not found/i);
  assert.ok(await page.getByRole('heading').first().isVisible(), 'the message page has a heading');
  for (const raw of ['{"', 'undefined', 'NaN', '[object Object]', 'unknown_measure']) {
    assert.ok(!text.includes(raw), `the message shows raw text ${JSON.stringify(raw)}: ${text.slice(0, 400)}`);
  }
  await screenshot(page, 'measure-unknown');
  await checkA11y(page, 'measure-unknown');
  // The page asked the API for the measure and got the 404 on purpose.
  assertNoConsoleErrors(page, { allow: [/404/, /no_such_measure/] });
});
