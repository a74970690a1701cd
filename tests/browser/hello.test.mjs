// chapters/01-hello/hello in headless Chromium: the greeting page, a 404, and the script
// detector (hello writes the greeting unescaped, as Tornado's write() does).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openPage, startSample } from './harness.mjs';

let hello;
let browser;
before(async () => {
  hello = await startSample('01-hello', 'hello');
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  if (hello) assert.equal(await hello.stop(), 0);  // a clean exit on SIGTERM
});

test('the page greets with ?greeting=Hi and loads without failures', async () => {
  const { page, response, failures, consoleErrors } = await openPage(browser, `${hello.url}/?greeting=Hi`);
  assert.equal(response.status(), 200);
  assert.equal(await page.locator('body').innerText(), 'Hi, friendly user!');
  assert.deepEqual(failures, []);
  assert.deepEqual(consoleErrors, []);
});

test('the dialog detector catches a <script> injected through ?greeting', async () => {
  const greeting = encodeURIComponent('<script>alert(1)</script>');
  const { page, dialogs } = await openPage(browser, `${hello.url}/?greeting=${greeting}`);
  assert.deepEqual(dialogs, ['1']);
  assert.equal(await page.locator('body').innerText(), ', friendly user!');
});

test('a missing page is recorded as a failure with status 404', async () => {
  const url = `${hello.url}/nowhere`;
  const { response, failures } = await openPage(browser, url);
  assert.equal(response.status(), 404);
  assert.deepEqual(failures, [{ url, status: 404 }]);
});
