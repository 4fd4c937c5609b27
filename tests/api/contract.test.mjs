// contract.test.mjs — the OpenAPI document against the server that serves it
//
// Run by `meson test --suite api` (tests/api/meson.build) with BOURSED set to
// the built daemon; @redocly/cli and ajv come from tests/api/node_modules,
// which `build-aux/dev test` installs with `npm ci`.
//
// 1. The document passes `redocly lint` with the recommended rules, no
//    warning either (the one exception, a WebSocket's 101, is in
//    redocly-lint-ignore.yaml).
// 2. Every operation is called: with a valid request (the scenario in
//    requests.mjs, which must reach every operation with a success), without
//    credentials, as a role that lacks its permission, with a malformed body
//    and with path parameters that name nothing. Each answer's status must be
//    one the document lists for the operation, and its body must validate
//    against the schema the document gives for that status.
//
// Copyright 2026 The Bourse Authors
// SPDX-License-Identifier: GPL-3.0-or-later

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { startServer } from './server.mjs';
import { scenario } from './requests.mjs';

const require = createRequire(import.meta.url);
const here = new URL('.', import.meta.url).pathname;

function load(name) {
  try {
    return require(name);
  } catch (error) {
    return null;
  }
}

const Ajv2020 = load('ajv/dist/2020.js');
const addFormats = load('ajv-formats');
const REDOCLY = join(here, 'node_modules', '.bin', 'redocly');
const BOURSED = process.env.BOURSED;

if (!Ajv2020 || !addFormats || !BOURSED) {
  const message = !BOURSED
    ? 'BOURSED is not set: run through `meson test --suite api` (or `build-aux/dev test`)'
    : `ajv is not installed. Run \`build-aux/dev test\`, which installs it, or: npm ci --prefix ${here} --no-audit --no-fund`;
  it('has its prerequisites', () => assert.fail(message));
} else {
  // Under the sanitizers on a busy machine the scenario takes minutes: the
  // bound is just below meson's (300 s, times 3 for the sanitizer build).
  describe('the API contract', { timeout: 840_000 }, contractSuite);
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

// "/api/v1/orders/{id}" with { id: 7 } → "/api/v1/orders/7".
function fillPath(pattern, params = {}) {
  return pattern.replace(/\{([^}]+)\}/g, (_, name) => {
    if (!(name in params)) throw new Error(`${pattern}: no value for {${name}}`);
    return encodeURIComponent(String(params[name]));
  });
}

