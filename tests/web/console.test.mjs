// console.test.mjs — the web console's Dashboard, Markets, Strategies, PnL Calendar, Users and
// Audit pages in Debian's headless Chromium against a real boursed: a journey per role, each
// page checked by axe-core (no serious or critical violation) and at a phone's 360 px.
//
// Run by `meson test --suite web` (tests/web/meson.build) with BOURSED set to the built
// daemon; playwright-core and @axe-core/playwright come from tests/web/node_modules, which
// `build-aux/dev test` installs with `npm ci`.
//
// Copyright 2026 The Bourse Authors
// SPDX-License-Identifier: GPL-3.0-or-later

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BOURSED, PASSWORD, UI_TIMEOUT_MS, loadBrowserPackages, describeBrowserSuite, launchChromium, restJson, restLogin, waitUntil, makeRoot, cleanUp,
  stepper, serveWithOwner,
} from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { playwright, AxeBuilder, problem } = loadBrowserPackages(here);

describeBrowserSuite('web console pages', 240_000, problem, consoleSuite);

function consoleSuite() {
  let root, dataDir, boursed, url, context, page;
  let adminToken, traderToken;
  const log = [];
  const pageErrors = [];
  // Each step needs the ones before it: after a failure, the rest skip.
  const step = stepper(log);

  const rest = (method, path, body, token = adminToken) => restJson(url, method, path, body, token);
  const text = (selector) => page.locator(selector).first().textContent({ timeout: UI_TIMEOUT_MS });
  const waitVisible = (selector) => page.locator(selector).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const count = (selector) => page.locator(selector).count();

  // Opens a page of the console by its address, and waits until it has read its lists.
  async function open(id, ready) {
    await page.evaluate((hash) => { location.hash = hash; }, `#/${id}`);
    await waitVisible(`section.page-${id}`);
    if (ready) await waitVisible(ready);
  }

  // axe-core on the page as it stands: no serious or critical violation.
  async function accessible(what) {
    const result = await new AxeBuilder({ page }).include('#page').analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [],
                     `${what} has serious or critical accessibility violations`);
  }

  // At a phone's width the page does not scroll sideways (tables scroll in their own region).
  async function fitsAPhone(what) {
    await page.setViewportSize({ width: 360, height: 740 });
    try {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `${what} is ${width} px wide at 360 px`);
    } finally {
      await page.setViewportSize({ width: 1024, height: 700 });
    }
  }

  async function signIn(login) {
    await waitVisible('#sign-in');
    await page.fill('#login', login);
    await page.fill('#password', PASSWORD);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/auth/login')),
      page.click('#sign-in button[type="submit"]'),
    ]);
    assert.equal(response.status(), 200, `${login} could not sign in`);
    await waitVisible('#views a');
  }

  async function signOut() {
    await page.click('#sign-out');
    await waitVisible('#sign-in');
  }

  let browserDir;
  before(async () => {
    ({ root, dataDir, browserDir } = await makeRoot('bourse-console-'));
  });

  after(() => cleanUp({ context, boursed, root }));

  step('boursed runs with an administrator, a trader, a viewer and a closed trade', async () => {
    ({ child: boursed, url } = await serveWithOwner(root, dataDir, log));
    adminToken = await restLogin(url, 'owner');
    for (const [username, role] of [['dealer', 'trader'], ['watcher', 'viewer']]) {
      const made = await rest('POST', 'api/v1/users', { username, email: `${username}@example.org`, password: PASSWORD, role });
      assert.equal(made.status, 201, JSON.stringify(made.body));
    }
    traderToken = await restLogin(url, 'dealer');
    // A round trip: its entry and exit are marked on the chart, its day on the calendar.
    for (const side of ['BUY', 'SELL']) {
      const made = await rest('POST', 'api/v1/orders', { symbol: 'BTCUSDT', side, type: 'MARKET', quantity: '0.001' },
                              traderToken);
      assert.equal(made.status, 201, JSON.stringify(made.body));
    }
    const strategy = await rest('POST', 'api/v1/strategies',
      { name: 'Watched <b>trend</b>', strategy: 'ar', symbol: 'ETHUSDT', interval: '1h' }, traderToken);
    assert.equal(strategy.status, 201, JSON.stringify(strategy.body));

    context = await launchChromium(playwright, browserDir, { width: 1024, height: 700 });
    page = context.pages()[0] ?? await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(url, { waitUntil: 'load' });
  });

  step('a viewer sees the dashboard, markets, strategies and calendar, and can act on none', async () => {
    await signIn('watcher');
    const links = await page.locator('#views a').evaluateAll((as) => as.map((a) => a.id));
    for (const id of ['dashboard', 'markets', 'strategies', 'calendar'])
      assert.ok(links.includes(`view-${id}`), `the viewer has no ${id} link (${links})`);
    for (const id of ['users', 'audit'])
      assert.ok(!links.includes(`view-${id}`), `the viewer has a ${id} link`);

    await open('dashboard', '[data-figure="equity"]');
    await waitUntil('the equity to show', () => text('[data-figure="equity"]'), (t) => /\d/.test(t));
    await waitUntil('the system’s engine to show Running', () => text('[data-system="engine"]'), (t) => t === 'Running');
    await waitVisible('#dash-feeds tr[data-state]');
    await accessible('the dashboard');
    await fitsAPhone('the dashboard');

    await open('markets', '#markets-instruments button[data-symbol="BTCUSDT"]');
    await waitUntil('candles on the chart', () => page.locator('#markets-chart').getAttribute('data-candles'),
                    (n) => Number(n) > 0);
    await accessible('the markets page');
    await fitsAPhone('the markets page');

    await open('strategies', '#strategies-list tr[data-strategy-id]');
    // Server text is text: the name's markup shows as typed.
    assert.equal(await text('#strategies-list tr[data-strategy-id] td'), 'Watched <b>trend</b>');
    assert.equal(await count('#strategies-list b'), 0);
    assert.equal(await page.locator('#strategies-new').isHidden(), true, 'the viewer sees New Strategy');
    assert.equal(await count('#strategies-list button'), 0, 'the viewer sees Edit or Delete');
    await accessible('the strategies page');
    await fitsAPhone('the strategies page');

    await open('calendar', '.page-calendar[data-loaded]');
    await accessible('the calendar');
    await fitsAPhone('the calendar');

    // The address of a page the viewer may not see opens the first one instead.
    await page.evaluate(() => { location.hash = '#/users'; });
    await waitVisible('section.page-dashboard');
    assert.equal(await count('section.page-users'), 0);
  });

  step('a trader edits strategies, with the server’s 422 at the parameter it names', async () => {
    await signOut();
    await signIn('dealer');
    await open('strategies', '#strategies-new');
    await page.click('#strategies-new');
    await waitVisible('#strategy-form');
    await page.fill('#strategy-name', 'Fast AR');
    await page.selectOption('#strategy-type', 'ar');
    await page.selectOption('#strategy-symbol', 'BTCUSDT');
    await page.selectOption('#strategy-interval', '1h');
    // The form is the type's own description: lags is an integer of 1 to 20.
    await waitVisible('#strategy-param-lags');
    await page.fill('#strategy-param-lags', '99');
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/strategies')),
      page.click('#strategy-save'),
    ]);
    assert.equal(refused.status(), 422);
    const named = (await refused.json()).errors.find((e) => e.field === 'params.lags');
    assert.ok(named, 'the server named no params.lags');
    await waitUntil('the refusal at lags', () => text('[data-field="params.lags"] .field-error'), (t) => t === named.message);
    assert.equal(await page.locator('#strategy-param-lags').getAttribute('aria-invalid'), 'true');
    await accessible('the strategy form with a refusal');

    await page.fill('#strategy-param-lags', '5');
    assert.equal(await text('[data-field="params.lags"] .field-error'), '', 'the refusal stays after typing');
    const [made] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/strategies')),
      page.click('#strategy-save'),
    ]);
    assert.equal(made.status(), 201);
    const id = (await made.json()).id;
    await waitVisible(`#strategies-list tr[data-strategy-id="${id}"]`);
    const stored = await rest('GET', `api/v1/strategies/${id}`, undefined, traderToken);
    assert.equal(stored.body.params.lags, 5);
    assert.equal(stored.body.symbol, 'BTCUSDT');

    // Edit: another policy; then delete it after the confirmation.
    await page.click(`#strategies-list tr[data-strategy-id="${id}"] button[aria-label="Edit Fast AR"]`);
    await waitVisible('#strategy-form');
    assert.equal(await page.inputValue('#strategy-param-lags'), '5');
    await page.selectOption('#strategy-policy', 'notify-only');
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith(`/api/v1/strategies/${id}`)),
      page.click('#strategy-save'),
    ]);
    await waitUntil('the list to show the new policy',
                    () => text(`#strategies-list tr[data-strategy-id="${id}"] td:nth-child(5)`), (t) => t === 'Notify only');
    await page.click(`#strategies-list tr[data-strategy-id="${id}"] button[aria-label="Delete Fast AR"]`);
    await waitVisible('dialog[open]');
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().endsWith(`/api/v1/strategies/${id}`)),
      page.click('dialog[open] button.destructive'),
    ]);
    await page.locator(`#strategies-list tr[data-strategy-id="${id}"]`).waitFor({ state: 'detached' });
    assert.equal((await rest('GET', `api/v1/strategies/${id}`, undefined, traderToken)).status, 404);
  });

  step('a trader’s chart marks the trade, follows the topic, and reads older candles when zoomed out', async () => {
    await open('markets', '#markets-instruments button[data-symbol="BTCUSDT"]');
    await page.click('#markets-instruments button[data-symbol="BTCUSDT"]');
    await waitUntil('the trade’s entry and exit marked', () => page.locator('#markets-chart').getAttribute('data-marks'),
                    (n) => Number(n) >= 2);
    // The search narrows the list.
    await page.fill('#markets-search', 'eth');
    await waitUntil('only ETHUSDT listed', () => page.locator('#markets-instruments button').evaluateAll((b) => b.map((x) => x.dataset.symbol)),
                    (list) => list.length === 1 && list[0] === 'ETHUSDT');
    await page.fill('#markets-search', '');

    // An instrument an administrator adds through the API joins the list, and leaves it when deleted.
    assert.equal((await rest('POST', 'api/v1/instruments', { symbol: 'ADAUSDT', base_asset: 'ADA', quote_asset: 'USDT',
                                                             tick_size: '0.0001', lot_step: '0.1' })).status, 201);
    await page.locator('#markets-instruments button[data-symbol="ADAUSDT"]').waitFor();
    assert.equal((await rest('DELETE', 'api/v1/instruments/ADAUSDT')).status, 204);
    await page.locator('#markets-instruments button[data-symbol="ADAUSDT"]').waitFor({ state: 'detached' });

    // One-minute candles: three days of them are more than one read brings.
    await page.selectOption('#markets-interval', '1m');
    const first = Number(await waitUntil('the 1m candles', () => page.locator('#markets-chart').getAttribute('data-candles'),
                                         (n) => Number(n) > 0));
    // The topic's latest candle comes at once on subscribing, then each change of the forming one.
    await waitUntil('a candle from candles:BTCUSDT:1m', () => page.locator('#markets-chart').getAttribute('data-live'),
                    (t) => Number(t) > 0);
    const box = await page.locator('#markets-chart').boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await waitUntil('older candles read as the chart zooms out', async () => {
      await page.mouse.wheel(0, 400);
      return page.locator('#markets-chart').getAttribute('data-candles');
    }, (n) => Number(n) > first);
  });

  step('the calendar shows the day of the closed trade', async () => {
    await open('calendar', '.page-calendar[data-loaded]');
    const trades = await rest('GET', 'api/v1/trades?status=closed', undefined, traderToken);
    assert.ok(trades.body.items.length >= 1);
    // The year the trade closed in, in the browser's zone (a run across New Year's midnight).
    const year = await page.evaluate((t) => new Date(t).getFullYear(), trades.body.items[0].closed_at);
    if (Number(await text('#calendar-year')) !== year) {
      await page.click('#calendar-previous');
      await waitUntil('the trade’s year shown', () => page.locator('.page-calendar').getAttribute('data-loaded'),
                      (y) => Number(y) === year);
    }
    await waitVisible('.page-calendar td[data-sign]');
    assert.match(await text('#calendar-summary'), /^1 day with closed trades/);
    await accessible('the calendar with a trading day');
  });

  step('an administrator approves a sign-up that arrives live, re-roles and disables it, and finds it in Audit', async () => {
    await signOut();
    await signIn('owner');
    await open('users', '#users-list tr[data-user-id]');
    const signup = await rest('POST', 'api/v1/auth/register',
      { username: 'newcomer', email: 'newcomer@example.org', password: PASSWORD }, null);
    assert.equal(signup.status, 201, JSON.stringify(signup.body));
    const row = `#users-list tr[data-user-id="${signup.body.id}"]`;
    await waitUntil('the sign-up to arrive pending', () => page.locator(row).getAttribute('data-status').catch(() => null),
                    (s) => s === 'pending');
    await accessible('the users page');
    await fitsAPhone('the users page');

    await page.click(`${row} button[aria-label="Approve newcomer"]`);
    await waitUntil('the account active', () => page.locator(row).getAttribute('data-status'), (s) => s === 'active');
    await page.selectOption(`${row} select[data-action="role"]`, 'trader');
    await waitUntil('the role changed', () => text(`${row} .role`), (t) => t === 'Trader');
    await page.click(`${row} button[aria-label="Disable newcomer"]`);
    await waitUntil('the account disabled', () => page.locator(row).getAttribute('data-status'), (s) => s === 'disabled');
    const users = await rest('GET', 'api/v1/users');
    const stored = users.body.items.find((u) => u.id === signup.body.id);
    assert.equal(stored.status, 'disabled');
    assert.equal(stored.role, 'trader');

    await open('audit', '#audit-list tr[data-audit-id]');
    await page.fill('#audit-target', `user:${signup.body.id}`);
    await page.click('#audit-filter button[type="submit"]');
    await waitUntil('the approval in the trail',
                    () => page.locator('#audit-list tr[data-audit-id] .action').allTextContents(),
                    (actions) => actions.some((a) => a.startsWith('user.approve')));
    // More than a page of one target's entries: Older reads on by next_cursor to the end.
    const watcher = users.body.items.find((u) => u.username === 'watcher');
    for (let i = 0; i < 55; i++)
      for (const role of ['trader', 'viewer']) {
        const changed = await rest('PATCH', `api/v1/users/${watcher.id}`, { role });
        assert.equal(changed.status, 200, JSON.stringify(changed.body));
      }
    await page.fill('#audit-target', `user:${watcher.id}`);
    await page.click('#audit-filter button[type="submit"]');
    await waitUntil('a full page of the watcher’s entries', () => count('#audit-list tr[data-audit-id]'), (n) => n === 100);
    await waitVisible('#audit-older');
    const [older] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/audit?') && r.url().includes('cursor=')),
      page.click('#audit-older'),
    ]);
    assert.equal(older.status(), 200);
    await waitUntil('the rest of them', () => count('#audit-list tr[data-audit-id]'), (n) => n > 110);
    await page.locator('#audit-older').waitFor({ state: 'hidden' });
    const ids = await page.locator('#audit-list tr[data-audit-id]').evaluateAll((rows) => rows.map((r) => Number(r.dataset.auditId)));
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'the trail is not newest first');
    assert.equal(new Set(ids).size, ids.length, 'an entry shows twice');

    // A bad filter is refused at the field it names.
    await page.fill('#audit-since', '2026-02-01');
    await page.fill('#audit-until', '2026-01-01');
    await page.click('#audit-filter button[type="submit"]');
    await waitUntil('the refusal at since', () => text('[data-field="since"] .field-error'), (t) => t.length > 0);
    await page.click('#audit-verify');
    await waitUntil('the trail verified', () => page.locator('#audit-verdict').getAttribute('data-ok'), (ok) => ok === 'true');
    await accessible('the audit page');
    await fitsAPhone('the audit page');

    await open('dashboard', '#dash-health tr[data-component]');
    await accessible('the administrator’s dashboard');
    // Refusals the steps asked for are logged by Chromium as failed loads; a page's
    // unsubscribing while signing out closes the socket is Chromium's notice, not the page's.
    const unexpected = pageErrors.filter((e) => !/status of 4\d\d/.test(e) && !/WebSocket is already in CLOSING or CLOSED state/.test(e));
    assert.deepEqual(unexpected, [], 'the page logged errors');
  });
}
