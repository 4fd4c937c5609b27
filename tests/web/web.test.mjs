// web.test.mjs — the web UI in Debian's headless Chromium against a real boursed
//
// Run by `meson test --suite web` (tests/web/meson.build) with BOURSED set to
// the built daemon; playwright-core comes from tests/web/node_modules, which
// `build-aux/dev test` installs with `npm ci`. Every wait has a bound: a wait
// that runs out fails the test instead of hanging it.
//
// Copyright 2026 The Bourse Authors
// SPDX-License-Identifier: GPL-3.0-or-later

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { copyFile, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BOURSED, CHROMIUM, PASSWORD, START_TIMEOUT_MS, EXIT_TIMEOUT_MS, UI_TIMEOUT_MS, loadPackage, within, exited,
  waitUntil, makeRoot, cleanUp, stepper, serveWithOwner,
} from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { module: playwright, problem } = loadPackage('playwright-core', here);
// @axe-core/playwright, beside playwright-core (tests/web/package.json).
const axe = loadPackage('@axe-core/playwright', here);
const AxeBuilder = axe.module ? (axe.module.default || axe.module.AxeBuilder || axe.module) : null;

// Never skip silently: a missing prerequisite is a failure with a hint.
if (problem || !BOURSED) {
  const message = problem || 'BOURSED is not set: run through `meson test --suite web` (or `build-aux/dev test`)';
  console.error(message);
  it('has its prerequisites', () => assert.fail(message));
} else {
  // Bounded by meson's timeout (its multiplier stretches it for the sanitizers), not here.
  describe('web UI', { timeout: 600_000 }, webSuite);
}

