// requests.mjs — a valid request for every operation, in an order where each
// finds what it needs
//
// contract.test.mjs checks every answer against the document and fails on an
// operation no request here reached with a success: a new route needs its
// line here.
//
// Copyright 2026 The Bourse Authors
// SPDX-License-Identifier: GPL-3.0-or-later

import { request } from 'node:http';

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

  // System
  await call('getHealth');
  await call('getLiveness');
  await call('getReadiness');
  await call('getMetrics', admin);
  await call('getOpenApi');
  await call('getVersion', admin);
  await call('getSystemStatus', admin);
  if (await upgrade(new URL('api/v1/ws', server.url), tokens.admin) === 101)
    succeeded.add('openWebSocket');

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
}
