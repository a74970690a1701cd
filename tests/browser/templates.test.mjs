// chapters/03-templates in headless Chromium: every stylesheet, script and image of the
// bookstore loads, the Book module's script runs, the discussion's injected script does not,
// and basic_modules' embedded script fills in its element.
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
    const background = await page.locator('body').evaluate((body) => getComputedStyle(body).backgroundColor);
    assert.equal(background, 'rgb(246, 241, 231)');  // style.css applied
  });
}

test('bookstore /recommended/: the Book module brings its stylesheet and script', async () => {
  const { page } = await openPage(browser, `${bookstore.url}/recommended/`);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.books), '3');
  assert.equal(await page.locator('.book_image').first().evaluate((img) => getComputedStyle(img).width), '120px');
  assert.ok(await page.locator('.book_image').first().evaluate((img) => img.naturalWidth > 0));
  await page.locator('.book_image').first().click();
  assert.equal(await page.locator('.book_details.expanded').count(), 1);
});

test('bookstore /discussion/: the injected script is shown, not run', async () => {
  const { page, dialogs } = await openPage(browser, `${bookstore.url}/discussion/`);
  assert.deepEqual(dialogs, []);
  const text = await page.locator('.comments').innerText();
  assert.match(text, /<script>alert\('Your bookstore has been pwned!'\)<\/script> Nice site\./);
});

test('basic_modules: the module script counts the greetings', async () => {
  const { page, failures, consoleErrors } = await openPage(browser, `${modules.url}/`);
  assert.equal(await page.locator('#greeted').innerText(), '3 greetings');
  assert.deepEqual(failures, []);
  assert.deepEqual(consoleErrors, []);
});
