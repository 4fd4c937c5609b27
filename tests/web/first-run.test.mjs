// first-run.test.mjs — the first run from the browser: an empty boursed prints a one-time
// setup address; its page creates the first administrator and signs in as them.
//
// Run by `meson test --suite web` (tests/web/meson.build) with BOURSED set to the built
// daemon; playwright-core comes from tests/web/node_modules (`build-aux/dev test`).
//
// Copyright 2026 The Bourse Authors
// SPDX-License-Identifier: GPL-3.0-or-later

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BOURSED, PASSWORD, UI_TIMEOUT_MS, loadPackage, waitUntil, makeRoot, cleanUp, stepper, childEnv, startBoursed,
  launchChromium, restJson, within,
} from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { module: playwright, problem } = loadPackage('playwright-core', here);

if (problem || !BOURSED) {
  const message = problem || 'BOURSED is not set: run through `meson test --suite web` (or `build-aux/dev test`)';
  it('has its prerequisites', () => assert.fail(message));
} else {
  describe('first run in the browser', { timeout: 120_000 }, suite);
}

function suite() {
  const log = [];
  const step = stepper(log);
  let root, boursed, url, setupUrl, context, page;
  const errors = [];

  after(() => cleanUp({ context, boursed, root }));

  const text = (selector) => page.locator(selector).textContent({ timeout: UI_TIMEOUT_MS });
  const waitVisible = (selector) => page.locator(selector).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });

  step('an empty boursed prints its setup address beside where it listens', async () => {
    let dataDir;
    ({ root, dataDir } = await makeRoot('bourse-first-run-'));
    const started = startBoursed(dataDir, childEnv(root), log);
    boursed = started.child;
    url = await started.url;
    setupUrl = await waitUntil('the setup address', () => /^Set up Bourse: (\S+)$/m.exec(log.join(''))?.[1],
                               (found) => Boolean(found));
    assert.match(setupUrl, /^http:\/\/127\.0\.0\.1:\d+\/setup#token=[^&\s]+$/);
  });

  step('the sign-in form of a server without an account says where that address is', async () => {
    context = await launchChromium(playwright, `${root}/chromium`);
    page = context.pages()[0] ?? await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') errors.push({ text: m.text(), url: m.location().url }); });
    page.on('pageerror', (error) => errors.push({ text: `uncaught: ${error.message}`, url: '' }));
    await page.goto(url, { waitUntil: 'load' });
    await waitVisible('#sign-in');
    await waitVisible('#setup-hint');
    assert.match(await text('#setup-hint'), /boursed serve/);
  });

  step('the setup page refuses a wrong token and passwords that differ, in the page or the server’s words', async () => {
    // Another token than the one printed: the server's 403.
    await page.goto(setupUrl.replace(/token=.*/, 'token=not-the-token'), { waitUntil: 'load' });
    await waitVisible('#setup');
    assert.equal(await page.evaluate(() => location.href), url, 'the token stays in the address bar');
    await page.fill('#setup-username', 'founder');
    await page.fill('#setup-password', PASSWORD);
    await page.fill('#setup-confirm', 'something else');
    await page.click('#setup-submit');
    await waitUntil('the page to say the passwords differ', () => text('#setup-confirm-error'), (t) => t !== '');
    await page.fill('#setup-confirm', PASSWORD);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/setup') && r.request().method() === 'POST'),
      page.click('#setup-submit'),
    ]);
    assert.equal(response.status(), 403);
    const detail = (await response.json()).detail;
    await waitUntil('the server’s refusal to show', () => text('#setup-error'), (t) => t.startsWith(detail));
  });

  step('with the printed token it creates the administrator and signs in as them', async () => {
    await page.goto(setupUrl, { waitUntil: 'load' });
    await waitVisible('#setup');
    await page.fill('#setup-username', 'founder');
    await page.fill('#setup-email', 'founder@example.org');
    await page.fill('#setup-password', PASSWORD);
    await page.fill('#setup-confirm', PASSWORD);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/setup') && r.request().method() === 'POST'),
      page.click('#setup-submit'),
    ]);
    assert.equal(response.status(), 201, await response.text());
    await waitUntil('the page to know the role', () => page.locator('main').getAttribute('data-role'), (r) => r === 'admin');
    await waitVisible('#sign-out');
    await waitUntil('the page to be in step', () => page.locator('main').getAttribute('data-sync'), (s) => s === 'live');
    const token = await page.evaluate(() => sessionStorage.getItem('bourse.token'));
    const me = await restJson(url, 'GET', 'api/v1/users/me', undefined, token);
    assert.equal(me.status, 200);
    assert.equal(me.body.username, 'founder');
    const status = await restJson(url, 'GET', 'api/v1/setup');
    assert.equal(status.body.needed, false);
  });

  step('the address again, once set up, leads to the sign-in form', async () => {
    await page.click('#sign-out');
    await waitVisible('#sign-in');
    await page.goto(setupUrl, { waitUntil: 'load' });
    await waitVisible('#setup');
    await page.fill('#setup-username', 'second');
    await page.fill('#setup-password', PASSWORD);
    await page.fill('#setup-confirm', PASSWORD);
    await page.click('#setup-submit');
    await waitVisible('#sign-in');
    assert.match(await text('#sign-in-error'), /set up already/);
    assert.equal(await page.locator('#setup-hint').isHidden(), true);
  });

  step('the pages logged no other errors', async () => {
    // Chromium logs the refusals the steps asked for: the wrong token's 403, the spent one's 409.
    const unexpected = errors.filter((e) => !(e.url.endsWith('/api/v1/setup') && /status of (403|409)/.test(e.text)));
    assert.deepEqual(unexpected, []);
    await within(UI_TIMEOUT_MS, 'Chromium to close', context.close());
    context = null;
  });
}
