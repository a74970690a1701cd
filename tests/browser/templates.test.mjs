// chapters/03-templates in headless Chromium: every stylesheet, script and image of the
// bookstore loads, the Book module's script runs, neither of Melvin's injected scripts on the
// discussion page runs, and every extra of basic_modules' Sample module reaches the page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, startSample } from './harness.mjs';

let bookstore;
let modules;
let browser;
before(async () => {
  bookstore = await startSample('03-templates', 'bookstore');
  modules = await startSample('03-templates', 'basic_modules');
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await bookstore?.stop();
  await modules?.stop();
});

for (const path of ['/', '/recommended/', '/discussion/']) {
  test(`bookstore ${path} loads every resource and runs the site script`, async () => {
    const { page, failures, consoleErrors, dialogs } = await openPage(browser, `${bookstore.url}${path}`);
    assert.deepEqual(failures, []);
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(dialogs, []);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.site), 'ready');
    const font = await page.locator('body').evaluate((body) => getComputedStyle(body).fontFamily);
    assert.equal(font, 'Georgia');  // style.css applied
    const facebook = page.locator('footer a[ref="website"]');
    assert.equal(await facebook.getAttribute('href'), 'https://facebook.com/burtsbooks');
  });
}

test('bookstore /recommended/: the Book module brings its stylesheet and script', async () => {
  const { page } = await openPage(browser, `${bookstore.url}/recommended/`);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.books), '3');
  const book = page.locator('.book').first();
  assert.equal(await book.evaluate((div) => getComputedStyle(div).backgroundColor), 'rgb(245, 245, 245)');
  assert.equal(await page.locator('.book_image').first().evaluate((img) => getComputedStyle(img).float), 'left');
  assert.ok(await page.locator('.book_image').last().evaluate((img) => img.naturalWidth > 0));
  assert.deepEqual(await page.locator('h1, h2').allInnerTexts(), ["Burt's Books", 'Recommended Reading']);
});

test("bookstore /discussion/: Melvin's two scripts are shown, not run", async () => {
  const { page, failures, dialogs } = await openPage(browser, `${bookstore.url}/discussion/`);
  assert.deepEqual(dialogs, []);  // the inline alert never ran
  assert.deepEqual(failures, []);  // offline, a request for evil_sploit.js would fail and show here
  assert.equal(await page.locator('#discussion script').count(), 0);  // nothing could load it
  const melvin = page.locator('.comment').filter({ hasText: 'Melvin says:' }).locator('.comment_text');
  assert.equal(await melvin.innerText(),
    'Totally hacked ur site lulz <script src="http://melvins-web-sploits.com/evil_sploit.js"></script>' +
    "<script>alert('RUNNING EVIL H4CKS AND SPL0ITS NOW...');</script>");
});

test('basic_modules: every extra of the Sample module reaches the page', async () => {
  const { page, failures, consoleErrors } = await openPage(browser, `${modules.url}/`);
  assert.deepEqual(failures, []);
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(await page.locator('.sample_title').allInnerTexts(), ['Item 1:', 'Item 2:', 'Item 3:']);
  // sample.js and the embedded script each document.write a paragraph, in that order.
  const written = await page.locator('body > p').allInnerTexts();
  assert.deepEqual(written, ['javascript_files()', 'embedded_javascript()']);
  const addition = page.locator('.addition');
  assert.equal(await addition.innerText(), 'html_body()');
  assert.equal(await addition.evaluate((div) => getComputedStyle(div).color), 'rgb(161, 202, 241)');
  const sheets = await page.evaluate(() => [...document.styleSheets].map((sheet) => sheet.href ?? 'inline'));
  assert.equal(sheets.length, 2);
  assert.match(sheets[0], /\/static\/css\/sample\.css\?v=/);
});
