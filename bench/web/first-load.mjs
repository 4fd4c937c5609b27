// first-load.mjs — the web console's first load over loopback in headless Chromium: bytes
// transferred and times, cold and with the browser's cache; the bundle's sizes compressed.
// Reported, never asserted (bench/web/run.sh runs it).
//
// Copyright 2026 The Bourse Authors
// SPDX-License-Identifier: GPL-3.0-or-later

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const [boursed, resourceDir, packages] = process.argv.slice(2);
const { chromium } = createRequire(join(packages, 'x.js'))('playwright-core');
const PASSWORD = 'correct horse battery staple';
const kB = (n) => `${(n / 1024).toFixed(1)} kB`;

// The bundle as built: what a first load of the console needs (index, its script, its chunks
// loaded at start, its style, the icon) and what the pages load later, compressed as a
// server or proxy would.
function sizes() {
  // Files only, the language catalogues (locale/) among them by their path.
  const rows = readdirSync(resourceDir, { recursive: true }).sort()
    .filter((name) => statSync(join(resourceDir, name)).isFile()).map((name) => {
    const data = readFileSync(join(resourceDir, name));
    return {
      name, raw: data.length, gzip: gzipSync(data, { level: 9 }).length,
      brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
  console.log('Bundle (build/src/server/web/resource)');
  console.log(`  ${'file'.padEnd(28)} ${'raw'.padStart(10)} ${'gzip -9'.padStart(10)} ${'brotli'.padStart(10)}`);
  for (const r of rows) console.log(`  ${r.name.padEnd(28)} ${kB(r.raw).padStart(10)} ${kB(r.gzip).padStart(10)} ${kB(r.brotli).padStart(10)}`);
  const sum = (filter) => rows.filter(filter).reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip, brotli: a.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  const consoleAll = sum((r) => !/^(docs|redoc)/.test(r.name));
  const docs = sum((r) => /^(docs|redoc)/.test(r.name));
  console.log(`  console, every chunk (the chart library included): ${kB(consoleAll.raw)} raw, ${kB(consoleAll.gzip)} gzip, ${kB(consoleAll.brotli)} brotli (goal: under 300 kB compressed)`);
  console.log(`  API docs page (Redoc):                              ${kB(docs.raw)} raw, ${kB(docs.gzip)} gzip, ${kB(docs.brotli)} brotli`);
}

async function serve(root) {
  const env = { ...process.env, BOURSE_AUTH_SECRETS_BACKEND: 'file', XDG_CONFIG_HOME: root, XDG_DATA_HOME: root,
                XDG_CACHE_HOME: root, BOURSE_SIMULATED_ENABLED: 'true', BOURSE_SIMULATED_BACKFILL_DAYS: '1',
                BOURSE_LOG_LEVEL: 'warning' };
  const data = join(root, 'data');
  execFileSync(boursed, ['user', 'add', 'owner', '--role', 'admin', '--password-stdin', '--data-dir', data],
               { input: `${PASSWORD}\n`, env, stdio: ['pipe', 'ignore', 'ignore'] });
  const child = spawn(boursed, ['serve', '--port', '0', '--data-dir', data], { env, stdio: ['ignore', 'pipe', 'ignore'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('boursed did not say where it listens')), 30_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /^Listening on (http:\/\/\S+)$/m.exec(out);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
  });
  return { child, url };
}

// Bytes on the wire (headers and bodies, as Chromium's network stack counts them) while `fn`
// runs, and how many requests.
async function transferred(page, fn) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0, requests = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; requests++; });
  const started = performance.now();
  await fn();
  const ms = performance.now() - started;
  await cdp.detach();
  return { bytes, requests, ms };
}

async function main() {
  sizes();
  const root = mkdtempSync(join(tmpdir(), 'bourse-bench-web-'));
  const { child, url } = await serve(root);
  const context = await chromium.launchPersistentContext(join(root, 'chromium'), {
    executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = context.pages()[0] ?? await context.newPage();
    console.log(`\nFirst load over loopback (${url}, headless Chromium, cold cache)`);
    const cold = await transferred(page, async () => {
      await page.goto(url, { waitUntil: 'load' });
      await page.locator('#sign-in').waitFor({ state: 'visible' });
    });
    const nav = await page.evaluate(() => {
      const [n] = performance.getEntriesByType('navigation');
      return { dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd };
    });
    console.log(`  sign-in form shown:   ${cold.ms.toFixed(0)} ms; ${kB(cold.bytes)} in ${cold.requests} requests ` +
                `(DOMContentLoaded ${nav.dcl.toFixed(0)} ms, load ${nav.load.toFixed(0)} ms)`);
    await page.fill('#login', 'owner');
    await page.fill('#password', PASSWORD);
    const signed = await transferred(page, async () => {
      await page.click('#sign-in button[type="submit"]');
      await page.waitForFunction(() => document.querySelector('main').dataset.sync === 'live', null, { timeout: 60_000 });
    });
    console.log(`  signed in, the first page in step with the server (interactive): ${signed.ms.toFixed(0)} ms; ` +
                `${kB(signed.bytes)} in ${signed.requests} requests (API reads and lazily loaded chunks)`);
    const warm = await transferred(page, async () => {
      await page.reload({ waitUntil: 'load' });
      await page.waitForFunction(() => document.querySelector('main').dataset.sync === 'live', null, { timeout: 60_000 });
    });
    console.log(`  reload, signed in (hashed files from the cache): ${warm.ms.toFixed(0)} ms to interactive; ` +
                `${kB(warm.bytes)} in ${warm.requests} requests`);
    const docs = await transferred(page, async () => {
      await page.goto(new URL('api/v1/docs', url).href, { waitUntil: 'load' });
      await page.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 60_000 });
    });
    console.log(`  /api/v1/docs, cold: ${docs.ms.toFixed(0)} ms to the operations listed; ${kB(docs.bytes)} in ${docs.requests} requests`);
  } finally {
    await context.close();
    child.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => { console.error(error); process.exit(1); });
