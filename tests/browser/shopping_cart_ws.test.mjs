// chapters/05-async/shopping_cart_ws in headless Chromium: two readers on the product page; an add
// in one page changes the count the other shows, live through its WebSocket, and a remove puts it
// back. When the server goes away, a page tries to connect again after a growing pause.
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

test('an add in one page updates the count in the other through its WebSocket, and a remove puts it back', async () => {
  const cart = await startSample('05-async', 'shopping_cart_ws');
  try {
    const buyer = await openPage(browser, `${cart.url}/`);
    const browsing = await openPage(browser, `${cart.url}/`);
    const sockets = [];
    browsing.page.on('websocket', (socket) => sockets.push(socket.url()));
    assert.equal(await shownCount(buyer.page), '10');
    assert.equal(await shownCount(browsing.page), '10');

    await buyer.page.click('#add-button');
    await waitForCount(browsing.page, '9');  // no reload, no poll: the WebSocket brought it
    await waitForCount(buyer.page, '9');
    assert.equal(await buyer.page.locator('#remove-from-cart').isVisible(), true);
    assert.equal(await browsing.page.locator('#add-to-cart').isVisible(), true);  // its own cart is empty

    await buyer.page.click('#remove-button');
    await waitForCount(browsing.page, '10');
    await waitForCount(buyer.page, '10');
    // No WebSocket opened after the one of the page's load (which may be reported once it is
    // open): that one carried every change.
    assert.ok(sockets.length <= 1, `WebSockets opened: ${sockets}`);

    for (const { failures, consoleErrors, dialogs } of [buyer, browsing]) {
      assert.deepEqual(failures, []);
      assert.deepEqual(consoleErrors, []);
      assert.deepEqual(dialogs, []);
    }
  } finally {
    await cart.stop();
  }
});

test('with the server gone, a page tries to connect again after a growing pause, not in a tight loop', async () => {
  const cart = await startSample('05-async', 'shopping_cart_ws');
  const { page } = await openPage(browser, `${cart.url}/`);
  let attempts = 0;
  page.on('websocket', () => { attempts += 1; });
  await waitForCount(page, '10');
  await cart.stop();  // the open WebSocket closes; the attempts after it are refused
  await page.waitForTimeout(4_500);
  // 1 s after the close, then 1 s and 2 s after each refusal: three in 4.5 s (a loop without
  // pauses would make hundreds).
  assert.ok(attempts >= 2 && attempts <= 4, `${attempts} attempts in 4.5 s`);
});
