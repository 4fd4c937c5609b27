// requests.mjs — a valid request for every operation, in an order where each
// finds what it needs
//
// contract.test.mjs checks every answer against the document and fails on an
// operation no request here reached with a success: a new route needs its
// line here.
//
// Copyright 2026 The Bourse Authors
// SPDX-License-Identifier: GPL-3.0-or-later

import { createHmac } from 'node:crypto';
import { request } from 'node:http';

import { seedScenario } from './seed-requests.mjs';

// A WebSocket handshake by hand (Node 18 has no WebSocket client): the
// status line is what the document describes.
function upgrade(url, token) {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: {
        Authorization: `Bearer ${token}`,
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    });
    req.on('upgrade', (response, socket) => {
      socket.destroy();
      resolve(response.statusCode);
    });
    req.on('response', (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
}

export async function scenario({ call, tokens, server, succeeded }) {
  const admin = { token: tokens.admin };
  const pendingApproval = webhookApprovals(call, admin);

  // System
  await call('getHealth');
  await call('getLiveness');
  await call('getReadiness');
  await call('getMetrics', admin);
  await call('getOpenApi');
  await call('getApiDocs');
  await call('getVersion', admin);
  await call('getSystemStatus', admin);
  if (await upgrade(new URL('api/v1/ws', server.url), tokens.admin) === 101)
    succeeded.add('openWebSocket');

  // First run: server.mjs made the administrator with the setup address
  // (201); it works once, so here it answers 409.
  await call('getSetup');
  if (server.setUpStatus === 201)
    succeeded.add('setUp');
  await call('setUp', { body: { token: server.setupToken, username: 'second', password: server.password },
                        why: 'used once' });

  // Operations: configuration, logs, the scheduler, notifications, devices
  await call('getConfig', admin);
  await call('getConfigSection', { ...admin, params: { section: 'log' } });
  await call('updateConfigSection', { ...admin, params: { section: 'log' }, body: { level: 'info' } });
  await call('exportConfig', admin);
  await call('importConfig', { ...admin, query: { dry_run: 'true' }, rawBody: '[log]\nlevel = message\n',
                               headers: { 'Content-Type': 'text/plain' } });
  await call('listLogs', { ...admin, query: { limit: '5', since: '2020-01-01' } });
  await call('listSchedulerJobs', admin);
  await call('listSchedulerRuns', admin);
  await call('updateNotificationPreferences', { ...admin, body: { events: { heartbeat: ['email'] } } });
  await call('getNotificationPreferences', admin);
  await call('updateNotificationDefaults', { ...admin, body: { events: { heartbeat: ['email', 'desktop'] } } });
  await call('testNotification', { ...admin, body: { channel: 'desktop' } });
  await call('listNotifications', admin);
  const device = await call('registerDevice', { ...admin, body: { platform: 'web', token: 'contract-device-0001' } });
  await call('listDevices', { ...admin, query: { all: 'true' } });
  await call('deleteDevice', { ...admin, params: { id: device.body.id } });

  // Backtests and optimisations, over the simulated market's last day
  const hour = 3600_000;
  const window = {
    strategy: 'sma-cross', symbol: 'BTCUSDT', interval: '1h', params: { fast: 3, slow: 6 },
    start: new Date(Date.now() - 30 * hour).toISOString(), end: new Date(Date.now() - 2 * hour).toISOString(),
  };
  const finished = async (id, params) => {
    for (let i = 0; i < 600; i++) {
      const { body } = await call(id, { ...admin, params });
      if (!['queued', 'running'].includes(body.status)) return body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${id} ${JSON.stringify(params)} did not end`);
  };
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const { body } = await call('runBacktest', { token: tokens.trader, body: window });
    runs.push(body.backtest.id);
    await finished('getBacktest', { id: body.backtest.id });
  }
  await call('listBacktests', { ...admin, query: { limit: '1' } });
  await call('compareBacktests', { ...admin, body: { ids: runs } });
  await call('noteBacktest', { token: tokens.trader, params: { id: runs[0] }, body: { note: 'contract' } });
  await call('deleteBacktest', { token: tokens.trader, params: { id: runs[0] } });
  const search = await call('runOptimisation', {
    token: tokens.trader, body: { ...window, space: { fast: [2, 3], slow: { min: 5, max: 6, step: 1 } } },
  });
  const optimisation = search.body.optimisation.id;
  await finished('getOptimisation', { id: optimisation });
  await call('listOptimisations', { ...admin, query: { limit: '1' } });
  await call('noteOptimisation', { token: tokens.trader, params: { id: optimisation }, body: { note: 'contract' } });
  // The live strategy it is applied to, made without the document (another part's route).
  const live = await (await fetch(new URL('api/v1/strategies', server.url), {
    method: 'POST',
    headers: { Authorization: `Bearer ${tokens.admin}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Contract', strategy: 'sma-cross', symbol: 'BTCUSDT', interval: '1h' }),
  })).json();
  await call('applyOptimisation', { ...admin, params: { id: optimisation }, body: { live_strategy_id: live.id } });
  await call('deleteOptimisation', { token: tokens.trader, params: { id: optimisation } });

  await marketAndDesk(call, admin);

  // The seeds' aliases (they stop and start the trading loop).
  await seedScenario({ call, tokens, server, succeeded, upgrade, pendingApproval });

  // Auth and users: a session of its own for the calls that end one
  const password = server.password;
  const signIn = async () => (await call('login', { body: { username: server.roles.trader, password } })).body;
  const spare = await signIn();
  await call('refreshTokens', { body: { refresh_token: spare.refresh_token } });
  await call('logout', { token: (await signIn()).access_token });
  await call('register', { body: { username: 'newcomer', email: 'newcomer@example.com',
                                   password: 'a contract password 1', role: 'admin' } });
  await call('getMe', admin);
  await call('getPermissions', admin);
  const users = await call('listUsers', { ...admin, query: { status: 'pending' } });
  const newcomer = users.body.items.find((user) => user.username === 'newcomer');
  if (newcomer?.role !== 'viewer') throw new Error('a role chosen at registration was not ignored');
  await call('approveUser', { ...admin, params: { id: newcomer.id } });
  await call('register', { body: { username: 'unwelcome', email: 'unwelcome@example.com',
                                   password: 'a contract password 4' } });
  const unwelcome = (await call('listUsers', { ...admin, query: { status: 'pending' } }))
    .body.items.find((user) => user.username === 'unwelcome');
  await call('declineUser', { ...admin, params: { id: unwelcome.id }, body: { reason: 'Not a member of the desk' } });
  await call('updateUser', { ...admin, params: { id: newcomer.id }, body: { role: 'trader' } });
  await call('createPasswordReset', { ...admin, params: { id: newcomer.id } });
  await call('requestPasswordReset', { body: { username: 'nobody' } });
  const reset = await call('createPasswordReset', { ...admin, params: { id: newcomer.id } });
  await call('confirmPasswordReset', { body: { token: reset.body.reset_token, new_password: 'a contract password 2' } });
  const made = await call('createUser', { ...admin, body: { username: 'shortlived', email: 'short@example.com',
                                                            password: 'a contract password 3', role: 'viewer' } });
  await call('deleteUser', { ...admin, params: { id: made.body.id } });
  await call('updateMe', { token: tokens.viewer, body: { email: 'watcher@example.com' } });
  await call('listSessions', { ...admin, query: { scope: 'all' } });
  const sessions = await call('listSessions', { token: spare.access_token, query: { scope: 'own' } });
  await call('revokeSession', { ...admin, params: { id: sessions.body.items.find((s) => s.current).id } });
  const key = await call('createApiKey', { ...admin, body: { name: 'contract', role: 'viewer', expires_at: '2099-12-31' } });
  await call('listApiKeys', admin);
  await call('revokeApiKey', { ...admin, params: { id: key.body.id } });
  await call('listAudit', { ...admin, query: { limit: '5', since: '2020-01-01' } });
  await call('verifyAudit', admin);

  // Trading, on the simulated market's prices: a limit far below the last
  // price rests however the market moves meanwhile.
  const trader = { token: tokens.trader };
  const order = { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quote_quantity: '100' };
  await call('placeOrder', { ...trader, query: { dry_run: 'true' }, body: order });
  await call('placeOrder', { ...trader, body: { ...order, client_order_id: 'contract-1' } });
  const far = (await lastPrice(call, admin, 'BTCUSDT')) / 10;
  const resting = await call('placeOrder', { ...trader, body: {
    symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: (Math.ceil(100 / far * 1000) / 1000).toFixed(3),
    price: far.toFixed(2), time_in_force: 'GTC' } });
  await call('listOrders', { ...trader, query: { status: 'open', limit: '10' } });
  await call('getOrder', { ...trader, params: { id: resting.body.id } });
  await call('cancelOrder', { ...trader, params: { id: resting.body.id } });
  await call('cancelOrders', { ...trader, query: { symbol: 'BTCUSDT' } });
  await call('listFills', { ...trader, query: { limit: '10' } });
  await call('openTrade', { ...trader, body: { symbol: 'ETHUSDT', side: 'BUY', quote_quantity: '100' } });
  const trades = await call('listTrades', { ...trader, query: { status: 'open' } });
  const trade = trades.body.items.find((item) => item.symbol === 'ETHUSDT');
  await call('getTrade', { ...trader, params: { id: trade.id } });
  await call('closeTrade', { ...trader, params: { id: trade.id } });

  // Approvals to execute, each from a signed webhook's signal
  const approved = async (comment) => {
    const { id } = await pendingApproval(comment);
    await call('approveApproval', { ...admin, params: { id }, body: {} });
    return id;
  };
  const first = await approved('contract 1');
  await call('executeApproval', { ...trader, params: { id: first }, query: { dry_run: 'true' }, body: {} });
  await call('executeApproval', { ...trader, params: { id: first }, body: {} });
  await call('executeApprovalSeed', { ...trader, body: { approval_id: await approved('contract 2') } });

  await call('getPortfolio', trader);
  await call('getPnl', trader);
  await call('getEquityCurve', { ...trader, query: { start: '2020-01-01', interval: '1d' } });
  await call('getPnlCalendar', { ...trader, query: { tz: 'Europe/Berlin' } });
  await call('listBalanceChanges', { ...trader, query: { asset: 'USDT', limit: '10' } });
  await call('listPositions', trader);
  await call('stopTrading', admin);
  await call('startTrading', admin);
  await call('restartTrading', admin);
  await call('setTradingMode', { ...admin, body: { mode: 'paper' } });

  // Exchange: no keys on a fresh engine
  await call('getExchange', admin);
  await call('deleteExchangeKeys', admin);
  await call('listReconciliations', admin);

  // Risk, left as it was found
  const limits = await call('getRiskLimits', admin);
  await call('setRiskLimits', { ...admin, body: { max_open_orders: limits.body.max_open_orders } });
  await call('getRiskProfile', trader);
  await call('setRiskProfile', { ...trader, body: { risk_per_trade: '0.01' } });
  await call('getRiskState', trader);
  await call('reduceTrading', { ...admin, body: { reason: 'contract' } });
  await call('haltTrading', { ...admin, body: { reason: 'contract', cancel_orders: true } });
  await call('resumeTrading', admin);

  // Live, last, on the fake Binance of server.mjs: the keys checked and
  // kept, checked again, the gate to live, a reconciliation asked for once
  // the switch's own has ended, and back to paper. (The halt above
  // canceled the paper orders, which would hold the gate shut.)
  await call('setExchangeKeys', { ...admin, body: server.exchangeKeys });
  await call('checkExchangeKeys', admin);
  const gate = await call('setTradingMode', { ...admin, body: { mode: 'live', confirm: 'LIVE' } });
  if (gate.status !== 200) throw new Error(`the switch to live answered ${gate.status}: ${JSON.stringify(gate.body)}`);
  await until('the switch to live to reconcile', async () =>
    (await call('listReconciliations', { ...admin, query: { limit: '1' } })).body.items.length > 0);
  await call('reconcile', admin);
  await call('listReconciliations', admin);
  await call('setTradingMode', { ...admin, body: { mode: 'paper' } });
  await call('deleteExchangeKeys', admin);
}

