// The page frame every page shares (web/src/app.tsx): the skip link, keyboard-only navigation,
// the English switch and its memory, the not-found page, and no errors in the console.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertNoConsoleErrors, checkA11y, pageProblems, focused, openPage, screenshot, switchLanguage, tabTo, waitForText,
} from './harness.mjs';

const NAV_DA = ['Forside', 'Databank', 'Målinger', 'API'];
const NAV_EN = ['Home', 'Databank', 'Measures', 'API'];

async function navTexts(page) {
  return page.getByRole('navigation').first().getByRole('link').allTextContents();
}

test('the skip link is the first Tab stop and Enter moves focus to <main>', async () => {
  const page = await openPage('/');
  await page.keyboard.press('Tab');
  const first = await focused(page);
  assert.equal(first.tag, 'a', `the first Tab stop is ${JSON.stringify(first)}, not the skip link`);
  assert.equal(first.text, 'Gå til indhold');
  assert.ok(await page.getByRole('link', { name: 'Gå til indhold' }).isVisible(), 'the skip link is visible when focused');
  await page.keyboard.press('Enter');
  const after = await focused(page);
  assert.equal(after.id, 'main', `after Enter the focus is on ${JSON.stringify(after)}, not <main id="main">`);
  // The next Tab goes on inside the content (when it has anything to focus), not back to the header.
  const tabbable = await page.locator('#main').locator('a[href], button:not([disabled]), input, select, textarea, [tabindex="0"]').count();
  if (tabbable > 0) {
    await page.keyboard.press('Tab');
    const inside = await page.evaluate(() => document.getElementById('main').contains(document.activeElement));
    assert.ok(inside, `Tab after the skip link goes into the content, not to ${JSON.stringify(await focused(page))}`);
  }
  assertNoConsoleErrors(page);
});

test('the header navigation reaches the Databank by keyboard alone', async () => {
  const page = await openPage('/');
  assert.deepEqual(await navTexts(page), NAV_DA);
  await tabTo(page, (el) => el.tag === 'a' && el.text === 'Databank' && el.href === '/databank');
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname === '/databank');
  const current = page.getByRole('navigation').first().getByRole('link', { name: 'Databank' });
  assert.equal(await current.getAttribute('aria-current'), 'page', 'the Databank link is marked as the current page');
  assert.ok(await page.getByRole('heading', { level: 1 }).first().isVisible(), 'the Databank page has a heading');
  // Focus lands in the new page's content, so a screen reader user hears it.
  assert.equal((await focused(page)).id, 'main', 'after navigation focus is on <main>');
  assertNoConsoleErrors(page);
});

test('the English switch changes the language, the navigation, and survives a reload', async () => {
  const page = await openPage('/');
  assert.equal(await page.getAttribute('html', 'lang'), 'da');
  assert.equal(await page.getByRole('button', { name: 'Switch to English' }).textContent(), 'English');

  await switchLanguage(page, 'en', { keyboard: true });
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.deepEqual(await navTexts(page), NAV_EN);
  assert.equal(await page.getByRole('link', { name: 'Skip to content' }).count(), 1, 'the skip link is in English');
  assert.equal(await page.getByRole('button', { name: 'Skift til dansk' }).textContent(), 'Dansk');

  await page.reload({ waitUntil: 'networkidle' });
  assert.equal(await page.getAttribute('html', 'lang'), 'en', 'English is kept across a reload');
  assert.deepEqual(await navTexts(page), NAV_EN);

  await switchLanguage(page, 'da');
  assert.equal(await page.getAttribute('html', 'lang'), 'da');
  assert.deepEqual(await navTexts(page), NAV_DA);
  assertNoConsoleErrors(page);
});

test('an unknown address shows the not-found page with a link home', async () => {
  const page = await openPage('/no/such/page');
  await waitForText(page, 'Siden findes ikke');
  assert.ok(await page.getByRole('heading', { level: 1, name: 'Siden findes ikke' }).isVisible());
  const home = page.locator('#main').getByRole('link', { name: 'Forside' });
  assert.equal(await home.getAttribute('href'), '/');
  await screenshot(page, 'not-found');
  await checkA11y(page, 'not-found');
  await home.click();
  await page.waitForURL((url) => url.pathname === '/');
  assert.equal(await page.getByRole('heading', { name: 'Siden findes ikke' }).count(), 0, 'the home page replaced it');
  assertNoConsoleErrors(page);
});

test('every page opens without console errors', async () => {
  for (const path of ['/', '/databank', '/measures', '/measures/sdp_persons']) {
    const page = await openPage(path);
    assert.ok(await page.getByRole('heading', { level: 1 }).first().isVisible(), `${path} has a visible <h1>`);
    assertNoConsoleErrors(page);
    await page.context().close();
  }
});

// The harness itself: axe-core must catch what it is there to catch, and an uncaught error in
// the page must be seen.
test('the harness sees accessibility violations and page errors', async () => {
  const page = await openPage('/no/such/page');
  await page.evaluate(() => {
    const main = document.getElementById('main');
    main.insertAdjacentHTML('beforeend', '<img src="/favicon.svg"><button></button>');
  });
  await assert.rejects(checkA11y(page, 'harness-self-check'), (error) =>
    /\[critical\] image-alt/.test(error.message) && /\[critical\] button-name/.test(error.message));
  await page.evaluate(() => setTimeout(() => { throw new Error('harness self-check'); }, 0));
  await page.waitForTimeout(200);
  assert.match(pageProblems(page).pageErrors.join('\n'), /harness self-check/);
  pageProblems(page).pageErrors.length = 0; // seen on purpose: not a failure of this test
});
