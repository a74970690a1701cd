// The book's inventory.js in plain JavaScript: the buttons post to /cart, and a long-poll loop
// keeps the stock count live. Each poll names the count the page shows, so a change that came
// between two polls is answered at once instead of being missed. After an answer the next poll
// starts at once; after an error the loop waits, longer each time (up to 30 s).
const session = document.getElementById('session').value;
const count = document.getElementById('count');

function showInCart(inCart) {
  document.getElementById('add-to-cart').style.display = inCart ? 'none' : '';
  document.getElementById('remove-from-cart').style.display = inCart ? '' : 'none';
}

async function changeCart(action, button) {
  button.disabled = true;
  try {
    const response = await fetch('/cart', { method: 'POST', body: new URLSearchParams({ session, action }) });
    await response.text();  // read to its end: a body left unread is aborted, and its connection with it
    if (response.ok) showInCart(action === 'add');
  } finally {
    button.disabled = false;
  }
}

async function requestInventory() {
  let delay = 0;  // ms to wait before the next poll
  for (;;) {
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    try {
      const query = new URLSearchParams({ session, count: count.textContent });
      const response = await fetch(`/cart/status?${query}`);
      if (!response.ok) throw new Error(`/cart/status answered ${response.status}`);
      count.textContent = (await response.json()).inventoryCount;
      delay = 0;
    } catch {
      delay = Math.min(Math.max(2 * delay, 1000), 30_000);
    }
  }
}

document.getElementById('add-button').addEventListener('click', (event) => changeCart('add', event.target));
document.getElementById('remove-button').addEventListener('click', (event) => changeCart('remove', event.target));
requestInventory();
