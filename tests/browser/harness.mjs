// Browser tests: a built chapter sample on a free port, driven by Debian's headless Chromium
// through playwright-core. Every step has a time limit; tests close what they start in after().
//
//   const hello = await startSample('01-hello', 'hello');
//   const browser = await launchBrowser();
//   const { page, failures, dialogs } = await openPage(browser, `${hello.url}/?greeting=Hi`);
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const CHROMIUM = '/usr/bin/chromium';

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// Without Chromium or playwright-core (scripts/setup browser installs both) every browser test
// stops at this one line; CTest reports the test as skipped when it sees it
// (SKIP_REGULAR_EXPRESSION in tests/CMakeLists.txt), a run by hand fails with it.
async function importPlaywright() {
  const missing = isExecutable(CHROMIUM) ? [] : [CHROMIUM];
  let playwright;
  try {
    playwright = await import('playwright-core');
  } catch (error) {
    if (error.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    missing.push('playwright-core');
  }
  if (missing.length > 0) {
    console.log(`browser tests need ${missing.join(' and ')}: run scripts/setup browser`);
    process.exit(1);
  }
  return playwright.chromium;
}
const chromium = await importPlaywright();

export const TIMEOUT = 10_000;  // ms, for a server to start or stop and for a page to load

// CTest sets TORNADO_SAMPLES_DIR; `node --test tests/browser` run by hand uses the dev build.
const samplesDir = process.env.TORNADO_SAMPLES_DIR ??
  fileURLToPath(new URL('../../build/dev/chapters', import.meta.url));

async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

// Samples still running when node exits (a test that threw before its after() ran).
const running = new Set();
process.on('exit', () => { for (const child of running) child.kill('SIGKILL'); });

// Starts <samples>/<chapter>/<app>/<app> --port=<free port> ...args and waits until it accepts
// connections. stop() sends SIGTERM and resolves to the exit code (SIGKILL after TIMEOUT).
export async function startSample(chapter, app, args = []) {
  const program = `${samplesDir}/${chapter}/${app}/${app}`;
  if (!isExecutable(program)) {
    throw new Error(`${program} is not built (TORNADO_SAMPLES_DIR=${samplesDir})`);
  }
  const port = await freePort();
  const child = spawn(program, [`--port=${port}`, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (text) => { log += text; });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal));
    child.once('error', (error) => { log += String(error); resolve(-1); });
  });
  running.add(child);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT);
    const status = await exited;
    clearTimeout(timer);
    running.delete(child);
    return status;
  };

  const deadline = Date.now() + TIMEOUT;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`${program} exited before accepting connections:\n${log}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${program} did not accept connections on port ${port} within ${TIMEOUT} ms:\n${log}`);
    }
    await sleep(50);
  }
  return { url: `http://127.0.0.1:${port}`, port, stop, log: () => log };
}

// The flags Chromium needs on a machine with a closed network. Playwright itself adds a fresh
// temporary --user-data-dir (it refuses one in args) and deletes it on close().
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    timeout: 3 * TIMEOUT,
  });
}

// Opens url in a new browser context and waits for its load event. Collects, from before the
// first request on:
//   failures       every response with status >= 400 ({url, status}) and every request that
//                  failed ({url, error}), the page itself included (a 404 stylesheet shows as
//                  both: Chromium then aborts it)
//   consoleErrors  console.error messages and uncaught page exceptions
//   dialogs        the text of every alert/confirm/prompt (each one dismissed): a script
//                  injected into the page ran exactly when this is not empty
// response is the main document's response.
export async function openPage(browser, url, { waitUntil = 'load' } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const failures = [];
  const consoleErrors = [];
  const dialogs = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failures.push({ url: response.url(), status: response.status() });
  });
  page.on('requestfailed', (request) => {
    failures.push({ url: request.url(), error: request.failure()?.errorText });
  });
  page.on('console', (message) => {
    // Chromium's own /favicon.ico request (404 on the samples) is not the page's doing.
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) {
      consoleErrors.push(message.text());
    }
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss().catch(() => {});
  });
  const response = await page.goto(url, { waitUntil, timeout: TIMEOUT });
  return { page, response, failures, consoleErrors, dialogs };
}
