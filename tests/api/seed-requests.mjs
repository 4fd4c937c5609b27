// seed-requests.mjs — a valid request for every seed alias (docs/API.md,
// "Seed compatibility"), as the seeds' own clients send it
//
// Run last by requests.mjs's scenario: it stops and starts the trading loop
// and deletes what it made. Setup that is not a seed's (a live strategy to
// deploy a model to, waiting for a job) goes through the real routes with
// plain requests, not through call (), so it checks nothing twice.
//
// Copyright 2026 The Bourse Authors
// SPDX-License-Identifier: GPL-3.0-or-later

const DAY_MS = 24 * 3600 * 1000;

async function api(server, token, method, path, body) {
  const init = { method, headers: { Authorization: `Bearer ${token}` } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(new URL(path.replace(/^\//, ''), server.url), init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

export async function seedScenario({ call, tokens, server, succeeded, upgrade, pendingApproval }) {
  const admin = { token: tokens.admin };
  const trader = { token: tokens.trader };

  // Seed 003, its README's requests: sign up (asking for admin, which is
  // ignored), sign in, recommend, approve, execute (a JSON number), reject.
  // What is approved and executed comes from a webhook's signal at levels
  // the scenario sets (requests.mjs): a recommendation's levels sit an ATR
  // from a market that moves while the scenario runs, and went stale before
  // the execution. The recommendation's own approval, whatever its
  // decision, is the one rejected.
  await call('seed003Register', { body: { username: 'seedling', password: 'strongpassword', role: 'admin' } });
  await call('seed003Login', { body: { username: server.roles.trader, password: server.password } });
  const recommended = await call('seed003Recommend', {
    ...trader, body: { symbol: 'BTCUSDT', interval: '15m', strategy: 'A', last_n_days: 1, params: { threshold: 0 } } });
  if (recommended.status !== 201)
    throw new Error(`seed 003's recommendation answered ${recommended.status}: ${JSON.stringify(recommended.body)}`);
  const approved = await pendingApproval('seed 003');
  await call('seed003Approve', { ...admin, params: { id: approved.id },
                                 body: { reason: 'Metrics look solid, proceed with paper test' } });
  // About 20 USDT's worth (above every demo instrument's minimum), as a
  // number of at most 3 decimals, as seed 003's client writes it.
  const quantity = Math.ceil((20 / approved.entry) * 1000) / 1000;
  await call('seed003ExecuteTrade', { ...admin, body: { approval_id: approved.id, quantity } });
  const rejected = recommended.body.approval_id ?? (await pendingApproval('seed 003, rejected')).id;
  await call('seed003Reject', { ...admin, params: { id: rejected }, body: { reason: 'Too risky' } });

  // Seed 004's endpoint list.
  await call('seed004GetSystemStatus', admin);
  await call('seed004SetSystemMode', { ...admin, body: { mode: 'paper' } });
  await call('seed004StopSystem', admin);
  await call('seed004StartSystem', admin);
  await call('seed004RestartSystem', admin);
  await call('seed004GetConfig', admin);
  await call('seed004GetConfigSection', { ...admin, params: { section: 'log' } });
  await call('seed004PutConfigSection', { ...admin, params: { section: 'log' }, body: { level: 'info' } });
  const exported = await call('seed004ExportConfig', admin);
  await call('seed004ImportConfig', { ...admin, query: { dry_run: 'true' }, rawBody: exported.body,
                                      headers: { 'Content-Type': 'text/plain' } });

  await call('seed004ListInstruments', admin);
  await call('seed004CreateInstrument', { ...admin, body: { symbol: 'SEEDUSDT', base_asset: 'SEED', quote_asset: 'USDT',
                                                            tick_size: '0.01', lot_step: '0.001' } });
  await call('seed004GetInstrument', { ...admin, params: { symbol: 'SEEDUSDT' } });
  await call('seed004UpdateInstrument', { ...admin, params: { symbol: 'SEEDUSDT' }, body: { status: 'halted' } });
  await call('seed004DeleteInstrument', { ...admin, params: { symbol: 'SEEDUSDT' } });

  // Signals come from live strategies on closed candles: one on the
  // simulated market's 1m candles, waited for.
  const strategy = await api(server, tokens.trader, 'POST', '/api/v1/strategies',
                             { name: 'seed-kalman', strategy: 'kalman', symbol: 'BTCUSDT', interval: '1m',
                               policy: 'notify-only' });
  if (strategy.status !== 201) throw new Error(`a live strategy: ${strategy.status} ${JSON.stringify(strategy.body)}`);
  await call('seed004FilterSignals', { ...admin, body: { symbols: ['BTCUSDT'] } });
  let signals;
  for (let i = 0; i < 600; i++) {
    signals = await call('seed004ListSignals', admin);
    if (signals.body.items?.length) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!signals.body.items?.length) throw new Error('no signal came from the live strategies in two minutes');
  await call('seed004GetSignal', { ...admin, params: { id: signals.body.items[0].id } });

  // A model trained on the simulated history, then deployed to that strategy.
  const now = Date.now();
  const job = await call('seed004TrainModel', { ...trader, body: { strategy: 'kalman', symbol: 'BTCUSDT', interval: '1m',
                                                                   start: now - DAY_MS, end: now } });
  for (let i = 0; job.body?.id && i < 600; i++) {
    const { body } = await api(server, tokens.trader, 'GET', `/api/v1/jobs/${job.body.id}`);
    if (!['queued', 'running'].includes(body.status)) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const models = await call('seed004ListModels', admin);
  if (!models.body.items?.length) throw new Error(`no model after the training job ${JSON.stringify(job.body)}`);
  await call('seed004GetModel', { ...admin, params: { id: models.body.items[0].id } });
  await call('seed004DeployModel', { ...trader, body: { model_id: models.body.items[0].id,
                                                        strategy_id: strategy.body.id } });
  await api(server, tokens.trader, 'DELETE', `/api/v1/strategies/${strategy.body.id}`);

  await call('seed004GetHealth');
  await call('seed004GetComponentHealth', admin);
  await call('seed004GetMetrics', admin);
  await call('seed004GetApiDocs');
  if (await upgrade(new URL('ws', server.url), tokens.admin) === 101)
    succeeded.add('seed004OpenWebSocket');
}
