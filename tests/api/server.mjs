// server.mjs — a real boursed for the API suite, with a user of each role
//
// Copyright 2026 The Bourse Authors
// SPDX-License-Identifier: GPL-3.0-or-later

import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PASSWORD = 'correct horse battery staple';

// Generous, for sanitizer builds on a busy machine.
const START_TIMEOUT_MS = 60_000;
const COMMAND_TIMEOUT_MS = 60_000;

export function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', reject);
  });
}

function childEnv(root) {
  return Object.assign({}, process.env, {
    BOURSE_AUTH_SECRETS_BACKEND: 'file',
    XDG_CONFIG_HOME: join(root, 'config'),
    XDG_DATA_HOME: join(root, 'share'),
    XDG_CACHE_HOME: join(root, 'cache'),
    // The demo instruments with a short deterministic history.
    BOURSE_SIMULATED_ENABLED: 'true',
    BOURSE_SIMULATED_BACKFILL_DAYS: '2',
    BOURSE_SIMULATED_SEED: '7',
    BOURSE_RATE_LIMIT_ENABLED: 'false',
    // Nothing here may reach Binance.
    BOURSE_BINANCE_BASE_URL: 'https://testnet.binance.invalid',
  });
}

// Runs `boursed ARGS` to completion with @input on stdin; its output.
async function runBoursed(boursed, args, input, env) {
  const child = spawn(boursed, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  child.stdin.on('error', () => {});
  child.stdin.end(input);
  try {
    const { code, signal } = await within(COMMAND_TIMEOUT_MS, `boursed ${args.join(' ')}`, exited(child));
    if (code !== 0) throw new Error(`boursed ${args.join(' ')} exited with ${code ?? signal}:\n${output}`);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  return output;
}

// boursed on a fresh data directory with an administrator, a trader and a
// viewer, each signed in: { url, tokens, permissions, log, stop () }.
export async function startServer(boursed) {
  const root = await mkdtemp(join(tmpdir(), 'bourse-api-'));
  const dataDir = join(root, 'data');
  for (const dir of [dataDir, join(root, 'config'), join(root, 'share'), join(root, 'cache')])
    await mkdir(dir, { recursive: true, mode: 0o700 });
  const env = childEnv(root);
  const roles = { admin: 'owner', trader: 'dealer', viewer: 'watcher' };

  for (const [role, name] of Object.entries(roles))
    await runBoursed(boursed, ['user', 'add', name, '--role', role, '--password-stdin', '--data-dir', dataDir],
                     `${PASSWORD}\n`, env);

  const log = [];
  const child = spawn(boursed, ['serve', '--port', '0', '--data-dir', dataDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.on('data', (chunk) => log.push(String(chunk)));
  const url = await within(START_TIMEOUT_MS, 'boursed to print "Listening on …"', new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      log.push(String(chunk));
      const match = /^Listening on (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(stdout);
      if (match) resolve(match[1]);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`boursed exited with ${code ?? signal}:\n${log.join('')}`)));
  }));

  const tokens = {};
  const permissions = {};
  for (const [role, name] of Object.entries(roles)) {
    const response = await fetch(new URL('api/v1/auth/login', url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: name, password: PASSWORD }),
    });
    if (response.status !== 200) throw new Error(`${name} could not sign in: ${await response.text()}`);
    tokens[role] = (await response.json()).access_token;
    const answer = await (await fetch(new URL('api/v1/permissions', url),
                                      { headers: { Authorization: `Bearer ${tokens[role]}` } })).json();
    permissions[role] = new Set(answer.permissions ?? answer.items ?? []);
  }

  return {
    url, tokens, permissions, log, env, dataDir, roles, password: PASSWORD,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await within(30_000, 'boursed to stop', exited(child)).catch(() => child.kill('SIGKILL'));
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}
