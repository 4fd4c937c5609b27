// i18n.test.mjs — the web console in the browser's language: a Chromium whose locale is de-DE
// signs in and sees the shell, the Dashboard, Health and Logs in German (po/de.po, turned into
// the console's catalogue by build-aux/web-build.py), <html lang="de">, and no serious or
// critical axe-core violation; the values the server sends as identifiers (an order's status
// and side, a role) and durations in German words (core/labels.js, core/format.js); English
// chosen in Settings under the German browser applies after the reload, and Automatic brings
// German back. One whose locale is en-US sees English and <html lang="en">. What the server
// says (a refusal's detail) stays as the server says it.
//
// Run by `meson test --suite web` (tests/web/meson.build) with BOURSED set to the built daemon.
//
// Copyright 2026 The Bourse Authors
// SPDX-License-Identifier: GPL-3.0-or-later

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdir } from 'node:fs/promises';
import {
  BOURSED, PASSWORD, UI_TIMEOUT_MS, loadBrowserPackages, describeBrowserSuite, launchChromium, makeRoot, cleanUp, stepper, serveWithOwner,
  within, EXIT_TIMEOUT_MS, restJson, restLogin,
} from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { playwright, AxeBuilder, problem } = loadBrowserPackages(here);

describeBrowserSuite('web console languages', 180_000, problem, languageSuite);

