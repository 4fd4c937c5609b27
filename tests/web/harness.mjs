// harness.mjs — what the browser suites share: a real boursed on an empty data directory,
// Debian's headless Chromium, REST calls beside the page, and bounded waits.
//
// Every wait has a bound: a wait that runs out fails the test instead of hanging it.
//
// Copyright 2026 The Bourse Authors
// SPDX-License-Identifier: GPL-3.0-or-later

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BOURSED = process.env.BOURSED;
export const CHROMIUM = '/usr/bin/chromium';
export const PASSWORD = 'correct horse battery staple';

// Generous, for sanitizer builds on a busy machine.
export const START_TIMEOUT_MS = 30_000;
export const EXIT_TIMEOUT_MS = 15_000;
export const COMMAND_TIMEOUT_MS = 30_000;
export const UI_TIMEOUT_MS = 45_000;

// A package installed next to the suites (or on NODE_PATH, which meson sets): an ES import
// ignores NODE_PATH, require() does not. Returns { module } or { problem } saying how to
// install it.
export function loadPackage(name, here) {
  try {
    return { module: createRequire(import.meta.url)(name) };
  } catch (error) {
    return {
      problem: `${name} is not installed (${error.code || error.message}).\n` +
        `Run \`build-aux/dev test\`, which installs it, or: npm ci --prefix ${here} --no-audit --no-fund`,
    };
  }
}

// The browser suites' packages: Playwright and axe-core's builder, or the reason the suite
// cannot run.
export function loadBrowserPackages(here) {
  const playwright = loadPackage('playwright-core', here);
  const axe = loadPackage('@axe-core/playwright', here);
  const problem = playwright.problem || axe.problem
    || (BOURSED ? null : 'BOURSED is not set: run through `meson test --suite web` (or `build-aux/dev test`)');
  const AxeBuilder = axe.module && (axe.module.default || axe.module.AxeBuilder || axe.module);
  return { playwright: playwright.module, AxeBuilder, problem };
}

// Never skip silently: a missing prerequisite is a failure with a hint.
export function describeBrowserSuite(name, timeout, problem, suite) {
  if (problem) {
    console.error(problem);
    it('has its prerequisites', () => assert.fail(problem));
  } else {
    describe(name, { timeout }, suite);
  }
}

// Resolves with what the promise resolves with, or rejects after `ms`.
export function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Resolves when the child has exited; rejects if it could not be started.
export function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', reject);
  });
}

// boursed's environment: its own directories under `root`, the simulated market with a short
// deterministic history, and no way to reach Binance.
export function childEnv(root, extra = {}) {
  return Object.assign({}, process.env, {
    BOURSE_AUTH_SECRETS_BACKEND: 'file',
    XDG_CONFIG_HOME: join(root, 'config'),
    XDG_DATA_HOME: join(root, 'share'),
    XDG_CACHE_HOME: join(root, 'cache'),
    BOURSE_SIMULATED_ENABLED: 'true',
    BOURSE_SIMULATED_BACKFILL_DAYS: '3',
    BOURSE_SIMULATED_SEED: '7',
    BOURSE_HEALTH_CHECK_INTERVAL: '1',
    // The pages and the tests' own REST calls share one address: the suites do not test the
    // request budget (test-security does), and must not trip over it.
    BOURSE_RATE_LIMIT_ENABLED: 'false',
    BOURSE_BINANCE_BASE_URL: 'https://testnet.binance.invalid',
  }, extra);
}