// The last price of @symbol, as a number (for levels a test sets; money in
// the engine stays decimal).
async function lastPrice(call, admin, symbol) {
  const price = Number((await call('getTicker', { ...admin, params: { symbol } })).body.last_price);
  if (!(price > 0)) throw new Error(`${symbol} has no last price`);
  return price;
}

// Pending approvals ({ id, entry }) of a BUY of BTCUSDT from a signed webhook's signal,
// with the levels the scenario sets: the stop-loss at half the last price
// and the take-profit at twice it. The simulated market moves while the
// scenario runs (a simulated minute a second), and an execution checks the
// take-profit against the price of that moment: levels an ATR away went
// stale between the signal and the execution; these hold whatever the
// market does meanwhile, and no bracket fills behind the scenario's back.
function webhookApprovals(call, admin) {
  let hook;
  return async (comment) => {
    hook ??= (await call('createWebhook', { ...admin, body: { name: 'contract trading' } })).body;
    const price = await lastPrice(call, admin, 'BTCUSDT');
    const levels = { price: price.toFixed(2), stop_loss: (price / 2).toFixed(2), take_profit: (price * 2).toFixed(2) };
    const signal = await call('receiveWebhookSignal', signed(hook, { symbol: 'BTCUSDT', action: 'buy', comment,
                                                                     ...levels }));
    if (!signal.body?.approval_id)
      throw new Error(`a webhook signal answered ${signal.status}: ${JSON.stringify(signal.body)}`);
    return { id: signal.body.approval_id, entry: price };
  };
}