function languageSuite() {
  let root, dataDir, browserDir, boursed, url, context, page;
  const log = [];
  const pageErrors = [];
  const step = stepper(log);

  const text = async (selector) =>
    (await page.locator(selector).first().textContent({ timeout: UI_TIMEOUT_MS })).replace(/\s+/g, ' ').trim();
  const waitVisible = (selector) => page.locator(selector).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });

  async function browse(locale) {
    if (context) await within(EXIT_TIMEOUT_MS, 'Chromium to close', context.close());
    const dir = join(browserDir, locale);
    await mkdir(dir, { recursive: true });
    context = await launchChromium(playwright, dir, { width: 1024, height: 700 }, locale);
    page = context.pages()[0] ?? await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(url, { waitUntil: 'load' });
    await waitVisible('#sign-in');
  }

  async function signIn(password = PASSWORD) {
    await page.fill('#login', 'owner');
    await page.fill('#password', password);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/auth/login')),
      page.click('#sign-in button[type="submit"]'),
    ]);
    return response.status();
  }

  async function open(id) {
    await page.evaluate((hash) => { location.hash = hash; }, `#/${id}`);
    await waitVisible(`section.page-${id}`);
  }

  async function accessible(what) {
    const result = await new AxeBuilder({ page }).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [],
                     `${what} has serious or critical accessibility violations`);
  }

  before(async () => {
    ({ root, dataDir, browserDir } = await makeRoot('bourse-i18n-'));
  });

  after(() => cleanUp({ context, boursed, root }));

  step('boursed runs with an administrator', async () => {
    ({ child: boursed, url } = await serveWithOwner(root, dataDir, log));
  });

  step('a German browser sees the sign-in form in German, the server’s refusal as it said it', async () => {
    await browse('de-DE');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
    assert.equal(await text('#sign-in-title'), 'Anmelden');
    assert.equal(await text('#sign-in button[type="submit"]'), 'Anmelden');
    assert.equal(await text('#connection'), 'Abgemeldet');
    assert.equal(await signIn('not the password'), 401);
    // The server's words, not translated by the console.
    const refusal = await text('#sign-in-error');
    assert.ok(refusal.length > 0 && !/Anmeld|Passwort/.test(refusal), `the refusal was translated: ${refusal}`);
    // Chromium reports the refused request itself: that one was asked for.
    pageErrors.splice(0, pageErrors.length, ...pageErrors.filter((e) => !/status of 401/.test(e)));
  });

  step('it signs in and sees the shell, the Dashboard, Health and Logs in German', async () => {
    assert.equal(await signIn(), 200);
    await waitVisible('#views a');
    assert.equal(await text('#sign-out'), 'Abmelden');
    assert.equal(await text('#view-dashboard'), 'Übersicht');
    assert.equal(await text('#view-trading'), 'Handel');
    assert.equal(await page.locator('nav#views').getAttribute('aria-label'), 'Seiten');

    await open('dashboard');
    assert.equal(await text('section.page-dashboard h2'), 'Übersicht');
    assert.equal(await page.locator('section.page-dashboard').getAttribute('aria-label'), 'Übersicht');
    assert.match(await text('#dash-positions-title'), /^Offene Positionen\b/);
    await accessible('the German Dashboard');

    await open('health');
    assert.match(await text('#health-title'), /^Zustand\b/);
    assert.deepEqual(await page.locator('#health th').allTextContents(), ['Komponente', 'Status', 'Begründung', 'Seit']);

    await open('logs');
    assert.equal(await text('#logs-title'), 'Protokolle');
    assert.equal(await page.locator('#logs-search').getAttribute('placeholder'), 'Text in der Meldung');
    assert.equal(await text('#logs-level option[value="warning"]'), 'Warnung');
    await accessible('the German Logs page');
    assert.deepEqual(pageErrors, [], 'the page reported errors');
  });

  step('it sees an order’s status and side, a role and the engine’s uptime in German words', async () => {
    const token = await restLogin(url, 'owner');
    const made = await restJson(url, 'POST', 'api/v1/users',
      { username: 'dealer', email: 'dealer@example.org', password: PASSWORD, role: 'trader' }, token);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    // A BUY far below the simulated market's price: it rests, NEW.
    const order = await restJson(url, 'POST', 'api/v1/orders',
      { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '30000', time_in_force: 'GTC' }, token);
    assert.equal(order.status, 201, JSON.stringify(order.body));
    assert.equal(order.body.status, 'NEW');

    await open('trading');
    const row = page.locator(`#open-orders tr[data-order-id="${order.body.id}"]`);
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    assert.equal(await row.getAttribute('data-status'), 'NEW');
    assert.equal(await row.locator('.status').textContent(), 'Offen');
    assert.equal(await row.locator('.side').textContent(), 'Kauf');
    assert.equal(await row.locator('.type').textContent(), 'Limit');
    assert.equal(await row.getByRole('button', { name: `Kauf 0.01 BTCUSDT (Order ${order.body.id}) stornieren` }).count(), 1);
    // The uptime in German units whatever it is ("12 Sek.", "1 Min. 05 Sek.", …), never "s" or "min".
    await page.locator('#engine-uptime').filter({ hasText: /\d/ }).waitFor({ timeout: UI_TIMEOUT_MS });
    assert.match(await text('#engine-uptime'), /^(\d+ Tg\. )?(\d+ Std\. )?(\d+ Min\. )?(\d+ Sek\.)?$/);
    assert.match(await text('#engine-uptime'), /Sek\.|Min\./);
    assert.equal(await page.locator('#engine-state').getAttribute('data-state'), 'running');
    assert.equal(await text('#engine-state'), 'Läuft');
    assert.equal(await text('#mode'), 'Papierhandel');

    await open('users');
    const user = page.locator(`#users-list tr[data-user-id="${made.body.id}"]`);
    await user.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    assert.equal(await user.locator('.role').getAttribute('data-role'), 'trader');
    assert.equal(await user.locator('.role').textContent(), 'Händler');
    assert.equal(await user.locator('.status').textContent(), 'Aktiv');
    assert.equal(await user.locator('select[data-action="role"] option:checked').textContent(), 'Händler');
    await accessible('the German Users page');
    assert.deepEqual(pageErrors, [], 'the page reported errors');
  });

  step('English chosen in Settings shows English after the reload; Automatic brings German back', async () => {
    await open('settings');
    assert.equal(await text('#language-title'), 'Sprache');
    assert.equal(await page.locator('#language-choice').inputValue(), '');
    assert.deepEqual(await page.locator('#language-choice option').evaluateAll((os) => os.map((o) => o.value)), ['', 'en', 'de']);
    assert.equal(await text('#language-choice option[value="de"]'), 'Deutsch');
    await accessible('the German Settings page');

    async function apply(value) {
      await page.selectOption('#language-choice', value);
      await Promise.all([page.waitForEvent('load', { timeout: UI_TIMEOUT_MS }), page.click('#language-apply')]);
      await waitVisible('#views a');
    }
    await apply('en');
    assert.equal(await page.evaluate(() => localStorage.getItem('bourse.language')), 'en');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await text('#view-dashboard'), 'Dashboard');
    await waitVisible('#language-form');
    assert.equal(await text('#language-title'), 'Language');
    assert.equal(await page.locator('#language-choice').inputValue(), 'en');
    await open('users');
    await page.locator('#users-list tr .role').first().waitFor({ timeout: UI_TIMEOUT_MS });
    assert.deepEqual((await page.locator('#users-list tr .role').allTextContents()).sort(), ['Administrator', 'Trader']);

    await open('settings');
    await apply('');
    assert.equal(await page.evaluate(() => localStorage.getItem('bourse.language')), null);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
    assert.equal(await text('#view-dashboard'), 'Übersicht');
    assert.deepEqual(pageErrors, [], 'the page reported errors');
  });

  step('an English browser sees English, and <html lang="en">', async () => {
    await browse('en-US');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await text('#sign-in-title'), 'Sign In');
    assert.equal(await signIn(), 200);
    await waitVisible('#views a');
    assert.equal(await text('#sign-out'), 'Sign Out');
    assert.equal(await text('#view-dashboard'), 'Dashboard');
    await open('dashboard');
    assert.equal(await text('section.page-dashboard h2'), 'Dashboard');
    await open('logs');
    assert.equal(await text('#logs-title'), 'Logs');
    await accessible('the English Logs page');
    assert.deepEqual(pageErrors, [], 'the page reported errors');
  });
}
