// server.mjs — a real boursed for the API suite, with a user of each role
//
// Built on the browser suites' harness (tests/web/harness.mjs): the same
// boursed, environment and bounded waits, without a browser.
//
// Copyright 2026 The Bourse Authors
// SPDX-License-Identifier: GPL-3.0-or-later

import {
  PASSWORD, EXIT_TIMEOUT_MS, childEnv, exited, makeRoot, restJson, restLogin, runBoursed, startBoursed, within,
} from '../web/harness.mjs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';

// boursed on a fresh data directory with an administrator, a trader and a
// viewer, each signed in: { url, tokens, permissions, log, stop () }.
// An "exchange" that takes connections and never answers: whatever boursed
// asks Binance waits (for binance.request_timeout, 30 s) instead of failing
// at once, so a download is still running when the scenario cancels it,
// however slow the machine. Nothing reaches the real Binance.
async function blackHole() {
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close() {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

export async function startServer() {
  const { root, dataDir } = await makeRoot('bourse-api-');
  const exchange = await blackHole();
  // A two-day history is enough for every route, and quicker to make.
  // Simulated minutes run a second each: a live strategy's first signal comes at once.
  const env = childEnv(root, { BOURSE_SIMULATED_BACKFILL_DAYS: '2', BOURSE_SIMULATED_SPEED: '60',
                               BOURSE_BINANCE_BASE_URL: exchange.url });
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
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await within(EXIT_TIMEOUT_MS, 'boursed to stop', exited(child)).catch(() => child.kill('SIGKILL'));
      }
      exchange.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
