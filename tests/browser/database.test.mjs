// chapters/04-database/bookstore in headless Chromium, where the page is the product: a book
// added through the form shows on /recommended/, its Edit link opens the form filled in, saving
// changes it, and markup typed into any field is shown as text on every page and never runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser, openPage, startSample } from './harness.mjs';

const dataDir = mkdtempSync(path.join(tmpdir(), 'tornado-browser-bookstore-'));
let bookstore;
let browser;
before(async () => {
  bookstore = await startSample('04-database', 'bookstore', [`--db=sqlite://${dataDir}/bookstore.db`]);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await bookstore?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const HOSTILE = "<script>alert('typed')</script><img src=x onerror=\"alert('img')\">";

// Fills the form on page with fields and saves it; resolves once the browser is on /recommended/.
async function save(page, fields) {
  for (const [name, value] of Object.entries(fields)) await page.fill(`[name="${name}"]`, value);
  await Promise.all([page.waitForURL('**/recommended/'), page.click('input[type="submit"]')]);
}

test('bookstore: a book added through the form is listed, then edited through its Edit link', async () => {
  const { page, failures, consoleErrors, dialogs } = await openPage(browser, `${bookstore.url}/add`);
  await save(page, {
    isbn: '978-1-4493-0907-7', title: 'Introduction to Tornado', subtitle: '', author: 'Michael Dory',
    image: '/static/images/head_first_python.svg', date_released: 'March 2012',
    description: 'Tornado, the web server behind FriendFeed.',
  });
  assert.equal(await page.evaluate(() => document.documentElement.dataset.books), '4');  // recommended.js ran
  const added = page.locator('.book').filter({ hasText: 'Introduction to Tornado' });
  assert.equal(await added.locator('.book_body').innerText(), 'Tornado, the web server behind FriendFeed.');

  await Promise.all([page.waitForURL('**/edit/978-1-4493-0907-7'), added.getByRole('link', { name: 'Edit' }).click()]);
  assert.equal(await page.inputValue('[name="title"]'), 'Introduction to Tornado');
  assert.equal(await page.inputValue('[name="description"]'), 'Tornado, the web server behind FriendFeed.');
  await save(page, { title: 'Introduction to Tornado (2nd printing)' });
  const titles = await page.locator('.book_title').allInnerTexts();
  assert.deepEqual(titles.slice(-1), ['Introduction to Tornado (2nd printing)']);
  assert.equal(titles.length, 4);
  assert.deepEqual(failures, []);
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(dialogs, []);
});

test('bookstore: a <script> typed into the form is shown as text and never runs', async () => {
  const { page, dialogs } = await openPage(browser, `${bookstore.url}/add`);
  await save(page, {
    isbn: '978-0-0000-0000-1', title: `Title ${HOSTILE}`, subtitle: `Sub ${HOSTILE}`, author: HOSTILE,
    image: '/static/images/x.svg', date_released: HOSTILE, description: `"></textarea>${HOSTILE}`,
  });
  const book = page.locator('.book').filter({ hasText: 'Title <script>' });
  assert.equal(await book.locator('.book_title').innerText(), `Title ${HOSTILE}`);
  assert.equal(await book.locator('.book_body').innerText(), `"></textarea>${HOSTILE}`);
  assert.equal(await book.locator('script').count(), 0);
  assert.equal(await page.locator('img[src="x"]').count(), 0);

  for (const url of ['/books/978-0-0000-0000-1', '/edit/978-0-0000-0000-1']) {
    await page.goto(`${bookstore.url}${url}`);
    assert.equal(await page.locator('#content script, #content img[src="x"]').count(), 0, url);
  }
  assert.equal(await page.inputValue('[name="author"]'), HOSTILE);  // the form gives back what was typed
  assert.equal(await page.inputValue('[name="description"]'), `"></textarea>${HOSTILE}`);
  assert.deepEqual(dialogs, []);  // no alert ever opened
});
