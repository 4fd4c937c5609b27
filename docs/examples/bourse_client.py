#!/usr/bin/env python3
# bourse_client.py — a small client of Bourse's REST API, using only `requests`
#
# Signs in (a username and password, or an API key), lists the instruments,
# reads candles from a date, places a paper order and pages through the
# orders by their cursor. Run it against a boursed:
#
#   BOURSE_URL=http://127.0.0.1:8470/ BOURSE_API_KEY=bk_… python3 bourse_client.py
#   python3 bourse_client.py --url http://127.0.0.1:8470/ --username alice   # asks for the password
#
# The conventions it relies on are docs/API.md's: lists are
# {"items": [...], "next_cursor": ...}; money and quantities are decimal
# strings (kept as Decimal here, never float); errors are problem documents
# whose "errors" name the field at fault.
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import datetime
import getpass
import os
import sys
from decimal import Decimal

import requests


class BourseError(Exception):
    """An answer of 400 or above: the problem document's detail and fields."""

    def __init__(self, status, problem):
        self.status = status
        self.problem = problem
        fields = ', '.join(f"{e['field']}: {e['message']}" for e in problem.get('errors', []))
        super().__init__(f"{status} {problem.get('detail', '')}" + (f' ({fields})' if fields else ''))

    def names(self, field):
        return any(e.get('field') == field for e in self.problem.get('errors', []))


class Bourse:
    def __init__(self, url, api_key=None, timeout=30):
        self.url = url.rstrip('/') + '/'
        self.timeout = timeout
        self.http = requests.Session()
        if api_key:
            self.http.headers['X-API-Key'] = api_key

    def sign_in(self, username, password):
        tokens = self.request('POST', 'auth/login', json={'username': username, 'password': password})
        self.http.headers['Authorization'] = f"Bearer {tokens['access_token']}"
        return tokens

    def request(self, method, path, **kwargs):
        response = self.http.request(method, self.url + 'api/v1/' + path.lstrip('/'),
                                     timeout=self.timeout, **kwargs)
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {'detail': response.text}
            raise BourseError(response.status_code, problem)
        return response.json() if response.content else None

    def get(self, path, **params):
        return self.request('GET', path, params=params)

    def pages(self, path, **params):
        """Every item of a list, page after page, following next_cursor."""
        while True:
            page = self.get(path, **params)
            yield from page['items']
            if page['next_cursor'] is None:
                return
            params['cursor'] = page['next_cursor']


def main():
    parser = argparse.ArgumentParser(description='A tour of the Bourse API.')
    parser.add_argument('--url', default=os.environ.get('BOURSE_URL', 'http://127.0.0.1:8470/'))
    parser.add_argument('--username', help='sign in with a password (asked, or $BOURSE_PASSWORD)')
    parser.add_argument('--api-key', default=os.environ.get('BOURSE_API_KEY'))
    parser.add_argument('--symbol', default='BTCUSDT')
    args = parser.parse_args()

    bourse = Bourse(args.url, api_key=None if args.username else args.api_key)
    if args.username:
        bourse.sign_in(args.username, os.environ.get('BOURSE_PASSWORD') or getpass.getpass())
    elif not args.api_key:
        parser.error('give --username, or an API key with --api-key or $BOURSE_API_KEY')

    me = bourse.get('permissions')
    print(f"Signed in as {me['role']} to {bourse.url}")

    instruments = bourse.get('instruments')['items']
    print('Instruments:', ', '.join(i['symbol'] + (' (simulated)' if i['simulated'] else '')
                                    for i in instruments))

    # A date alone is that UTC day's first millisecond.
    start = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)).date().isoformat()
    candles = list(bourse.pages(f'market/candles/{args.symbol}', interval='1h', start=start, limit=10))
    if not candles:
        print(f'No candles of {args.symbol} since {start}')
        return 1
    last = candles[-1]
    print(f"{len(candles)} hourly candles of {args.symbol} since {start}; last close {Decimal(last['close'])}")

    # A market order for 100 of the quote asset, on the paper book.
    order = {'symbol': args.symbol, 'side': 'BUY', 'type': 'MARKET', 'quote_quantity': '100'}
    estimate = bourse.request('POST', 'orders', params={'dry_run': 'true'}, json=order)['estimate']
    print(f"It would cost {Decimal(estimate['notional'])} plus a fee of at most {Decimal(estimate['fee'])}")
    placed = bourse.request('POST', 'orders', json=order)
    print(f"Order {placed['id']}: {placed['status']}, {Decimal(placed['filled_quantity'])} filled")

    orders = list(bourse.pages('orders', symbol=args.symbol, limit=2))
    print(f'{len(orders)} orders of {args.symbol}, newest first: ' + ', '.join(str(o['id']) for o in orders))

    portfolio = bourse.get('portfolio')
    print(f"Equity {Decimal(portfolio['equity'])} {portfolio['currency']}, cash {Decimal(portfolio['cash'])}")
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main())
    except BourseError as error:
        print(f'bourse: {error}', file=sys.stderr)
        sys.exit(1)
    except requests.RequestException as error:
        print(f'bourse: {error}', file=sys.stderr)
        sys.exit(1)
