# bench/http/fastapi_service.py — the comparison for bench/http/run.sh: the
# seeds' stack (FastAPI on uvicorn, PyJWT, sqlite3) serving the three routes
# the bench measures, with byte-identical JSON bodies.
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: python3 fastapi_service.py --csv FILE --symbol SYMBOL --data-dir DIR
#                                   --version V --profile P --schema-version N
#
# Loads the same candle file boursed imported into its own SQLite database,
# makes one user and one session, writes an access token for them to
# DIR/token, and listens on a free loopback port, printing the line boursed
# prints ("Listening on http://127.0.0.1:PORT/") so run.sh reads both alike.
#
# Written the way a FastAPI service is usually written, with the choices
# that favour it where there is one: async path operations (no thread pool
# hop), one SQLite connection for the process (none opened per request),
# uvloop and httptools when installed (uvicorn picks them), bodies
# serialised by json.dumps into a Response (no jsonable_encoder pass), the
# listen backlog uvicorn uses (2048), no access log. Each authenticated request
# checks the token's signature and expiry and that its session is live,
# as boursed does.

import argparse
import decimal
import json
import os
import socket
import sqlite3
import sys
import time

import jwt
import uvicorn
from fastapi import Depends, FastAPI, Header, HTTPException, Query
from fastapi.responses import Response

UNIT = 10**8
BACKLOG = 2048

parser = argparse.ArgumentParser()
parser.add_argument("--csv", required=True)
parser.add_argument("--symbol", required=True)
parser.add_argument("--data-dir", required=True)
parser.add_argument("--version", required=True)
parser.add_argument("--profile", required=True)
parser.add_argument("--schema-version", type=int, required=True)
args = parser.parse_args()

SIGNING_KEY = os.urandom(32)
STARTED = time.monotonic()


def units(text):
    return int(decimal.Decimal(text) * UNIT)


def load_database(path):
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.executescript(
        """
        PRAGMA journal_mode = WAL;
        CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT NOT NULL, role TEXT NOT NULL,
                            status TEXT NOT NULL);
        CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users (id),
                               revoked_at TEXT);
        CREATE TABLE instruments (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL UNIQUE, source TEXT NOT NULL);
        CREATE TABLE candles (instrument_id INTEGER NOT NULL, interval TEXT NOT NULL, open_time INTEGER NOT NULL,
                              open INTEGER NOT NULL, high INTEGER NOT NULL, low INTEGER NOT NULL,
                              close INTEGER NOT NULL, volume INTEGER NOT NULL, trades INTEGER NOT NULL,
                              closed INTEGER NOT NULL, PRIMARY KEY (instrument_id, interval, open_time));
        INSERT INTO users VALUES (1, 'bench', 'admin', 'active');
        INSERT INTO sessions VALUES (1, 1, NULL);
        """
    )
    db.execute("INSERT INTO instruments VALUES (1, ?, 'csv')", (args.symbol,))
    with open(args.csv) as lines:
        next(lines)
        rows = []
        for line in lines:
            t, o, h, l, c, v, n = line.strip().split(",")
            rows.append((int(t), units(o), units(h), units(l), units(c), units(v), int(n)))
    db.executemany("INSERT INTO candles VALUES (1, '1m', ?, ?, ?, ?, ?, ?, ?, 1)", rows)
    return db


db = load_database(os.path.join(args.data_dir, "fastapi.db"))
app = FastAPI()


def reply(body):
    # What FastAPI's JSONResponse writes (compact, UTF-8), without the
    # jsonable_encoder pass a returned dict goes through: the faster way
    # FastAPI's documentation gives for large answers.
    return Response(json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode(),
                    media_type="application/json")


def decimal_text(value):
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}{value // UNIT}.{value % UNIT:08d}"


def principal(authorization: str = Header(None)):
    if authorization is None or not authorization.startswith("Bearer "):
        raise HTTPException(status_code=401, detail="Sign in first")
    try:
        claims = jwt.decode(authorization[7:], SIGNING_KEY, algorithms=["HS256"])
    except jwt.PyJWTError as error:
        raise HTTPException(status_code=401, detail=f"The access token is not valid: {error}")
    row = db.execute(
        "SELECT u.role, u.username FROM sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.id = ? AND s.user_id = ? AND s.revoked_at IS NULL AND u.status = 'active'",
        (int(claims["sid"]), int(claims["sub"])),
    ).fetchone()
    if row is None:
        raise HTTPException(status_code=401, detail="The session of this access token has ended")
    return {"user_id": int(claims["sub"]), "role": row[0], "username": row[1]}


@app.get("/health")
async def health():
    ok = db.execute("SELECT 1").fetchone() is not None
    return reply({
        "status": "ok" if ok else "unavailable",
        "version": args.version,
        "uptime_seconds": int(time.monotonic() - STARTED),
        "database": {"ok": ok, "schema_version": args.schema_version},
    })


@app.get("/api/v1/version")
async def version(who: dict = Depends(principal)):
    return reply({"version": args.version, "api": "v1", "profile": args.profile,
                  "schema_version": args.schema_version})


@app.get("/api/v1/market/candles/{symbol}")
async def candles(symbol: str, interval: str = Query(...), limit: int = Query(1000, ge=1, le=5000),
                  who: dict = Depends(principal)):
    instrument = db.execute("SELECT id, source FROM instruments WHERE symbol = ?", (symbol,)).fetchone()
    if instrument is None:
        raise HTTPException(status_code=404, detail="No such instrument")
    rows = db.execute(
        "SELECT open_time, open, high, low, close, volume, trades, closed FROM candles "
        "WHERE instrument_id = ? AND interval = ? ORDER BY open_time LIMIT ?",
        (instrument[0], interval, limit + 1),
    ).fetchall()
    more = len(rows) > limit
    items = [
        {
            "open_time": r[0],
            "close_time": r[0] + 60000 - 1,
            "open": decimal_text(r[1]),
            "high": decimal_text(r[2]),
            "low": decimal_text(r[3]),
            "close": decimal_text(r[4]),
            "volume": decimal_text(r[5]),
            "trades": r[6],
            "closed": bool(r[7]),
        }
        for r in rows[:limit]
    ]
    return reply({
        "symbol": symbol,
        "interval": interval,
        "simulated": instrument[1] == "simulated",
        "items": items,
        "next_cursor": str(rows[limit][0]) if more else None,
    })


def main():
    token = jwt.encode({"sub": "1", "sid": "1", "iat": int(time.time()), "exp": int(time.time()) + 3600},
                       SIGNING_KEY, algorithm="HS256")
    with open(os.path.join(args.data_dir, "token"), "w") as out:
        out.write(token)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(BACKLOG)
    print(f"Listening on http://127.0.0.1:{listener.getsockname()[1]}/", flush=True)

    config = uvicorn.Config(app, log_level="warning", access_log=False, backlog=BACKLOG)
    uvicorn.Server(config).run(sockets=[listener])


if __name__ == "__main__":
    sys.exit(main())
