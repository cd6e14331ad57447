// Opens Tern's admin page in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core), types the
// admin token (TERN_ADMIN_TOKEN), waits until both charts draw at least TERN_MIN_POINTS points for each of
// TERN_RELAYS relays (comma-separated ids), saves a screenshot and prints one JSON line: the last
// /admin/api/history body the page received, the points each chart drew (relay, at, value, x, y), the polylines
// and the fleet table's rows. Exit 0 when the page got there, 2 when not in time or the browser failed.
// Usage: TERN_ADMIN_TOKEN=... TERN_RELAYS=a,b TERN_MIN_POINTS=2 node admin-charts.js ADMIN_URL SCREENSHOT [CHROMIUM]
'use strict';
const { chromium } = require('playwright-core');

const [adminUrl, screenshot, executable] = process.argv.slice(2);
const adminToken = process.env.TERN_ADMIN_TOKEN || '';
const relays = (process.env.TERN_RELAYS || '').split(',').filter((r) => r);
const minPoints = Number(process.env.TERN_MIN_POINTS || '1');

async function main() {
  const browser = await chromium.launch({
    executablePath: executable || '/usr/bin/chromium',
    headless: true,
    timeout: 60000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const log = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    page.on('console', (m) => log.push(m.type() + ': ' + m.text()));
    page.on('pageerror', (e) => log.push('pageerror: ' + e.message));
    page.on('request', (r) => { if (!r.url().startsWith(adminUrl)) log.push('foreign request: ' + r.url()); });
    let histories = 0;
    let lastHistory = null;
    page.on('response', async (r) => {
      if (r.url().endsWith('/admin/api/history') && r.status() === 200) {
        histories++;
        lastHistory = await r.json();
      }
    });
    await page.goto(adminUrl + 'admin', { timeout: 20000 });
    if (adminToken) {
      await page.waitForFunction(() => document.getElementById('api-error').textContent !== '', null,
        { timeout: 20000 });
      await page.fill('#admin-token', adminToken);
      await page.press('#admin-token', 'Enter');
    }
    // The page refreshes every 5 s; the Refresh button asks at once, so the test waits only for the samples.
    const refresher = setInterval(() => page.click('#refresh').catch(() => {}), 1000);
    await page.waitForFunction(([ids, min]) => ['chart-allocations', 'chart-bitrate'].every((chart) => ids.every(
      (id) => document.querySelectorAll('#' + chart + ' circle[data-relay="' + id + '"]').length >= min)),
      [relays, minPoints], { timeout: 40000, polling: 200 });
    clearInterval(refresher);
    // Read what is drawn together with the history it was drawn from: again if a refresh came in between.
    let shown;
    for (;;) {
      const before = histories;
      await page.waitForTimeout(300); // the body of the last response is parsed
      shown = await page.evaluate(() => {
        const chart = (id) => [...document.querySelectorAll('#' + id + ' circle')].map((c) => ({
          relay: c.getAttribute('data-relay'), at: c.getAttribute('data-at'),
          value: Number(c.getAttribute('data-value')), x: Number(c.getAttribute('cx')), y: Number(c.getAttribute('cy')),
        }));
        const lines = (id) => [...document.querySelectorAll('#' + id + ' polyline')].map((l) => ({
          relay: l.getAttribute('data-relay'), points: l.getAttribute('points').split(' ').length,
        }));
        return {
          allocations: chart('chart-allocations'), bitrate: chart('chart-bitrate'),
          allocationLines: lines('chart-allocations'), bitrateLines: lines('chart-bitrate'),
          fleet: [...document.querySelectorAll('#fleet tbody tr')].map((tr) =>
            [...tr.querySelectorAll('td')].map((td) => td.textContent)),
          apiError: document.getElementById('api-error').textContent,
        };
      });
      if (histories === before) break;
    }
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(JSON.stringify({ finished: true, history: lastHistory, shown, log }));
  } catch (e) {
    console.log(JSON.stringify({ finished: false, error: String(e), log }));
    process.exitCode = 2;
  } finally {
    await browser.close();
  }
}

main();