// What a job or a live strategy does in its own time is waited for: asked
// again until it holds, with a deadline that fails the scenario.
async function until(what, check, deadlineMs = 120_000) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

// A signal through a webhook, signed as docs/DESK.md says.
function signed(hook, payload) {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', hook.secret).update(`${timestamp}.${body}`).digest('hex');
  return { params: { hook: hook.id }, rawBody: body,
           headers: { 'X-Bourse-Timestamp': timestamp, 'X-Bourse-Signature': `sha256=${signature}` } };
}

// Market, data, jobs, strategies, models, the desk and webhooks.
async function marketAndDesk(call, admin) {
  // A live strategy on one-minute candles first: its first signal comes at
  // the next closed candle of the simulated market, waited for at the end.
  const live = (await call('createLiveStrategy', { ...admin, body: {
    name: 'contract', strategy: 'A', symbol: 'BTCUSDT', interval: '1m' } })).body;

  await call('listHealthComponents', admin);

  // Market
  await call('listInstruments', admin);
  await call('createInstrument', { ...admin, body: {
    symbol: 'APIUSDT', base_asset: 'API', quote_asset: 'USDT', tick_size: '0.00000001', lot_step: '0.00000001' } });
  await call('getInstrument', { ...admin, params: { symbol: 'APIUSDT' } });
  await call('updateInstrument', { ...admin, params: { symbol: 'APIUSDT' }, body: { min_notional: '1' } });
  const page = (await call('listCandles', { ...admin, params: { symbol: 'BTCUSDT' },
                                            query: { interval: '1h', limit: '3' } })).body;
  await call('listCandles', { ...admin, params: { symbol: 'BTCUSDT' },
                              query: { interval: '1h', limit: '3', cursor: page.next_cursor } });
  // Backwards from the newest, then on from its next_cursor, and from a time in each form.
  const newest = (await call('listCandles', { ...admin, params: { symbol: 'BTCUSDT' },
                                              query: { interval: '1h', limit: '3', before: 'latest' } })).body;
  if (newest.items.length > 1 && !(newest.items[0].open_time > newest.items[1].open_time))
    throw new Error('candles before=latest did not come newest first');
  if (newest.next_cursor !== null)
    await call('listCandles', { ...admin, params: { symbol: 'BTCUSDT' },
                                query: { interval: '1h', limit: '3', before: 'latest', cursor: newest.next_cursor } });
  for (const before of [String(page.items[2].open_time), '2024-01-01', '2024-01-01T00:00:00Z'])
    await call('listCandles', { ...admin, params: { symbol: 'BTCUSDT' }, query: { interval: '1h', limit: '3', before } });
  await call('getTicker', { ...admin, params: { symbol: 'BTCUSDT' } });
  const window = { start: String(page.items[0].open_time), end: String(page.items[2].open_time) };
  const file = (await call('exportCandles', { ...admin, query: { symbol: 'BTCUSDT', interval: '1h', ...window } })).body;
  await call('importCandles', { ...admin, query: { symbol: 'APIUSDT', interval: '1h' }, rawBody: file,
                                headers: { 'Content-Type': 'text/csv' } });
  await call('deleteInstrument', { ...admin, params: { symbol: 'APIUSDT' }, query: { purge: 'true' } });

  // Downloads and jobs: the exchange of this suite never answers
  // (server.mjs), so a download is still running when it is cancelled.
  await call('createInstrument', { ...admin, body: {
    symbol: 'BINUSDT', base_asset: 'BIN', quote_asset: 'USDT', tick_size: '0.01', lot_step: '0.001',
    source: 'binance' } });
  const download = { symbol: 'BINUSDT', interval: '1h', start: '2024-01-01', end: '2024-01-02' };
  const job = (await call('downloadCandles', { ...admin, body: download })).body;
  const cancelled = await call('cancelJob', { ...admin, params: { id: job.id } });
  if (cancelled.status !== 202) throw new Error(`a running download's cancel answered ${cancelled.status}`);
  const jobs = (await call('listJobs', { ...admin, query: { limit: '1' } })).body;
  await call('listJobs', { ...admin, query: { limit: '1', cursor: jobs.next_cursor } });
  await call('getJob', { ...admin, params: { id: jobs.items[0].id } });

  // Strategies and models
  await call('listStrategyTypes', admin);
  await call('listLiveStrategies', admin);
  await call('getLiveStrategy', { ...admin, params: { id: live.id } });
  await call('updateLiveStrategy', { ...admin, params: { id: live.id }, body: { name: 'contract, renamed' } });
  const end = page.items[2].open_time;
  const training = (await call('trainModel', { ...admin, body: {
    strategy: 'kalman', symbol: 'BTCUSDT', interval: '1m', start: end - 86_400_000, end } })).body;
  await until('the model trained', async () =>
    (await call('getJob', { ...admin, params: { id: training.id } })).body.status === 'succeeded');
  const model = (await call('listModels', { ...admin, query: { strategy: 'kalman' } })).body.items[0];
  await call('getModel', { ...admin, params: { id: model.id } });
  const kalman = (await call('createLiveStrategy', { ...admin, body: {
    name: 'contract kalman', strategy: 'kalman', symbol: 'BTCUSDT', interval: '1m', enabled: false } })).body;
  await call('deployModel', { ...admin, body: { model_id: model.id, strategy_id: kalman.id } });
  await call('deleteLiveStrategy', { ...admin, params: { id: kalman.id } });

  // The desk
  const recommendation = (await call('createRecommendation', { ...admin, body: {
    symbol: 'BTCUSDT', interval: '1m', strategy: 'A', last_n_days: 1 } })).body;
  await call('listRecommendations', admin);
  await call('getRecommendation', { ...admin, params: { id: recommendation.id } });

  // Webhooks: each signal makes a recommendation and its pending approval.
  const hook = (await call('createWebhook', { ...admin, body: { name: 'contract' } })).body;
  await call('listWebhooks', admin);
  const first = (await call('receiveWebhookSignal', signed(hook, { symbol: 'BTCUSDT', action: 'buy' }))).body;
  const second = (await call('receiveWebhookSignal', signed(hook, { symbol: 'BTCUSDT', action: 'sell' }))).body;
  await call('listApprovals', { ...admin, query: { status: 'pending' } });
  await call('getApproval', { ...admin, params: { id: first.approval_id } });
  await call('rejectApproval', { ...admin, params: { id: first.approval_id }, body: { reason: 'contract' } });
  await call('approveApproval', { ...admin, params: { id: second.approval_id }, body: {} });
  await call('revokeWebhook', { ...admin, params: { id: hook.id } });

  // Signals: the live strategy's first, at the next closed one-minute candle (a second away).
  const signal = await until('a signal of the live strategy', async () =>
    (await call('listSignals', { ...admin, query: { strategy_id: String(live.id) } })).body.items[0]);
  await call('getSignal', { ...admin, params: { id: signal.id } });
  await call('filterSignals', { ...admin, body: { strategy_ids: [live.id], limit: 10 } });
  await call('deleteLiveStrategy', { ...admin, params: { id: live.id } });
}
