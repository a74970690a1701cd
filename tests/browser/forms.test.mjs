// chapters/02-forms in headless Chromium: a reader fills in and submits the poemmaker and
// alpha_munger forms; the result pages show their words, escaped, with the stylesheet loaded.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, startSample } from './harness.mjs';

let poemmaker;
let munger;
let browser;
before(async () => {
  poemmaker = await startSample('02-forms', 'poemmaker');
  munger = await startSample('02-forms', 'alpha_munger');
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await poemmaker?.stop();
  await munger?.stop();
});

test('poemmaker: the submitted form becomes the poem', async () => {
  const { page, failures, dialogs } = await openPage(browser, `${poemmaker.url}/`);
  await page.fill('input[name=noun1]', 'roads');
  await page.fill('input[name=noun2]', 'wood');
  await page.fill('input[name=verb]', 'made');
  await page.fill('input[name=noun3]', '<script>alert("x")</script>');
  await Promise.all([page.waitForURL(`${poemmaker.url}/poem`), page.click('input[type=submit]')]);
  assert.equal(await page.locator('h1').innerText(), 'Your poem');
  const poem = await page.locator('p').innerText();
  assert.match(poem, /^Two roads diverged in a wood, and I—/);
  assert.match(poem, /And that has made all the <script>alert\("x"\)<\/script>\.$/);  // shown as text
  assert.deepEqual(dialogs, []);  // and never run
  assert.deepEqual(failures, []);
});

test('alpha_munger: the form munges the text and the page is styled', async () => {
  const { page, failures } = await openPage(browser, `${munger.url}/`);
  assert.equal(await page.locator('body').evaluate((body) => getComputedStyle(body).width), '600px');
  await page.fill('textarea[name=source]', 'apple banana');
  await page.fill('textarea[name=change]', 'avocado zebra');
  await Promise.all([page.waitForURL(`${munger.url}/poem`), page.click('input[type=submit]')]);
  assert.equal(await page.locator('.replaced').innerText(), 'apple');
  assert.equal(await page.locator('.replaced').getAttribute('title'), 'avocado');
  assert.equal(await page.locator('.unchanged').innerText(), 'zebra');
  assert.equal(await page.locator('.unchanged').evaluate((span) => getComputedStyle(span).color), 'rgb(136, 136, 136)');
  assert.deepEqual(failures, []);
});
