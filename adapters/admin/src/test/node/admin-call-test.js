// Opens Tern's admin page in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core),
// runs its call test against a homeserver, saves a screenshot, and prints one JSON line with what the
// page showed. Exit 0 when the page finished (whatever the outcome: the Java test judges it), 2 when it
// did not finish in time or the browser failed.
// The admin token comes from the environment (TERN_ADMIN_TOKEN), typed into the page like an admin would;
// unset or empty, the page is used without one (an admin page on loopback may have none: the launcher's default).
// With TERN_IGNORE_RELAY_POLICY=1 the page's RTCPeerConnection drops iceTransportPolicy (installed before the
// page's scripts), as a browser, extension or policy that ignores "relay" would: the page must report that.
// Usage: TERN_ADMIN_TOKEN=... node admin-call-test.js ADMIN_URL HOMESERVER_URL ACCESS_TOKEN SCREENSHOT [CHROMIUM]
'use strict';
const { chromium } = require('playwright-core');

const [adminUrl, homeserverUrl, accessToken, screenshot, executable] = process.argv.slice(2);
const adminToken = process.env.TERN_ADMIN_TOKEN || '';
const ignoreRelayPolicy = process.env.TERN_IGNORE_RELAY_POLICY === '1';

async function main() {
  const browser = await chromium.launch({
    executablePath: executable || '/usr/bin/chromium',
    headless: true,
    timeout: 60000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const console_ = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => console_.push(m.type() + ': ' + m.text()));
    page.on('pageerror', (e) => console_.push('pageerror: ' + e.message));
    page.on('framenavigated', (f) => console_.push('navigated: ' + f.url()));
    page.on('requestfailed', (r) => console_.push('request failed: ' + r.url() + ' ' + (r.failure() || {}).errorText));
    if (ignoreRelayPolicy) {
      await page.addInitScript(() => {
        const Original = window.RTCPeerConnection;
        window.RTCPeerConnection = class extends Original {
          constructor(config, ...rest) {
            super({ ...(config || {}), iceTransportPolicy: 'all' }, ...rest);
          }
        };
      });
    }
    await page.goto(adminUrl + 'admin?base_url=' + encodeURIComponent(homeserverUrl), { timeout: 20000 });
    let refusedWithoutToken = null;
    if (adminToken) {
      await page.waitForFunction(() => document.getElementById('api-error').textContent !== '', null,
        { timeout: 20000 });
      refusedWithoutToken = await page.textContent('#api-error');
      await page.fill('#admin-token', adminToken);
      await page.press('#admin-token', 'Enter');
    }
    // Status and allocations arrive after load and move the form down: click once the layout has settled.
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 20000 });
    await page.fill('#access-token', accessToken);
    await page.fill('#message-count', '5');
    await page.click('#run-call-test');
    let finished = true;
    try {
      await page.waitForSelector('#call-result[data-state="done"]', { timeout: 45000 });
    } catch (e) {
      finished = false;
    }
    // A successful call stays up: wait (bounded) until the page lists its allocations. A failed one is hung up at
    // once, so none will be listed: no wait then (it was the whole 10 s).
    if (finished && await page.getAttribute('#call-result', 'data-outcome') === 'success') {
      await page.waitForFunction(() => document.querySelectorAll('#allocations tbody tr td:nth-child(3)').length >= 2,
        null, { timeout: 10000 }).catch(() => {});
    }
    await page.screenshot({ path: screenshot, fullPage: true });
    const shown = await page.evaluate(() => {
      const result = document.getElementById('call-result');
      const candidates = [...document.querySelectorAll('#candidates tbody tr')]
        .map((tr) => [...tr.cells].map((td) => td.textContent));
      const revealingRows = [...document.querySelectorAll('#candidates tbody tr.reveals')]
        .map((tr) => [...tr.cells].map((td) => td.textContent));
      const log = [...document.querySelectorAll('#call-log li')].map((li) => li.textContent);
      const allocations = [...document.querySelectorAll('#allocations tbody tr')]
        .map((tr) => [...tr.cells].map((td) => td.textContent));
      return { result: { ...result.dataset }, text: result.textContent, candidates, revealingRows, log, allocations,
        apiError: document.getElementById('api-error').textContent };
    });
    console.log(JSON.stringify({ finished, refusedWithoutToken, ...shown, console: console_ }));
    return finished ? 0 : 2;
  } finally {
    await browser.close();
  }
}

main().then((code) => process.exit(code), (e) => {
  console.log(JSON.stringify({ finished: false, error: String(e && e.stack || e) }));
  process.exit(2);
});