function webSuite() {
  let root, dataDir, browserDir, screenshot;
  let boursed, url, context, page;
  const log = [];          // boursed's stdout and stderr, shown when something fails
  const consoleErrors = [];
  // Each step needs the ones before it: after a failure, the rest skip.
  const step = stepper(log);

  // Clicks (a selector, or a function that clicks) and resolves with the answer to the
  // `method` request the click makes to a path ending in `path`.
  async function answerTo(method, path, click) {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === method && r.url().endsWith(path), { timeout: UI_TIMEOUT_MS }),
      typeof click === 'string' ? page.click(click) : click(),
    ]);
    return response;
  }

  const text = (selector) => page.locator(selector).textContent({ timeout: UI_TIMEOUT_MS });
  const waitVisible = (selector) => page.locator(selector).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const waitHidden = (selector) => page.locator(selector).waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });


  async function signIn(password, login = 'owner') {
    // The Dashboard is where a sign-in lands: this suite starts in Trading.
    await page.evaluate(() => { if (!location.hash) location.hash = '#/trading'; });
    await page.fill('#login', login);
    await page.fill('#password', password);
    return answerTo('POST', '/api/v1/auth/login', '#sign-in button[type="submit"]');
  }

  async function restStatus(token) {
    const response = await within(UI_TIMEOUT_MS, 'GET /api/v1/system/status',
      fetch(new URL('api/v1/system/status', url), { headers: { Authorization: `Bearer ${token}` } }));
    await response.arrayBuffer();
    return response.status;
  }

  before(async () => {
    ({ root, dataDir, browserDir } = await makeRoot('bourse-web-'));
    screenshot = join(root, 'web-ui.png');
  });

  // A safety net: the steps close everything when they pass.
  after(() => cleanUp({ context, boursed, root }));

  step('boursed user add makes the administrator', async () => {
    ({ child: boursed, url } = await serveWithOwner(root, dataDir, log));
  });

  step('Chromium opens the sign-in page, with a Content-Security-Policy', async () => {
    context = await playwright.chromium.launchPersistentContext(browserDir, {
      executablePath: CHROMIUM,
      headless: true,
      timeout: START_TIMEOUT_MS,
      viewport: { width: 1024, height: 640 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    context.setDefaultNavigationTimeout(UI_TIMEOUT_MS);
    page = context.pages()[0] ?? await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error')
        consoleErrors.push({ text: message.text(), url: message.location().url });
    });
    page.on('pageerror', (error) => consoleErrors.push({ text: `uncaught: ${error.message}`, url: '' }));

    const response = await page.goto(url, { waitUntil: 'load' });
    assert.equal(response.status(), 200);
    const csp = response.headers()['content-security-policy'];
    assert.ok(csp, 'the page has no Content-Security-Policy header');
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);

    await waitVisible('#sign-in');
    assert.equal(await page.locator('#system-section').isHidden(), true, 'the system section shows before sign-in');
    assert.equal(await page.locator('#sign-out').isHidden(), true, 'Sign Out shows before sign-in');
  });

  // axe-core's serious and critical violations of the page as it shows now, said one per line.
  async function accessibilityProblems(what) {
    assert.ok(AxeBuilder, '@axe-core/playwright is not installed: npm ci --prefix tests/web');
    const result = await new AxeBuilder({ page }).analyze();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${what}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  }

  step('the sign-in and first-run forms have no serious accessibility violations', async () => {
    const problems = await accessibilityProblems('sign-in');
    // The first-run form, as the address boursed serve prints opens it (not sent here).
    await page.goto(new URL('setup#token=not-sent', url).href, { waitUntil: 'load' });
    await waitVisible('#setup');
    assert.equal(await page.evaluate(() => location.pathname + location.hash), '/', 'the token stays in the address');
    assert.equal(await page.locator('#setup-username').evaluate((n) => n === document.activeElement), true);
    problems.push(...await accessibilityProblems('setup'));
    await page.goto(url, { waitUntil: 'load' });
    await waitVisible('#sign-in');
    assert.deepEqual(problems, []);
  });

  step('/api/v1/docs shows the API’s operations from the binary, under a strict CSP', async () => {
    const docs = await context.newPage();
    const errors = [];
    const elsewhere = [];
    docs.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    docs.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
    docs.on('request', (request) => { if (!request.url().startsWith(url) && !/^(data|blob):/.test(request.url())) elsewhere.push(request.url()); });
    try {
      const response = await docs.goto(new URL('api/v1/docs', url).href, { waitUntil: 'load' });
      assert.equal(response.status(), 200);
      const csp = response.headers()['content-security-policy'];
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/, 'scripts from elsewhere, or inline ones, are allowed');
      assert.doesNotMatch(csp, /https?:/, 'another origin is allowed');
      await docs.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
      const answer = await within(UI_TIMEOUT_MS, 'GET /api/v1/openapi.json', fetch(new URL('api/v1/openapi.json', url)));
      assert.equal(answer.status, 200);
      const operations = Object.values((await answer.json()).paths).flatMap((item) => Object.values(item))
        .filter((operation) => operation && operation.operationId);
      assert.ok(operations.length >= 2, 'the document lists no operation');
      // Redoc's menu lists every operation by its summary.
      const menu = docs.locator('[role="menuitem"]');
      await waitUntil('the menu to list the operations', () => menu.count(), (n) => n >= operations.length);
      for (const summary of ['Read this document', 'Read this document as a web page'])
        assert.ok(await docs.getByText(summary, { exact: true }).count() > 0, `“${summary}” is not shown`);
      assert.deepEqual(elsewhere, [], 'the page loaded something from elsewhere');
      assert.deepEqual(errors, [], 'the docs page logged errors');
    } finally {
      await docs.close();
    }
  });

  step('a wrong password shows the server’s error', async () => {
    const response = await signIn('not the password');
    assert.equal(response.status(), 401);
    const detail = (await response.json()).detail;
    assert.ok(detail, 'the server gave no detail');
    await waitUntil('#sign-in-error to show the server’s detail', () => text('#sign-in-error'), (t) => t === detail);
    assert.equal(await page.locator('#sign-in').isVisible(), true);
    assert.equal(await page.locator('#system-section').isHidden(), true);
  });

  step('the right password shows the live system section', async () => {
    const response = await signIn(PASSWORD);
    assert.equal(response.status(), 200);
    await waitHidden('#sign-in');
    await waitVisible('#system-section');
    await waitVisible('#sign-out');
    await waitUntil('#engine-state to be “Running”', () => text('#engine-state'), (t) => t === 'Running');
    // Only the WebSocket can say so: REST answered before the socket opened.
    await waitUntil('#websocket-clients to count this page', () => text('#websocket-clients'), (t) => Number(t) >= 1);
    await waitUntil('#connection to say “Live”', () => text('#connection'), (t) => t === 'Live');
    assert.equal(await page.inputValue('#password'), '', 'the password stays in the form');
    assert.match(await text('#server-url'), /^http:\/\/127\.0\.0\.1:\d+/);
    assert.match(await text('#database'), /^schema \d+$/);
    await page.screenshot({ path: screenshot, fullPage: true });
    assert.ok((await stat(screenshot)).size > 0);
    if (process.env.BOURSE_WEB_SCREENSHOT) await copyFile(screenshot, process.env.BOURSE_WEB_SCREENSHOT);
  });

  let token;

  step('a reload keeps the session', async () => {
    await page.reload({ waitUntil: 'load' });
    await waitVisible('#system-section');
    assert.equal(await page.locator('#sign-in').isHidden(), true, 'the sign-in form is back after a reload');
    await waitUntil('#engine-state to be “Running”', () => text('#engine-state'), (t) => t === 'Running');
    await waitUntil('#connection to say “Live”', () => text('#connection'), (t) => t === 'Live');
    await waitUntil('#websocket-clients to count this page', () => text('#websocket-clients'), (t) => Number(t) >= 1);
    token = await page.evaluate(() => sessionStorage.getItem('bourse.token'));
    assert.ok(token, 'no token in sessionStorage');
    assert.equal(await restStatus(token), 200, 'the token does not work before signing out');
  });

  // The approval desk. Approvals come from a signed webhook: deterministic, no market needed.
  let hook;
  const approvalRequests = [];   // the page's approve/reject POSTs and pending-list GETs

  async function restJson(method, path, body, as = token) {
    const response = await within(UI_TIMEOUT_MS, `${method} /${path}`,
      fetch(new URL(path, url), {
        method,
        headers: Object.assign({ Authorization: `Bearer ${as}` },
                               body === undefined ? {} : { 'Content-Type': 'application/json' }),
        body: body === undefined ? undefined : JSON.stringify(body),
      }));
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  // Posts a signal to the hook as an external sender would, HMAC and all.
  async function signal(payload) {
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', hook.secret).update(`${timestamp}.${body}`).digest('hex');
    const response = await within(UI_TIMEOUT_MS, 'POST the signed webhook signal',
      fetch(new URL(`api/v1/signals/webhook/${hook.id}`, url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Bourse-Timestamp': timestamp,
                   'X-Bourse-Signature': `sha256=${signature}` },
        body,
      }));
    const answer = await response.json();
    assert.equal(response.status, 201, `the webhook answered ${response.status}: ${JSON.stringify(answer)}`);
    assert.ok(Number.isInteger(answer.approval_id), 'the webhook opened no approval');
    return answer.approval_id;
  }

  const item = (id) => `#approvals li[data-approval-id="${id}"]`;
  let first, second;

  step('a pending approval from a signed webhook shows with its levels and reason', async () => {
    // The approval desk is a page of its own.
    await page.click('#view-desk');
    await waitVisible('#approvals-section');
    page.on('request', (request) => {
      if (/\/api\/v1\/approvals(\/\d+\/(approve|reject)|\?status=pending)$/.test(request.url()))
        approvalRequests.push(`${request.method()} ${new URL(request.url()).pathname}${new URL(request.url()).search}`);
    });
    const made = await restJson('POST', 'api/v1/webhooks', { name: 'web test' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    hook = made.body;
    assert.match(hook.secret, /^[0-9a-f]{64}$/);
    const viewer = await restJson('POST', 'api/v1/users',
      { username: 'watcher', email: 'watcher@example.org', password: PASSWORD, role: 'viewer' });
    assert.equal(viewer.status, 201, JSON.stringify(viewer.body));

    // Markup in the reason must arrive as text, never as elements.
    first = await signal({ symbol: 'BTCUSDT', interval: '1h', action: 'buy', price: '65000.00',
                           stop_loss: '64000.00', take_profit: '67000.00',
                           comment: 'Breakout <b>above</b> the range & <img src=x>' });
    const stored = await restJson('GET', `api/v1/approvals/${first}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.body.status, 'pending');
    const rec = stored.body.recommendation;

    // The page learns of it from the topic, or from the list it loaded: either way, no reload.
    await waitVisible(item(first));
    const li = page.locator(item(first));
    assert.equal(await li.getAttribute('data-status'), 'pending');
    assert.equal(await li.locator('.symbol').textContent(), 'BTCUSDT');
    assert.equal(await li.locator('.decision').textContent(), 'BUY');
    assert.equal(await li.locator('.entry').textContent(), rec.entry);
    assert.equal(await li.locator('.stop-loss').textContent(), rec.stop_loss);
    assert.equal(await li.locator('.take-profit').textContent(), rec.take_profit);
    assert.equal(await li.locator('.confidence').textContent(), '0 %');
    assert.equal(await li.locator('.model-reason').textContent(), 'Breakout <b>above</b> the range & <img src=x>');
    assert.equal(await li.locator('.requested-by').textContent(), 'Webhook');
    assert.ok((await li.locator('.expires-at').textContent()).length > 0, 'no expiry shown');
    assert.equal(await li.locator('b, img').count(), 0, 'the server’s text became markup');
    assert.equal(await page.locator('#approvals-empty').isHidden(), true);
    assert.equal(await li.getByRole('button', { name: /^Approve BUY BTCUSDT/ }).count(), 1);
    assert.equal(await li.getByRole('button', { name: /^Reject BUY BTCUSDT/ }).count(), 1);
  });

  step('Reject without a reason is refused in the page', async () => {
    const before = approvalRequests.length;
    await page.locator(item(first)).getByRole('button', { name: /^Reject/ }).click();
    await waitVisible('#decide-dialog');
    assert.equal(await page.inputValue('#decide-reason'), '');
    await page.click('#decide-submit');
    await waitUntil('#decide-error to ask for a reason', () => text('#decide-error'),
                    (t) => t === 'A reason is required to reject.');
    assert.equal(await page.locator('#decide-dialog').isVisible(), true, 'the dialog closed');
    assert.deepEqual(approvalRequests.slice(before), [], 'the page sent the empty rejection');
    assert.equal((await restJson('GET', `api/v1/approvals/${first}`)).body.status, 'pending');
    await page.click('#decide-cancel');
    await waitHidden('#decide-dialog');
    assert.equal(await page.locator(item(first)).getAttribute('data-status'), 'pending');
  });

  step('Approve with a reason approves it on the server', async () => {
    await page.locator(item(first)).getByRole('button', { name: /^Approve/ }).click();
    await waitVisible('#decide-dialog');
    await page.fill('#decide-reason', 'Checked the chart: go');
    const response = await answerTo('POST', `/api/v1/approvals/${first}/approve`, '#decide-submit');
    assert.equal(response.status(), 200);
    await waitHidden('#decide-dialog');
    await waitUntil('the item to show approved', () => page.locator(item(first)).getAttribute('data-status'),
                    (s) => s === 'approved');
    assert.equal(await page.locator(item(first)).locator('.decision-reason').textContent(), 'Checked the chart: go');
    assert.equal(await page.locator(item(first)).getByRole('button').count(), 0, 'a decided item still has buttons');
    const stored = await restJson('GET', `api/v1/approvals/${first}`);
    assert.equal(stored.body.status, 'approved');
    assert.equal(stored.body.reason, 'Checked the chart: go');
    assert.ok(await page.locator('#approvals-empty').isVisible(), 'the empty note is missing');
  });

  step('a new approval arrives live, and a decision made elsewhere shows the server’s error', async () => {
    const before = approvalRequests.length;
    second = await signal({ symbol: 'BTCUSDT', interval: '1h', action: 'sell', price: '65000.00',
                            stop_loss: '66000.00', take_profit: '63000.00' });
    await waitVisible(item(second));
    // Only the topic can have said so: the page fetched no list meanwhile.
    assert.deepEqual(approvalRequests.slice(before), [], 'the page polled instead of following the topic');
    assert.equal(await page.locator(item(second)).locator('.decision').textContent(), 'SELL');
    // Pending first, above the approved one.
    assert.equal(await page.locator('#approvals li').first().getAttribute('data-approval-id'), String(second));

    // Open the dialog, then someone else rejects it first.
    await page.locator(item(second)).getByRole('button', { name: /^Approve/ }).click();
    await waitVisible('#decide-dialog');
    const elsewhere = await restJson('POST', `api/v1/approvals/${second}/reject`, { reason: 'not today' });
    assert.equal(elsewhere.status, 200, JSON.stringify(elsewhere.body));
    const response = await answerTo('POST', `/api/v1/approvals/${second}/approve`, '#decide-submit');
    assert.equal(response.status(), 409);
    const detail = (await response.json()).detail;
    assert.ok(detail, 'the 409 has no detail');
    await waitUntil('#decide-error to show the server’s detail', () => text('#decide-error'), (t) => t === detail);
    await page.click('#decide-cancel');
    await waitHidden('#decide-dialog');
    await waitUntil('the item to show rejected', () => page.locator(item(second)).getAttribute('data-status'),
                    (s) => s === 'rejected');
    assert.equal((await restJson('GET', `api/v1/approvals/${second}`)).body.status, 'rejected');
  });

  step('Sign Out ends the session on the server', async () => {
    const response = await answerTo('POST', '/api/v1/auth/logout', '#sign-out');
    assert.ok(response.ok(), `logout answered ${response.status()}`);
    await waitVisible('#sign-in');
    await waitHidden('#system-section');
    await waitHidden('#approvals-section');
    await waitHidden('#sign-out');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('bourse.token')), null);
    assert.equal(await restStatus(token), 401, 'the old token still works after signing out');
  });

  step('a viewer sees the approvals but cannot decide', async () => {
    // The hook needs no session: its signature is the credential.
    const third = await signal({ symbol: 'BTCUSDT', interval: '1h', action: 'buy', price: '65000.00',
                                 stop_loss: '64000.00', take_profit: '67000.00' });
    const response = await signIn(PASSWORD, 'watcher');
    assert.equal(response.status(), 200);
    await waitVisible('#approvals-section');
    await waitVisible(item(third));
    // The buttons depend on the permissions, which arrive with /api/v1/permissions.
    await waitUntil('the page to know the role', () => page.locator('main').getAttribute('data-role'),
                    (r) => r === 'viewer');
    assert.equal(await page.locator(item(third)).getAttribute('data-status'), 'pending');
    assert.equal(await page.locator('#approvals button').count(), 0, 'a viewer is offered decisions');
  });

  // Trading: a trader's orders, seen live by everyone with the book; the kill switch.
  let adminToken, traderToken, resting, placed;
  const orderRow = (table, id) => `#${table} tr[data-order-id="${id}"]`;
  const ordersRequests = [];   // the page's GETs of the order lists

  // The page shows the API's decimal strings less their trailing zeros.
  const trimmed = (text) => String(text).replace(/^(-?\d+)\.(\d*?)0*$/, (_, i, f) => (f ? `${i}.${f}` : i));

  async function restLogin(username) {
    const response = await within(UI_TIMEOUT_MS, `sign in ${username}`,
      fetch(new URL('api/v1/auth/login', url), {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password: PASSWORD }),
      }));
    const answer = await response.json();
    assert.equal(response.status, 200, JSON.stringify(answer));
    return answer.access_token;
  }

  // A BUY far below the simulated market's ~65,000: it rests until canceled.
  async function placeRestingOrder(clientOrderId) {
    const made = await restJson('POST', 'api/v1/orders',
      { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '30000',
        time_in_force: 'GTC', client_order_id: clientOrderId }, traderToken);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.status, 'NEW');
    return made.body;
  }

  async function switchUser(login) {
    // The next account starts in the trading view.
    await page.evaluate(() => { location.hash = '#trading'; });
    await page.click('#sign-out');
    await waitVisible('#sign-in');
    // Nothing of the last account waits in the page for the next one.
    assert.equal(await page.locator('#open-orders tbody tr, #balances tbody tr, #trades tbody tr').count(), 0,
                 'the last account’s rows stay in the page');
    assert.equal(await page.locator('#cash, #page section').count(), 0, 'the last account’s page stays');
    const response = await signIn(PASSWORD, login);
    assert.equal(response.status(), 200);
    await waitVisible('#portfolio-section');
    await waitUntil(`the page to know ${login}’s role`, () => page.locator('main').getAttribute('data-role'),
                    (r) => r !== null && r !== '');
    // The lists it read once its socket was open are in: from now on only the topics speak.
    await waitUntil('the page to be in step with the server', () => page.locator('main').getAttribute('data-sync'),
                    (s) => s === 'live');
  }

  step('a viewer sees the paper portfolio and the book, and no trading actions', async () => {
    adminToken = await restLogin('owner');
    const trader = await restJson('POST', 'api/v1/users',
      { username: 'dealer', email: 'dealer@example.org', password: PASSWORD, role: 'trader' }, adminToken);
    assert.equal(trader.status, 201, JSON.stringify(trader.body));
    traderToken = await restLogin('dealer');
    resting = await placeRestingOrder('web-resting-1');

    // The portfolio and the book are the Trading page's.
    await page.click('#view-trading');
    const viewerToken = await page.evaluate(() => sessionStorage.getItem('bourse.token'));
    const portfolio = await restJson('GET', 'api/v1/portfolio', undefined, viewerToken);
    assert.equal(portfolio.status, 200, JSON.stringify(portfolio.body));
    assert.equal(portfolio.body.mode, 'paper');
    const currency = portfolio.body.currency;
    await waitVisible('#paper-badge');
    await waitUntil('#cash to show the portfolio’s cash', () => text('#cash'),
                    (t) => t === `${trimmed(portfolio.body.cash)} ${currency}`);
    assert.match(await text('#equity'), new RegExp(`^-?\\d+(\\.\\d+)? ${currency}$`));
    const balance = page.locator(`#balances tr[data-asset="${currency}"]`);
    await balance.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    const listed = portfolio.body.balances.find((b) => b.asset === currency);
    await waitUntil('the locked balance to show the resting order', () => balance.locator('.locked').textContent(),
                    (t) => t === trimmed(listed.locked) && t !== '0');
    await waitUntil('#trading-state to be Active', () => text('#trading-state'), (t) => t === 'Active');
    await waitVisible(orderRow('open-orders', resting.id));
    assert.equal(await page.locator(orderRow('open-orders', resting.id)).locator('.price').textContent(), '30000');
    assert.equal(await page.locator(orderRow('open-orders', resting.id)).locator('.created-by').textContent(), 'dealer');
    assert.equal(await page.locator('main').getAttribute('data-role'), 'viewer');
    assert.equal(await page.locator('main button:visible').count(), 0, 'a viewer is offered actions');
  });

  step('a trader sees an order placed through the API arrive live, and cancels it in the page', async () => {
    await switchUser('dealer');
    await waitVisible(orderRow('open-orders', resting.id));
    await waitUntil('#trading-state to be Active', () => text('#trading-state'), (t) => t === 'Active');
    assert.ok(await page.locator('#halt-button').isVisible(), 'a trader has no kill switch');
    assert.ok(await page.locator('#resume-button').isHidden(), 'a trader may resume');
    assert.ok(await page.locator('#stop-button').isHidden(), 'a trader may stop order processing');
    assert.ok(await page.locator('#cancel-all-button').isVisible(), 'a trader has no Cancel All');
    // Live trading is the administrator's: neither the switch nor the exchange's keys.
    assert.ok(await page.locator('#go-live-button').isHidden(), 'a trader may switch to live');
    assert.ok(await page.locator('#exchange-section').isHidden(), 'a trader sees the exchange’s keys');

    page.on('request', (request) => {
      if (request.method() === 'GET' && /\/api\/v1\/orders(\?|$)/.test(request.url())) ordersRequests.push(request.url());
    });
    const before = ordersRequests.length;
    placed = await placeRestingOrder('web-resting-2');
    const row = page.locator(orderRow('open-orders', placed.id));
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    assert.deepEqual(ordersRequests.slice(before), [], 'the page polled instead of following the topic');
    assert.equal(await row.locator('.side').textContent(), 'Buy');
    assert.equal(await row.locator('.quantity').textContent(), trimmed(placed.quantity));
    assert.equal(await row.locator('.status').textContent(), 'Open');   // NEW, as the desktop says it

    const response = await answerTo('DELETE', `/api/v1/orders/${placed.id}`,
      () => row.getByRole('button', { name: `Cancel Buy 0.01 BTCUSDT (order ${placed.id})` }).click());
    assert.equal(response.status(), 200);
    await waitHidden(orderRow('open-orders', placed.id));
    await waitUntil('the order to show in the history as canceled',
                    () => page.locator(orderRow('order-history', placed.id)).getAttribute('data-status'),
                    (s) => s === 'CANCELED');
    assert.equal((await restJson('GET', `api/v1/orders/${placed.id}`, undefined, traderToken)).body.status, 'CANCELED');
    assert.equal(await text('#orders-error'), '');
    await waitVisible(orderRow('open-orders', resting.id));
  });

  let raced;

  step('a cancel that loses the race shows the server’s 409', async () => {
    raced = await placeRestingOrder('web-resting-3');
    const row = page.locator(orderRow('open-orders', raced.id));
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    // The page's DELETE waits while the order is canceled through the API, then goes on.
    const path = `**/api/v1/orders/${raced.id}`;
    await page.route(path, async (route) => {
      if (route.request().method() === 'DELETE') {
        const elsewhere = await restJson('DELETE', `api/v1/orders/${raced.id}`, undefined, traderToken);
        assert.equal(elsewhere.status, 200, JSON.stringify(elsewhere.body));
      }
      await route.continue();
    });
    try {
      const response = await answerTo('DELETE', `/api/v1/orders/${raced.id}`,
                                      () => row.getByRole('button', { name: /^Cancel/ }).click());
      assert.equal(response.status(), 409);
      const detail = (await response.json()).detail;
      assert.ok(detail, 'the 409 has no detail');
      await waitUntil('#orders-error to show the server’s detail', () => text('#orders-error'), (t) => t === detail);
    } finally {
      await page.unroute(path);
    }
    await waitUntil('the order to show in the history as canceled',
                    () => page.locator(orderRow('order-history', raced.id)).getAttribute('data-status'),
                    (s) => s === 'CANCELED');
  });

  step('a market order’s fill, position and round-trip trade arrive live', async () => {
    const made = await restJson('POST', 'api/v1/orders',
      { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001', client_order_id: 'web-market-1' },
      traderToken);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.status, 'FILLED');
    const [fill] = made.body.fills;
    const fillRow = page.locator(`#fills tr[data-fill-id="${fill.id}"]`);
    await fillRow.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    assert.equal(await fillRow.locator('.price').textContent(), trimmed(fill.price));
    assert.equal(await fillRow.locator('.fee').textContent(), `${trimmed(fill.fee)} ${fill.fee_asset}`);

    const positions = await restJson('GET', 'api/v1/positions', undefined, traderToken);
    const position = positions.body.items.find((p) => p.symbol === 'BTCUSDT');
    const positionRow = page.locator('#positions tr[data-symbol="BTCUSDT"]');
    await waitUntil('the position to show the bought quantity', () => positionRow.locator('.quantity').textContent(),
                    (t) => t === trimmed(position.quantity));
    assert.equal(await positionRow.locator('.average-price').textContent(), trimmed(position.average_price));
    assert.notEqual(await positionRow.locator('.unrealized-pnl').textContent(), '—');

    const trades = await restJson('GET', 'api/v1/trades', undefined, traderToken);
    const trade = trades.body.items.find((t) => t.symbol === 'BTCUSDT' && t.status === 'open');
    const tradeRow = page.locator(`#trades tr[data-trade-id="${trade.id}"]`);
    await tradeRow.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    assert.equal(await tradeRow.getAttribute('data-status'), 'open');
    assert.equal(await tradeRow.locator('.entry-price').textContent(), trimmed(trade.entry_price));
    await waitUntil('the market order to show filled',
                    () => page.locator(orderRow('order-history', made.body.id)).getAttribute('data-status'),
                    (status) => status === 'FILLED');
  });

  step('an administrator halts trading with the kill switch, and the state shows HALTED', async () => {
    await switchUser('owner');
    await waitUntil('#trading-state to be Active', () => text('#trading-state'), (t) => t === 'Active');
    await page.click('#halt-button');
    await waitVisible('#halt-dialog');
    // Confirming without a reason stays in the page.
    await page.click('#halt-submit');
    await waitUntil('#halt-error to ask for a reason', () => text('#halt-error'),
                    (t) => t === 'A reason is required to halt trading.');
    assert.equal((await restJson('GET', 'api/v1/risk/state', undefined, adminToken)).body.state, 'ACTIVE');

    // A reason longer than the server takes (set past the field's own limit): its 422 names
    // the field, in the dialog.
    await page.evaluate(() => { document.getElementById('halt-reason').value = 'x'.repeat(501); });
    const tooLong = await answerTo('POST', '/api/v1/risk/halt', '#halt-submit');
    assert.equal(tooLong.status(), 422);
    const refusal = (await tooLong.json()).errors[0];
    assert.equal(refusal.field, 'reason');
    await waitUntil('#halt-error to name the field', () => text('#halt-error'),
                    (t) => t === `reason: ${refusal.message}`);
    assert.ok(await page.locator('#halt-dialog').isVisible(), 'the dialog closed on a refusal');

    const reason = 'Desk <b>review</b> & checks';
    await page.fill('#halt-reason', reason);
    assert.ok(await page.locator('#halt-cancel-orders').isChecked(), 'the open orders are not canceled by default');
    const response = await answerTo('POST', '/api/v1/risk/halt', '#halt-submit');
    assert.ok(response.ok(), `the halt answered ${response.status()}`);
    await waitHidden('#halt-dialog');
    await waitUntil('#trading-state to be Halted', () => text('#trading-state'), (t) => t === 'Halted');
    assert.equal(await text('#risk-reason'), reason);
    assert.equal(await page.locator('#risk-section b').count(), 0, 'the reason became markup');
    assert.equal(await text('#risk-set-by'), 'You');
    const state = await restJson('GET', 'api/v1/risk/state', undefined, adminToken);
    assert.equal(state.body.state, 'HALTED');
    assert.equal(state.body.reason, reason);
    assert.ok(await page.locator('#halt-button').isHidden(), 'the kill switch shows while halted');
    await waitVisible('#resume-button');
    // The halt canceled the resting order: the topic says so.
    await waitUntil('the resting order to be canceled by the halt',
                    () => page.locator(orderRow('order-history', resting.id)).getAttribute('data-status'),
                    (s) => s === 'CANCELED');
    // New orders are refused while halted.
    const refused = await restJson('POST', 'api/v1/orders',
      { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '30000' }, traderToken);
    assert.equal(refused.status, 409, JSON.stringify(refused.body));

    const resumed = await answerTo('POST', '/api/v1/risk/resume', '#resume-button');
    assert.ok(resumed.ok(), `the resume answered ${resumed.status()}`);
    await waitUntil('#trading-state to be Active again', () => text('#trading-state'), (t) => t === 'Active');
    await waitVisible('#halt-button');
  });

  step('an administrator stops and starts order processing', async () => {
    await waitUntil('#order-processing to say it runs', () => text('#order-processing'), (t) => t.startsWith('Running'));
    const stopped = await answerTo('POST', '/api/v1/system/stop', '#stop-button');
    assert.ok(stopped.ok(), `the stop answered ${stopped.status()}`);
    await waitUntil('#order-processing to say it stopped', () => text('#order-processing'), (t) => t.startsWith('Stopped'));
    await waitVisible('#start-button');
    const refused = await restJson('POST', 'api/v1/orders',
      { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '30000' }, traderToken);
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    const started = await answerTo('POST', '/api/v1/system/start', '#start-button');
    assert.ok(started.ok(), `the start answered ${started.status()}`);
    await waitUntil('#order-processing to say it runs again', () => text('#order-processing'), (t) => t.startsWith('Running'));
    await waitVisible('#stop-button');
    assert.equal((await restJson('GET', 'api/v1/system/status', undefined, adminToken)).body.trading.running, true);
  });

  step('an administrator sees the exchange without keys, and Trade Live… waits for LIVE typed', async () => {
    await waitVisible('#exchange-section');
    const exchange = await restJson('GET', 'api/v1/exchange', undefined, adminToken);
    assert.equal(exchange.status, 200, JSON.stringify(exchange.body));
    await waitUntil('#exchange-network to say testnet', () => text('#exchange-network'), (t) => t === 'Testnet');
    assert.equal(await text('#exchange-base-url'), exchange.body.base_url);
    assert.equal(await text('#exchange-keys'), 'None stored: live trading is not possible');
    assert.ok(await page.locator('#keys-form').isVisible(), 'an administrator cannot enter keys');
    assert.ok(await page.locator('#keys-remove-button').isHidden(), 'Remove Keys… shows without keys');
    // Half the keys are refused in the page, before anything is sent.
    const puts = [];
    const onRequest = (request) => { if (request.method() === 'PUT') puts.push(request.url()); };
    page.on('request', onRequest);
    await page.fill('#keys-api-key', 'abc123');
    await page.click('#keys-save');
    await waitUntil('#keys-error to ask for both', () => text('#keys-error'), (t) => t === 'Enter the API key and its secret.');
    page.off('request', onRequest);
    assert.deepEqual(puts, [], 'the page sent half the keys');
    await page.fill('#keys-api-key', '');

    await waitUntil('#mode to be Paper', () => text('#mode'), (t) => t === 'Paper');
    assert.ok(await page.locator('#live-badge').isHidden(), 'LIVE shows in paper mode');
    await waitVisible('#go-live-button');
    assert.ok(await page.locator('#go-paper-button').isHidden(), 'Back to Paper… shows in paper mode');
    await page.click('#go-live-button');
    await waitVisible('#live-dialog');
    for (const typed of ['', 'live', 'LIVE ', 'LIV'])  {
      await page.fill('#live-confirm', typed);
      assert.ok(await page.isDisabled('#live-submit'), `Trade Live is on with “${typed}” typed`);
    }
    await page.fill('#live-confirm', 'LIVE');
    assert.ok(await page.isEnabled('#live-submit'), 'Trade Live stays off with LIVE typed');

    // Without keys that passed the check, the server refuses: its words, in the dialog.
    const response = await answerTo('POST', '/api/v1/system/mode', '#live-submit');
    assert.equal(response.status(), 409);
    const problem = await response.json();
    assert.equal(problem.errors[0].field, 'keys');
    await waitUntil('#live-error to give the server’s reason', () => text('#live-error'),
                    (t) => t.includes(problem.errors[0].message));
    assert.ok(await page.locator('#live-dialog').isVisible(), 'the dialog closed on a refusal');
    await page.click('#live-cancel');
    await waitHidden('#live-dialog');
    assert.equal((await restJson('GET', 'api/v1/system/status', undefined, adminToken)).body.mode, 'paper');
    assert.ok(await page.locator('#live-badge').isHidden(), 'LIVE shows after a refusal');
  });

  // Backtests (docs/BACKTESTS.md): a trader runs one through the form on candles seeded here,
  // the result arrives by the jobs topic; a 422 shows at its field; a viewer sees results and no
  // form; an administrator deletes another's run.
  const BT_SYMBOL = 'WEBUSDT';
  const BT_HOUR = 3_600_000;
  const BT_FIRST = Date.UTC(2025, 0, 1);   // closed long ago: every candle counts
  const BT_CANDLES = 200;
  let backtest;                            // the 202's Backtest
  const btRow = (id) => `#backtests tr[data-backtest-id="${id}"]`;
  const percent = (value) => {
    const fixed = (value * 100).toFixed(2);
    return `${fixed === '-0.00' ? '0.00' : fixed} %`;
  };

  // A datetime-local field's value for `ms`, in the browser's time zone.
  const localInput = (ms) => page.evaluate((when) => {
    const date = new Date(when);
    const pad = (n) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T` +
      `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  }, ms);

  async function openBacktests() {
    await page.click('#view-backtests');
    await waitVisible('#backtests-section');
    assert.ok(await page.locator('#portfolio-section').isHidden(), 'the trading view shows beside the backtests');
  }

  step('candles are seeded for a backtest', async () => {
    const made = await restJson('POST', 'api/v1/instruments',
      { symbol: BT_SYMBOL, base_asset: 'WEB', quote_asset: 'USDT', tick_size: '0.01', lot_step: '0.0001',
        min_notional: '10' }, adminToken);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    // A swing of a day around 1,800: moving averages of 3 and 8 hours cross twice a day.
    const lines = ['time,open,high,low,close,volume'];
    let open = 1800;
    for (let i = 0; i < BT_CANDLES; i++) {
      const close = Math.round((1800 + 62.11 * Math.sin((2 * Math.PI * i) / 24) + i * 0.5) * 100) / 100;
      const high = Math.max(open, close) + 1.5;
      const low = Math.min(open, close) - 1.5;
      lines.push(`${BT_FIRST + i * BT_HOUR},${open.toFixed(2)},${high.toFixed(2)},${low.toFixed(2)},${close.toFixed(2)},10`);
      open = close;
    }
    const response = await within(UI_TIMEOUT_MS, 'POST the candles',
      fetch(new URL(`api/v1/market/import?symbol=${BT_SYMBOL}&interval=1h&format=generic`, url), {
        method: 'POST', headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'text/csv' },
        body: `${lines.join('\n')}\n`,
      }));
    const answer = await response.json();
    assert.equal(response.status, 200, JSON.stringify(answer));
    assert.equal(answer.rows, BT_CANDLES);
  });

  step('a trader runs a backtest through the form and sees its curve, metrics and trades', async () => {
    await switchUser('dealer');
    await openBacktests();
    await waitVisible('#backtest-form');
    await page.selectOption('#bt-strategy', 'sma-cross');
    // The strategy's parameters, drawn from its description, with their defaults.
    await waitVisible('#bt-param-fast');
    assert.equal(await page.inputValue('#bt-param-fast'), '10');
    assert.equal(await page.inputValue('#bt-param-slow'), '30');
    await page.fill('#bt-param-fast', '3');
    await page.fill('#bt-param-slow', '8');
    await page.selectOption('#bt-symbol', BT_SYMBOL);
    await page.selectOption('#bt-interval', '1h');
    // Thirty candles of history before the window: its first candle can be evaluated.
    await page.fill('#bt-start', await localInput(BT_FIRST + 30 * BT_HOUR));
    await page.fill('#bt-end', await localInput(BT_FIRST + BT_CANDLES * BT_HOUR));
    await page.fill('#bt-cash', '10000');
    await page.fill('#bt-fee-rate', '0.001');
    await page.fill('#bt-slippage', '0');
    await page.fill('#bt-stake', '1');
    await page.selectOption('#bt-exits', 'signals');
    await page.fill('#bt-lookback', '20');
    await page.fill('#bt-form-note', 'web <b>test</b>');

    const response = await answerTo('POST', '/api/v1/backtests', '#bt-run');
    const started = await response.json();
    assert.equal(response.status(), 202, JSON.stringify(started));
    backtest = started.backtest;
    assert.equal(started.job.kind, 'backtest.run');
    assert.equal(backtest.symbol, BT_SYMBOL);
    // The local times typed are the UTC ones meant.
    assert.equal(Date.parse(backtest.start), BT_FIRST + 30 * BT_HOUR);
    assert.equal(Date.parse(backtest.end), BT_FIRST + BT_CANDLES * BT_HOUR);

    // The page follows the run on the jobs topic and shows the result when it ends.
    const article = page.locator(`#backtest-result[data-backtest-id="${backtest.id}"]`);
    await waitUntil('the backtest to show its result', () => article.getAttribute('data-status', { timeout: UI_TIMEOUT_MS }),
                    (s) => s === 'succeeded' || s === 'failed' || s === 'cancelled');
    assert.equal(await article.getAttribute('data-status'), 'succeeded', await text('#bt-result-failure'));
    const stored = await restJson('GET', `api/v1/backtests/${backtest.id}`, undefined, traderToken);
    assert.equal(stored.status, 200, JSON.stringify(stored.body));
    const { result } = stored.body;
    const { metrics } = result;
    assert.ok(metrics.trades > 0, `the series made no trade: ${JSON.stringify(metrics)}`);

    // Ratios for people, decimals trimmed.
    const metric = (key) => text(`#bt-metrics tr[data-metric="${key}"] .value`);
    assert.equal(await metric('total_return'), percent(metrics.total_return));
    assert.equal(await metric('max_drawdown'), percent(metrics.max_drawdown));
    assert.equal(await metric('win_rate'), percent(metrics.win_rate));
    assert.equal(await metric('buy_and_hold_return'), percent(metrics.buy_and_hold_return));
    assert.equal(await metric('sharpe'), metrics.sharpe.toFixed(2).replace(/^-0\.00$/, '0.00'));
    assert.equal(await metric('trades'), String(metrics.trades));
    assert.equal(await metric('fees'), `${trimmed(metrics.fees)} USDT`);
    assert.equal(await text('#bt-final-equity'), `${trimmed(result.final_equity)} USDT`);
    assert.equal(await text('#bt-starting-cash'), '10000 USDT');

    const rows = page.locator('#bt-trades tbody tr');
    assert.equal(await rows.count(), result.trades.length);
    for (let i = 0; i < result.trades.length; i++) {
      const trade = result.trades[i];
      const row = page.locator(`#bt-trades tr[data-index="${i}"]`);
      const price = await row.locator('.entry-price').textContent();
      assert.equal(price, trimmed(trade.entry_price));
      assert.doesNotMatch(price, /\.\d*0$|\.$/, 'a price with its trailing zeros');
      assert.equal(await row.locator('.quantity').textContent(), trimmed(trade.quantity));
      assert.equal(await row.locator('.pnl').textContent(), trimmed(trade.pnl));
      assert.equal(await row.locator('.side').textContent(), { LONG: 'Long', SHORT: 'Short' }[trade.side]);
    }

    // The curves are drawn, a point a candle of the result.
    const points = async (selector) =>
      (await page.locator(selector).getAttribute('points')).trim().split(/\s+/).filter((p) => /^[\d.]+,[\d.]+$/.test(p));
    assert.ok(result.equity.length > 1);
    assert.equal((await points('#bt-equity-chart .strategy')).length, result.equity.length);
    assert.equal((await points('#bt-equity-chart .buy-and-hold')).length, result.equity.length);
    assert.ok((await points('#bt-drawdown-chart .drawdown')).length >= result.equity.length);

    // The list: newest first, with the summary.
    const row = page.locator(btRow(backtest.id));
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await waitUntil('the list to say it succeeded', () => row.getAttribute('data-status'), (s) => s === 'succeeded');
    assert.equal(await page.locator('#backtests tbody tr').first().getAttribute('data-backtest-id'), String(backtest.id));
    assert.equal(await row.locator('.total-return').textContent(), percent(metrics.total_return));
    assert.equal(await row.locator('.trades').textContent(), String(metrics.trades));
    assert.equal(await row.locator('.note').textContent(), 'web <b>test</b>');
    assert.equal(await page.locator('#backtests-section b').count(), 0, 'the note became markup');
  });

  step('a refused backtest shows the server’s words at the field it names', async () => {
    await page.fill('#bt-cash', '0');
    const response = await answerTo('POST', '/api/v1/backtests', '#bt-run');
    assert.equal(response.status(), 422);
    const refusal = (await response.json()).errors[0];
    assert.equal(refusal.field, 'starting_cash');
    await waitUntil('#bt-cash-error to give the reason', () => text('#bt-cash-error'), (t) => t === refusal.message);
    assert.equal(await page.locator('#bt-cash').getAttribute('aria-invalid'), 'true');
    await page.fill('#bt-cash', '10000');
    assert.equal(await text('#bt-cash-error'), '', 'the error stays once the field changed');

    // A strategy's parameter is refused by name, at its own field.
    await page.fill('#bt-param-fast', '9');
    const params = await answerTo('POST', '/api/v1/backtests', '#bt-run');
    assert.equal(params.status(), 422);
    const paramRefusal = (await params.json()).errors[0];
    assert.match(paramRefusal.field, /^params\.(fast|slow)$/);
    const at = paramRefusal.field.slice('params.'.length);
    await waitUntil(`#bt-param-${at}-error to give the reason`, () => text(`#bt-param-${at}-error`),
                    (t) => t === paramRefusal.message);
    await page.fill('#bt-param-fast', '3');
    const listed = await restJson('GET', 'api/v1/backtests', undefined, traderToken);
    assert.equal(listed.body.items.length, 1, 'a refused backtest was stored');
  });

  step('the owner of a backtest notes it', async () => {
    await waitVisible('#bt-note-form');
    await page.fill('#bt-note', 'Swings <i>nicely</i>');
    const response = await answerTo('PATCH', `/api/v1/backtests/${backtest.id}`, '#bt-note-save');
    assert.equal(response.status(), 200);
    await waitUntil('the list to show the note', () => page.locator(btRow(backtest.id)).locator('.note').textContent(),
                    (t) => t === 'Swings <i>nicely</i>');
    assert.equal((await restJson('GET', `api/v1/backtests/${backtest.id}`, undefined, traderToken)).body.note,
                 'Swings <i>nicely</i>');
  });

  step('a viewer sees the backtests and their results, and no form', async () => {
    await switchUser('watcher');
    await openBacktests();
    const row = page.locator(btRow(backtest.id));
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await row.getByRole('link').click();
    await waitUntil('the result to show', () => page.locator(`#backtest-result[data-backtest-id="${backtest.id}"]`)
      .getAttribute('data-status', { timeout: UI_TIMEOUT_MS }), (s) => s === 'succeeded');
    // The list's entry says "succeeded" before the full result (its trades) has come.
    await waitUntil('a viewer to see the trades', () => page.locator('#bt-trades tbody tr').count(), (n) => n > 0);
    assert.equal(await text('#bt-note-text'), 'Swings <i>nicely</i>');
    assert.ok(await page.locator('#backtest-form').isHidden(), 'a viewer is offered the form');
    assert.ok(await page.locator('#bt-note-form').isHidden(), 'a viewer may edit the note');
    assert.equal(await page.locator('main button:visible').count(), 0, 'a viewer is offered actions');
  });

  step('an administrator deletes another’s backtest', async () => {
    await switchUser('owner');
    await page.evaluate((id) => { location.hash = `#backtests/${id}`; }, backtest.id);
    await waitUntil('the result to show', () => page.locator(`#backtest-result[data-backtest-id="${backtest.id}"]`)
      .getAttribute('data-status', { timeout: UI_TIMEOUT_MS }), (s) => s === 'succeeded');
    await page.click('#bt-delete');
    await waitVisible('#bt-delete-dialog');
    const response = await answerTo('DELETE', `/api/v1/backtests/${backtest.id}`, '#bt-delete-submit');
    assert.equal(response.status(), 204);
    await waitHidden('#bt-delete-dialog');
    await waitHidden(btRow(backtest.id));
    await waitHidden('#backtest-result');
    assert.equal((await restJson('GET', `api/v1/backtests/${backtest.id}`, undefined, adminToken)).status, 404);
    await page.click('#view-trading');
    await waitVisible('#portfolio-section');
  });

  // Operations (docs/OPERATIONS.md): the components' health, the settings and the logs, for
  // administrators; a trader sees the health and neither Settings nor Logs.
  // The words the console shows for the components' statuses (core/labels.js).
  const HEALTH_WORDS = { ok: 'OK', degraded: 'Degraded', down: 'Down' };
  const configKey = (body, section, key) =>
    body.sections.find((s) => s.name === section).keys.find((k) => k.key === key);

  step('the health panel lists the components', async () => {
    await page.click('#view-health');
    await waitVisible('#health-section');
    const listed = await restJson('GET', 'api/v1/health/components', undefined, adminToken);
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    assert.ok(listed.body.items.length > 0, 'no component reported');
    for (const item of listed.body.items) {
      const row = page.locator(`#health tr[data-component="${item.component}"]`);
      await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
      assert.equal(await row.getAttribute('data-status'), item.status);
      assert.equal(await row.locator('.status').textContent(), HEALTH_WORDS[item.status]);
      assert.equal(await row.locator('.reason').textContent(), item.reason ?? '—');
      assert.notEqual(await row.locator('.since').textContent(), '—');
    }
    assert.equal(await text('#health-status'), HEALTH_WORDS[listed.body.status]);

    // A transition arrives over the alerts topic: a minimum of free space no disk has makes the
    // disk down at the next check, and it is as it was once the minimum is back.
    const reads = [];
    const onRequest = (request) => { if (request.url().includes('/api/v1/health')) reads.push(request.url()); };
    page.on('request', onRequest);
    const disk = page.locator('#health tr[data-component="disk"]');
    const was = listed.body.items.find((item) => item.component === 'disk').status;
    const lowered = await restJson('PUT', 'api/v1/config/health', { disk_min_mb: '1073741824' }, adminToken);
    assert.equal(lowered.status, 200, JSON.stringify(lowered.body));
    await waitUntil('the disk to show down', () => disk.getAttribute('data-status'), (s) => s === 'down');
    assert.notEqual(await disk.locator('.reason').textContent(), '—', 'a full disk says no reason');
    await waitUntil('#health-status to say Down', () => text('#health-status'), (t) => t === 'Down');
    const restored = await restJson('PUT', 'api/v1/config/health', { disk_min_mb: null }, adminToken);
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
    await waitUntil(`the disk to show ${was} again`, () => disk.getAttribute('data-status'), (s) => s === was);
    page.off('request', onRequest);
    assert.deepEqual(reads, [], 'the page read the health again instead of following the alerts');
  });

  step('an administrator changes a setting in Settings, and the server has it', async () => {
    await page.click('#view-settings');
    await waitVisible('#settings-section');
    assert.ok(await page.locator('#portfolio-section').isHidden(), 'the trading view shows beside the settings');
    await waitVisible('#cfg-approvals-ttl');
    const before = await restJson('GET', 'api/v1/config', undefined, adminToken);
    assert.equal(before.status, 200, JSON.stringify(before.body));
    // Inputs by type: a number with the key's range, a select of the allowed values, a checkbox,
    // and a secret as a password field saying only whether it is set.
    const ttl = configKey(before.body, 'approvals', 'ttl');
    assert.equal(await page.inputValue('#cfg-approvals-ttl'), String(ttl.value));
    assert.equal(await page.getAttribute('#cfg-approvals-ttl', 'type'), 'number');
    assert.equal(await page.getAttribute('#cfg-approvals-ttl', 'min'), String(ttl.min));
    assert.equal(await page.getAttribute('#cfg-approvals-ttl', 'max'), String(ttl.max));
    assert.equal(await page.locator('#cfg-log-level').evaluate((n) => n.tagName), 'SELECT');
    assert.deepEqual(await page.locator('#cfg-log-level option').allTextContents(), configKey(before.body, 'log', 'level').allowed);
    assert.equal(await page.getAttribute('#cfg-approvals-four_eyes', 'type'), 'checkbox');
    assert.equal(await page.getAttribute('#cfg-notify-smtp_password', 'type'), 'password');
    assert.equal(await page.inputValue('#cfg-notify-smtp_password'), '');
    assert.match(await text('#cfg-notify-smtp_password-facts'), /^Not set · /);
    // Where a value comes from, and what takes a restart.
    assert.match(await text('#cfg-auth-secrets_backend-facts'), /Source: environment \(BOURSE_AUTH_SECRETS_BACKEND\)/);
    assert.match(await text('#cfg-approvals-expiry_check-facts'), /Restart required/);

    await page.fill('#cfg-approvals-ttl', '7200');
    const response = await answerTo('PUT', '/api/v1/config/approvals', '#config-approvals-apply');
    const answer = await response.json();
    assert.equal(response.status(), 200, JSON.stringify(answer));
    assert.deepEqual(answer.applied, ['approvals.ttl']);
    await waitUntil('#config-approvals-status to say it applied', () => text('#config-approvals-status'),
                    (t) => t === 'Applied: approvals.ttl.');
    await waitUntil('the source to say runtime', () => text('#cfg-approvals-ttl-facts'), (t) => t.includes('Source: runtime'));
    const after = await restJson('GET', 'api/v1/config', undefined, adminToken);
    assert.equal(configKey(after.body, 'approvals', 'ttl').value, 7200);
    assert.equal(configKey(after.body, 'approvals', 'ttl').source, 'runtime');
  });

  step('a bad setting shows the server’s words at its field', async () => {
    await page.fill('#cfg-approvals-ttl', '5');
    const response = await answerTo('PUT', '/api/v1/config/approvals', '#config-approvals-apply');
    assert.equal(response.status(), 422);
    const refusal = (await response.json()).errors[0];
    assert.equal(refusal.field, 'approvals.ttl');
    await waitUntil('#cfg-approvals-ttl-error to give the reason', () => text('#cfg-approvals-ttl-error'),
                    (t) => t === refusal.message);
    assert.equal(await page.getAttribute('#cfg-approvals-ttl', 'aria-invalid'), 'true');
    assert.equal(configKey((await restJson('GET', 'api/v1/config', undefined, adminToken)).body, 'approvals', 'ttl').value, 7200);
    await page.fill('#cfg-approvals-ttl', '7200');
    assert.equal(await text('#cfg-approvals-ttl-error'), '', 'the error stays once the field changed');
  });

  step('an export imported again changes nothing; an edited one changes what it says', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: UI_TIMEOUT_MS }),
      page.click('#config-export'),
    ]);
    assert.equal(download.suggestedFilename(), 'bourse.conf');
    const exported = await readFile(await download.path(), 'utf8');
    assert.match(exported, /^ttl=7200$/m);

    const choose = (body) => page.setInputFiles('#config-import-file',
      { name: 'bourse.conf', mimeType: 'text/plain', buffer: Buffer.from(body) });
    const dry = await answerTo('POST', '/api/v1/config/import?dry_run=true', () => choose(exported));
    assert.equal(dry.status(), 200);
    assert.deepEqual((await dry.json()).changes, []);
    await waitUntil('#config-import-summary to say nothing changes', () => text('#config-import-summary'),
                    (t) => t === 'No changes: the file agrees with the running configuration.');
    assert.ok(await page.locator('#config-import-apply').isHidden(), 'Apply Import shows with nothing to apply');

    const edited = exported.replace(/^ttl=7200$/m, 'ttl=5400');
    const listed = await answerTo('POST', '/api/v1/config/import?dry_run=true', () => choose(edited));
    assert.equal(listed.status(), 200);
    const row = page.locator('#config-import-changes tr[data-field="approvals.ttl"]');
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    assert.equal(await row.locator('.old').textContent(), '7200');
    assert.equal(await row.locator('.new').textContent(), '5400');
    assert.equal(configKey((await restJson('GET', 'api/v1/config', undefined, adminToken)).body, 'approvals', 'ttl').value,
                 7200, 'a dry run changed the setting');
    const applied = await answerTo('POST', '/api/v1/config/import', '#config-import-apply');
    assert.equal(applied.status(), 200);
    await waitUntil('#config-import-summary to say it imported', () => text('#config-import-summary'),
                    (t) => t === 'Imported: 1 setting changed.');
    // The config topic brings the change to the form.
    await waitUntil('#cfg-approvals-ttl to show the imported value', () => page.inputValue('#cfg-approvals-ttl'),
                    (v) => v === '5400');
    assert.equal(configKey((await restJson('GET', 'api/v1/config', undefined, adminToken)).body, 'approvals', 'ttl').value, 5400);
    await page.click('#config-import-close');
  });

  step('the Logs view shows the entries and a new one arrives live', async () => {
    await page.click('#view-logs');
    await waitVisible('#logs-section');
    // The refused change of the settings, from the ring.
    const refused = page.locator('#logs tbody tr', { hasText: 'PUT /api/v1/config/approvals 422' });
    await refused.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await waitUntil('the page to follow the logs topic', () => page.locator('#logs-section').getAttribute('data-following'),
                    (f) => f === 'true');

    // A request of the test's own arrives over the topic: the page reads no list meanwhile.
    const reads = [];
    const onRequest = (request) => { if (request.url().includes('/api/v1/logs')) reads.push(request.url()); };
    page.on('request', onRequest);
    const missing = await restJson('GET', 'api/v1/jobs/424242', undefined, adminToken);
    assert.equal(missing.status, 404);
    const live = page.locator('#logs tbody tr', { hasText: 'GET /api/v1/jobs/424242 404' });
    await live.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    page.off('request', onRequest);
    assert.deepEqual(reads, [], 'the page read the logs again instead of following them');
    assert.equal(await page.locator('#logs tbody tr').first().getAttribute('data-log-id'),
                 await live.first().getAttribute('data-log-id'), 'the newest entry is not first');

    // The search box narrows what is shown; the level is the server's filter.
    await page.fill('#logs-search', 'jobs/424242');
    await waitUntil('the search to leave the one entry', () => page.locator('#logs tbody tr').count(), (n) => n === 1);
    await page.fill('#logs-search', '');
    const warnings = await answerTo('GET', '/api/v1/logs?limit=100&level=warning',
                                    () => page.selectOption('#logs-level', 'warning'));
    assert.equal(warnings.status(), 200);
    const shown = (await warnings.json()).items.length;
    await waitUntil('the rows to be the warnings', () => page.locator('#logs tbody tr').count(), (n) => n === shown);
    for (const level of await page.locator('#logs tbody tr .level').allTextContents())
      assert.ok(['warning', 'critical', 'error'].includes(level), `a ${level} entry shows at warning`);
    const all = await answerTo('GET', '/api/v1/logs?limit=100&level=debug', () => page.selectOption('#logs-level', 'debug'));
    // Older pages by the cursor.
    if ((await all.json()).next_cursor !== null) {
      await waitVisible('#logs-older');
      const before = await page.locator('#logs tbody tr').count();
      const [older] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/logs', { timeout: UI_TIMEOUT_MS }),
        page.click('#logs-older'),
      ]);
      assert.equal(older.status(), 200);
      assert.ok(new URL(older.url()).searchParams.has('cursor'), 'Older sent no cursor');
      await waitUntil('older entries to show', () => page.locator('#logs tbody tr').count(), (n) => n > before);
    }
    await page.click('#view-trading');
    await waitVisible('#portfolio-section');
  });

  step('a trader sees the health and neither Settings nor Logs', async () => {
    await switchUser('dealer');
    await page.click('#view-health');
    await waitVisible('#health-section');
    assert.ok(await page.locator('#view-settings').isHidden(), 'a trader is offered Settings');
    assert.ok(await page.locator('#view-logs').isHidden(), 'a trader is offered Logs');
    for (const hash of ['#settings', '#logs']) {
      await page.evaluate((h) => { location.hash = h; }, hash);
      // The first page the trader may see instead: the Dashboard.
      await waitVisible('section.page-dashboard');
      assert.ok(await page.locator('#settings-section').isHidden(), `${hash} shows the settings to a trader`);
      assert.ok(await page.locator('#logs-section').isHidden(), `${hash} shows the logs to a trader`);
    }
    assert.equal(await page.locator('#config-sections .field').count(), 0, 'the settings stay in the page');
    assert.equal(await page.locator('#logs tbody tr').count(), 0, 'the logs stay in the page');
    await page.evaluate(() => { location.hash = '#trading'; });
  });

  step('every page of the console has no serious accessibility violations, and folds at a phone’s width', async () => {
    await switchUser('owner');
    // This suite's pages; console.test.mjs checks the others the same way.
    const ours = ['trading', 'desk', 'backtests', 'health', 'settings', 'logs'].map((id) => `view-${id}`);
    const links = (await page.locator('#views a').evaluateAll((nodes) => nodes.map((n) => [n.id, n.getAttribute('href')])))
      .filter(([id]) => ours.includes(id));
    assert.equal(links.length, ours.length, 'the navigation offers an administrator fewer pages');
    const problems = [];
    for (const [id, href] of links) {
      await page.click(`#${id}`);
      await waitUntil(`${href} to be the current page`, () => page.locator(`#${id}`).getAttribute('aria-current'), (c) => c === 'page');
      await waitUntil(`${href} to be in step`, () => page.locator('main').getAttribute('data-sync'), (s) => s === 'live');
      problems.push(...await accessibilityProblems(href));
    }
    assert.deepEqual(problems, []);

    // At 360 px the pages fold behind the Menu button, which the keyboard opens.
    await page.setViewportSize({ width: 360, height: 640 });
    try {
      await waitVisible('#menu-button');
      await waitHidden('#views');
      await page.focus('#menu-button');
      await page.keyboard.press('Enter');
      await waitVisible('#views');
      assert.equal(await page.locator('#menu-button').getAttribute('aria-expanded'), 'true');
      await page.keyboard.press('Escape');
      await waitHidden('#views');
      const overflow = await page.evaluate(() => document.querySelector('header').scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the header is ${overflow} px wider than the phone`);
      assert.deepEqual(await accessibilityProblems('phone'), []);
      // The dark scheme's colours, from the system's preference.
      await page.emulateMedia({ colorScheme: 'dark' });
      assert.deepEqual(await accessibilityProblems('dark'), []);
    } finally {
      await page.emulateMedia({ colorScheme: 'light' });
      await page.setViewportSize({ width: 1024, height: 640 });
    }
  });

  step('the page logged no errors', async () => {
    // The errors expected: Chromium logs the 401 of the wrong password, the 409s of the
    // approval decided elsewhere and of the order canceled elsewhere, the 422 of the halt, the
    // 409 of Trade Live without keys, the 422s of the refused backtests and of the bad setting.
    const unexpected = consoleErrors.filter((e) =>
      !(e.url.endsWith('/api/v1/auth/login') && /status of 401/.test(e.text)) &&
      !(e.url.endsWith(`/api/v1/approvals/${second}/approve`) && /status of 409/.test(e.text)) &&
      !(e.url.endsWith(`/api/v1/orders/${raced.id}`) && /status of 409/.test(e.text)) &&
      !(e.url.endsWith('/api/v1/risk/halt') && /status of 422/.test(e.text)) &&
      !(e.url.endsWith('/api/v1/system/mode') && /status of 409/.test(e.text)) &&
      !(e.url.endsWith('/api/v1/backtests') && /status of 422/.test(e.text)) &&
      !(e.url.endsWith('/api/v1/config/approvals') && /status of 422/.test(e.text)) &&
      // The sign-in form asks whether the server awaits its first-run setup; a server
      // without that route answers 404.
      !(e.url.endsWith('/api/v1/setup') && /status of 404/.test(e.text)));
    assert.deepEqual(unexpected, [], 'console errors');
  });

  step('Chromium closes and boursed stops on SIGTERM', async () => {
    await within(EXIT_TIMEOUT_MS, 'Chromium to close', context.close());
    context = null;
    boursed.kill('SIGTERM');
    const { code, signal } = await within(EXIT_TIMEOUT_MS, 'boursed to exit after SIGTERM', exited(boursed));
    assert.equal(code, 0, `boursed exited with ${code ?? signal}`);
  });
}
