-- bench/trading/orders.lua — wrk script: MARKET paper orders, BUY and SELL in turn
--
-- Copyright 2026 The Bourse Authors
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- POST /api/v1/orders with the bearer token in BENCH_TOKEN, for BENCH_SYMBOL
-- and BENCH_QUANTITY; each thread alternates BUY and SELL across its
-- connections, so the position stays near the inventory run bought first.
-- Counts the 201s and the rest per thread and prints one line
-- "BENCH key=value…" at the end: created, other, requests, seconds,
-- latency percentiles in milliseconds (wrk's own histogram).

local token = os.getenv("BENCH_TOKEN")
local symbol = os.getenv("BENCH_SYMBOL") or "BENCHUSDT"
local quantity = os.getenv("BENCH_QUANTITY") or "0.1"
local threads = {}
local bodies = {}
local n = 0

created = 0
other = 0
first_other = ""

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.path = "/api/v1/orders"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
  for i, side in ipairs({ "BUY", "SELL" }) do
    bodies[i - 1] = string.format('{"symbol":"%s","side":"%s","type":"MARKET","quantity":"%s"}',
                                  symbol, side, quantity)
  end
end

function request()
  n = n + 1
  return wrk.format(nil, nil, nil, bodies[n % 2])
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  else
    other = other + 1
    if other == 1 then
      first_other = status .. " " .. string.sub(body, 1, 300)
    end
  end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    o = o + thread:get("other")
    local text = thread:get("first_other")
    if text ~= "" then
      io.stderr:write("orders.lua: not created: " .. text .. "\n")
    end
  end
  io.write(string.format("BENCH created=%d other=%d requests=%d seconds=%.3f rate=%.1f " ..
                         "p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f errors=%d\n",
                         c, o, summary.requests, summary.duration / 1e6,
                         summary.requests / (summary.duration / 1e6),
                         latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
                         latency:percentile(99) / 1e3, latency.max / 1e3, latency.mean / 1e3,
                         summary.errors.connect + summary.errors.read + summary.errors.write +
                         summary.errors.timeout))
end