// Runs `boursed ARGS` to completion with `input` on stdin.
export async function runBoursed(args, input, env) {
  const child = spawn(BOURSED, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  child.stdin.on('error', () => {});  // EPIPE if it exits early: its exit code tells why
  child.stdin.end(input);
  try {
    const { code, signal } = await within(COMMAND_TIMEOUT_MS, `boursed ${args.join(' ')}`, exited(child));
    assert.equal(code, 0, `boursed ${args.join(' ')} exited with ${code ?? signal}:\n${output}`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  return output;
}

// Starts `boursed serve` and resolves with its URL, read from its stdout.
export function startBoursed(dataDir, env, log) {
  const child = spawn(BOURSED, ['serve', '--port', '0', '--data-dir', dataDir],
                      { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const url = new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      log.push(String(chunk));
      const match = /^Listening on (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(stdout);
      if (match) resolve(match[1]);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`boursed exited with ${code ?? signal} before listening`)));
  });
  child.stderr.on('data', (chunk) => log.push(String(chunk)));
  return { child, url: within(START_TIMEOUT_MS, 'boursed to print "Listening on …"', url) };
}

// Debian's Chromium, headless, with a profile of its own in `dir`.
export async function launchChromium(playwright, dir, viewport = { width: 1024, height: 640 }, locale = 'en-US') {
  const context = await playwright.chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    timeout: START_TIMEOUT_MS,
    viewport,
    // The browser's languages (navigator.languages, Accept-Language): the console's language.
    locale,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(UI_TIMEOUT_MS);
  return context;
}

// A REST call beside the page: { status, body }.
export async function restJson(base, method, path, body, token) {
  const response = await within(UI_TIMEOUT_MS, `${method} /${path}`,
    fetch(new URL(path, base), {
      method,
      headers: Object.assign(token ? { Authorization: `Bearer ${token}` } : {},
                             body === undefined ? {} : { 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    }));
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

export async function restLogin(base, username) {
  const answer = await restJson(base, 'POST', 'api/v1/auth/login', { username, password: PASSWORD });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.access_token;
}

// Polls `probe` (an async function of nothing) until `accept` holds.
export async function waitUntil(what, probe, accept) {
  const deadline = Date.now() + UI_TIMEOUT_MS;
  let last;
  for (;;) {
    last = await probe();
    if (accept(last)) return last;
    if (Date.now() > deadline) assert.fail(`timed out after ${UI_TIMEOUT_MS} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// A fresh directory for one suite: boursed's data, Chromium's profile and the XDG homes.
export async function makeRoot(prefix) {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const dataDir = join(root, 'data');
  const browserDir = join(root, 'chromium');
  for (const dir of [dataDir, browserDir, join(root, 'config'), join(root, 'share'), join(root, 'cache')])
    await mkdir(dir, { recursive: true, mode: 0o700 });
  return { root, dataDir, browserDir };
}

// A safety net after a suite: Chromium closed, boursed killed, the directory gone.
export async function cleanUp({ context, boursed, root }) {
  if (context) await within(EXIT_TIMEOUT_MS, 'Chromium to close', context.close()).catch(() => {});
  if (boursed && boursed.exitCode === null && boursed.signalCode === null) {
    boursed.kill('SIGKILL');
    await within(EXIT_TIMEOUT_MS, 'boursed to die', exited(boursed)).catch(() => {});
  }
  if (root) await rm(root, { recursive: true, force: true });
}

// A suite's steps, each needing the ones before it: after a failure the rest skip, and the
// failure shows what boursed said (`log`, its output as it came).
export function stepper(log) {
  let failedStep = null;
  return function step(name, fn) {
    it(name, async (t) => {
      if (failedStep) return t.skip(`“${failedStep}” failed`);
      try {
        await fn();
      } catch (error) {
        failedStep = name;
        if (log.length) t.diagnostic(`boursed said:\n${log.join('')}`);
        throw error;
      }
    });
  };
}

// `boursed user add owner` (an administrator, PASSWORD), then `boursed serve` on its data:
// { child, url } once it listens.
export async function serveWithOwner(root, dataDir, log) {
  const env = childEnv(root);
  await runBoursed(['user', 'add', 'owner', '--role', 'admin', '--password-stdin', '--data-dir', dataDir],
                   `${PASSWORD}\n`, env);
  const started = startBoursed(dataDir, env, log);
  return { child: started.child, url: await started.url };
}
