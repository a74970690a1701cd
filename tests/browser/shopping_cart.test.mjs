// chapters/05-async/shopping_cart in headless Chromium: two readers on the product page; an add
// in one page changes the count the other shows, live through long polling, and a remove puts it
// back. When the server goes away the pages' polling backs off instead of spinning.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TIMEOUT, launchBrowser, openPage, startSample } from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

const shownCount = (page) => page.locator('#count').innerText();
const waitForCount = (page, count) =>
  page.waitForFunction((n) => document.getElementById('count').textContent === n, count, { timeout: TIMEOUT });

test('an add in one page updates the count in the other, and a remove puts it back', async () => {
  const cart = await startSample('05-async', 'shopping_cart');
  try {
    const buyer = await openPage(browser, `${cart.url}/`);
    const browsing = await openPage(browser, `${cart.url}/`);
    assert.equal(await shownCount(buyer.page), '10');
    assert.equal(await shownCount(browsing.page), '10');
    assert.equal(await browsing.page.locator('#remove-from-cart').isVisible(), false);

    await buyer.page.click('#add-button');
    await waitForCount(browsing.page, '9');  // no reload: the long poll brought it
    await waitForCount(buyer.page, '9');
    assert.equal(await buyer.page.locator('#remove-from-cart').isVisible(), true);
    assert.equal(await buyer.page.locator('#add-to-cart').isVisible(), false);
    assert.equal(await browsing.page.locator('#add-to-cart').isVisible(), true);  // its own cart is empty

    await buyer.page.click('#remove-button');
    await waitForCount(browsing.page, '10');
    await waitForCount(buyer.page, '10');
    assert.equal(await buyer.page.locator('#add-to-cart').isVisible(), true);

    for (const { failures, consoleErrors, dialogs } of [buyer, browsing]) {
      assert.deepEqual(failures, []);
      assert.deepEqual(consoleErrors, []);
      assert.deepEqual(dialogs, []);
    }
  } finally {
    await cart.stop();
  }
});

test('with the server gone, a page polls again after a growing pause, not in a tight loop', async () => {
  const cart = await startSample('05-async', 'shopping_cart');
  let polls = 0;
  const { page } = await openPage(browser, `${cart.url}/`);
  page.on('request', (request) => {
    if (request.url().includes('/cart/status')) polls += 1;
  });
  await cart.stop();  // the pending poll fails; the next ones are refused
  await page.waitForTimeout(3_500);
  // The pending poll fails at once; the next comes 1 s later, the one after 2 s after that: two
  // in 3.5 s (a loop without pauses would make hundreds).
  assert.ok(polls >= 1 && polls <= 3, `${polls} polls in 3.5 s`);
});