function contractSuite() {
  let server, document, ajv;
  const operations = new Map();   // operationId → { method, pattern, operation }
  const succeeded = new Set();    // operationIds answered with a success
  const faults = [];              // what the answers got wrong, a line each

  before(async () => {
    server = await startServer(BOURSED);
    const response = await fetch(new URL('api/v1/openapi.json', server.url));
    assert.equal(response.status, 200);
    document = await response.json();

    ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'bourse', components: document.components }, 'bourse');

    for (const [pattern, item] of Object.entries(document.paths))
      for (const method of METHODS)
        if (item[method])
          operations.set(item[method].operationId, { method: method.toUpperCase(), pattern, operation: item[method] });
  });

  after(async () => {
    if (server) await server.stop();
  });

  // The schema the document gives for @status of @operation, or undefined
  // when the status is not listed at all.
  function responseFor(operation, status) {
    return operation.responses[String(status)];
  }

  function schemaRef(schema) {
    // Component references point into the document: resolve them in the
    // schema registered above.
    return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"bourse#/components/'));
  }

  // Sends a request and checks the answer against the document; returns
  // { status, body, headers }.
  async function call(id, { params, query, body, rawBody, token, headers = {}, why = 'valid' } = {}) {
    const entry = operations.get(id);
    if (!entry) throw new Error(`no operation ${id} in the document`);
    const { method, pattern, operation } = entry;
    const url = new URL(fillPath(pattern, params).replace(/^\//, ''), server.url);
    for (const [name, value] of Object.entries(query ?? {})) url.searchParams.set(name, value);
    const init = { method, headers: { ...headers } };
    if (token) init.headers.Authorization = `Bearer ${token}`;
    if (rawBody !== undefined || body !== undefined) {
      init.headers['Content-Type'] ??= 'application/json';
      init.body = rawBody ?? JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      // fetch says only "fetch failed": the cause says whether the server
      // closed the connection, reset it or never answered.
      const cause = error.cause ? ` (${error.cause.code ?? error.cause.name}: ${error.cause.message})` : '';
      throw new Error(`${method} ${url.pathname} (${id}, ${why}): ${error.message}${cause}`);
    }
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    let parsed = text;
    if (/json/.test(type) && text.length > 0) parsed = JSON.parse(text);

    const where = `${method} ${url.pathname}${url.search} (${id}, ${why})`;
    const documented = responseFor(operation, response.status);
    if (!documented) {
      faults.push(`${where}: answered ${response.status}, which the document does not list ` +
                  `(${Object.keys(operation.responses).join(', ')}): ${text.slice(0, 300)}`);
    } else if (documented.content) {
      const [mediaType, media] = Object.entries(documented.content)[0];
      if (!type.startsWith(mediaType.split(';')[0]))
        faults.push(`${where}: ${response.status} came as ${type}, the document says ${mediaType}`);
      else if (media.schema && /json/.test(mediaType)) {
        const validate = ajv.compile(schemaRef(media.schema));
        if (!validate(parsed))
          faults.push(`${where}: the ${response.status} answer does not match its schema: ` +
                      `${ajv.errorsText(validate.errors, { separator: '; ' })}\n    ${text.slice(0, 400)}`);
      }
    } else if (text.length > 0 && response.status !== 101) {
      faults.push(`${where}: ${response.status} has a body the document does not describe`);
    }
    if (response.status >= 200 && response.status < 300) succeeded.add(id);
    return { status: response.status, body: parsed, headers: response.headers };
  }

  it('passes redocly lint with the recommended rules, without a warning', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bourse-openapi-'));
    try {
      const file = join(dir, 'openapi.json');
      await writeFile(file, JSON.stringify(document, null, 2));
      await copyFile(join(here, 'redocly-lint-ignore.yaml'), join(dir, '.redocly.lint-ignore.yaml'));
      let output;
      try {
        const result = await promisify(execFile)(REDOCLY, ['lint', '--format=stylish', '--extends=recommended', file],
                                                  { cwd: dir, timeout: 120_000 });
        output = result.stdout + result.stderr;
      } catch (error) {
        assert.fail(`redocly lint failed:\n${error.stdout}${error.stderr}`);
      }
      assert.doesNotMatch(output, /warning/i, `redocly lint warned:\n${output}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers every operation as the document says', async () => {
    const tokens = server.tokens;

    // The scenario: valid requests in an order where each finds what it
    // needs (an instrument before its candles, an order before its cancel).
    try {
      await scenario({ call, tokens, server, operations, succeeded });
    } catch (error) {
      // What boursed said about it, which the assertion alone does not show.
      error.message += `\nboursed's log, its end:\n${logTail()}`;
      throw error;
    }

    for (const [id, { pattern, operation }] of operations) {
      const hasPath = /\{/.test(pattern);
      const nowhere = Object.fromEntries([...pattern.matchAll(/\{([^}]+)\}/g)].map(([, name]) => {
        const parameter = (operation.parameters ?? []).find((p) => p.in === 'path' && p.name === name);
        const type = parameter?.schema?.type ?? 'string';
        return [name, type === 'integer' ? 987654321 : 'NOSUCHTHING9'];
      }));
      const params = hasPath ? nowhere : {};
      const permission = operation['x-permission'];

      if (permission) {
        // No credentials: 401, whatever the route.
        const anonymous = await call(id, { params, why: 'without credentials', body: operation.requestBody ? {} : undefined });
        if (anonymous.status !== 401)
          faults.push(`${id}: answered ${anonymous.status} without credentials, not 401`);
        // A role without the permission: 403.
        for (const role of ['viewer', 'trader']) {
          if (server.permissions[role].has(permission)) continue;
          const refused = await call(id, { params, token: tokens[role], why: `as a ${role}`,
                                           body: operation.requestBody ? {} : undefined });
          if (refused.status !== 403)
            faults.push(`${id}: answered ${refused.status} to a ${role} (without ${permission}), not 403`);
          break;
        }
      }

      // A body that does not parse: 400; one of another type: 415. (Only
      // JSON bodies; uploads have their own checks.)
      const json = operation.requestBody?.content?.['application/json'];
      if (json) {
        const malformed = await call(id, { params, rawBody: '{"unclosed": ', token: tokens.admin, why: 'malformed body' });
        if (malformed.status !== 400 && malformed.status !== 404)
          faults.push(`${id}: answered ${malformed.status} to a malformed body, not 400`);
        const form = await call(id, { params, rawBody: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
                                      token: tokens.admin, why: 'a body that is not JSON' });
        if (form.status !== 415 && form.status !== 404)
          faults.push(`${id}: answered ${form.status} to a form instead of JSON, not 415`);
      }

      // Path parameters that name nothing: never a success, never a 500
      // (call() checks the status is documented). Bodiless writes are
      // left out: nothing to gain, and a DELETE of an existing thing is
      // what the scenario does.
      if (hasPath && (entryMethod(id) === 'GET' || json))
        await call(id, { params: nowhere, token: tokens.admin, why: 'a path naming nothing',
                         body: json ? {} : undefined });
    }

    const missing = [...operations.keys()].filter((id) => !succeeded.has(id));
    if (missing.length)
      faults.push(`no valid request reached these operations with a success (add them to requests.mjs): ${missing.join(', ')}`);
    assert.equal(faults.length, 0, `${faults.length} faults:\n${faults.join('\n')}\n` +
                                   `boursed's log, its end:\n${logTail()}`);
  });

  function logTail() {
    return server.log.join('').split('\n').slice(-80).join('\n');
  }

  function entryMethod(id) {
    return operations.get(id).method;
  }
}
