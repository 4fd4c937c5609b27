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
}
