// server.mjs — a real boursed for the API suite, with a user of each role
//
// Built on the browser suites' harness (tests/web/harness.mjs): the same
// boursed, environment and bounded waits, without a browser.
//
// Copyright 2026 The Bourse Authors
// SPDX-License-Identifier: GPL-3.0-or-later

import {
  BOURSED, PASSWORD, EXIT_TIMEOUT_MS, START_TIMEOUT_MS, childEnv, exited, makeRoot, restJson, restLogin, runBoursed,
  startBoursed, within,
} from '../web/harness.mjs';
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

// The fake Binance (tests/integration/fake-exchange-serve.c), beside the
// daemon in the build tree unless FAKE_EXCHANGE names it.
const FAKE_EXCHANGE = process.env.FAKE_EXCHANGE
  ?? (BOURSED && join(dirname(BOURSED), '..', '..', 'tests', 'fake-exchange-serve'));

// The exchange's key, which can trade and cannot withdraw, and what its account holds.
export const EXCHANGE_KEY = 'contractkey0001';
export const EXCHANGE_SECRET = 'contract-secret-that-never-shows';

// A loopback Binance that answers: keys, balances, orders, streams. Its
// klines wait ten minutes (longer than binance.request_timeout, so the
// client gives up and asks again), so a download is still running when the
// scenario cancels it, however slow the machine. Nothing reaches the real
// Binance. It ends when its stdin closes: with this process, however that ends.
async function fakeExchange() {
  const child = spawn(FAKE_EXCHANGE, [
    '--key', `${EXCHANGE_KEY}:${EXCHANGE_SECRET}`, '--balance', 'USDT=10000', '--balance', 'BTC=0.1',
    '--symbol', 'BTCUSDT:BTC:USDT:60000', '--klines-delay-ms', '600000',
  ], { stdio: ['pipe', 'pipe', 'inherit'] });
  const urls = new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const newline = stdout.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(stdout.slice(0, newline)));
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`${FAKE_EXCHANGE} exited with ${code ?? signal}`)));
  });
  return {
    urls: await within(START_TIMEOUT_MS, 'the fake exchange to print its addresses', urls),
    async close() {
      child.stdin.end();
      await within(EXIT_TIMEOUT_MS, 'the fake exchange to stop', exited(child)).catch(() => child.kill('SIGKILL'));
    },
  };
}

// boursed on a fresh data directory with an administrator, a trader and a
// viewer, each signed in: { url, tokens, permissions, log, stop () }.
export async function startServer() {
  const { root, dataDir } = await makeRoot('bourse-api-');
  const exchange = await fakeExchange();
  // A two-day history is enough for every route, and quicker to make.
  // Simulated minutes run a second each: a live strategy's first signal comes at once.
  const env = childEnv(root, { BOURSE_SIMULATED_BACKFILL_DAYS: '2', BOURSE_SIMULATED_SPEED: '60',
                               BOURSE_BINANCE_BASE_URL: exchange.urls.url,
                               BOURSE_BINANCE_STREAM_URL: exchange.urls.stream_url,
                               BOURSE_BINANCE_WS_API_URL: exchange.urls.ws_api_url });
  const roles = { admin: 'owner', trader: 'dealer', viewer: 'watcher' };

  // A fresh data directory: boursed prints its first run's setup address
  // beside the Listening line, and the administrator is made with it, as a
  // user would; the others are added on the command line.
  const log = [];
  const { child, url: listening } = startBoursed(dataDir, env, log);
  const url = await listening;
  let setupToken;
  for (let i = 0; i < 600 && !setupToken; i++) {
    setupToken = /^Set up Bourse: \S+#token=(\S+)$/m.exec(log.join(''))?.[1];
    if (!setupToken) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!setupToken) throw new Error(`boursed printed no setup address:\n${log.join('')}`);
  const setUp = await restJson(url, 'POST', 'api/v1/setup', { token: setupToken, username: roles.admin, password: PASSWORD });
  if (setUp.status !== 201) throw new Error(`the first run's setup failed: ${JSON.stringify(setUp.body)}`);
  for (const [role, name] of Object.entries(roles))
    if (role !== 'admin')
      await runBoursed(['user', 'add', name, '--role', role, '--password-stdin', '--data-dir', dataDir],
                       `${PASSWORD}\n`, env);

  const tokens = {};
  const permissions = {};
  for (const [role, name] of Object.entries(roles)) {
    tokens[role] = await restLogin(url, name);
    permissions[role] = new Set((await restJson(url, 'GET', 'api/v1/permissions', undefined, tokens[role])).body.permissions);
  }

  return {
    url, tokens, permissions, log, env, dataDir, roles, password: PASSWORD, setupToken, setUpStatus: setUp.status,
    exchangeKeys: { api_key: EXCHANGE_KEY, secret: EXCHANGE_SECRET },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await within(EXIT_TIMEOUT_MS, 'boursed to stop', exited(child)).catch(() => child.kill('SIGKILL'));
      }
      await exchange.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
