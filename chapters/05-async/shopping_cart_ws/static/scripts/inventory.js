// The book's inventory.js for the WebSocket store, in plain JavaScript: the buttons post to /cart,
// and a WebSocket at /cart/status brings every new stock count (the first as soon as it opens).
// When the connection drops, the page connects again after a pause: 1 s after a connection that
// worked, longer after each attempt that failed (up to 30 s).
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

function watchInventory(delay) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const socket = new WebSocket(`${scheme}://${location.host}/cart/status`);
  let opened = false;
  socket.onopen = () => { opened = true; };
  socket.onmessage = (event) => { count.textContent = JSON.parse(event.data).inventoryCount; };
  socket.onclose = () => {
    const next = opened ? 1000 : Math.min(Math.max(2 * delay, 1000), 30_000);
    setTimeout(() => watchInventory(next), next);
  };
}

document.getElementById('add-button').addEventListener('click', (event) => changeCart('add', event.target));
document.getElementById('remove-button').addEventListener('click', (event) => changeCart('remove', event.target));
watchInventory(0);
