#!/usr/bin/env python3
# test-python-example.py — docs/examples/bourse_client.py against a real boursed,
# so that the example cannot rot
#
# boursed starts on a fresh data directory with the simulated market (a short,
# seeded history); its first run's setup address makes the administrator; the
# example runs signed in with a password, then with an API key. TAP out.
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request

PASSWORD = 'correct horse battery staple'
# Generous, for sanitizer builds on a busy machine.
TIMEOUT_S = 120


def post(url, body, token=None):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method='POST',
                                     headers={'Content-Type': 'application/json'})
    if token:
        request.add_header('Authorization', f'Bearer {token}')
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
        return json.load(response)


def main():
    try:
        import requests  # noqa: F401  (the example's one dependency)
    except ImportError:
        print('1..0 # SKIP python3-requests is not installed')
        return 0

    boursed = os.environ['BOURSED']
    source = os.environ.get('G_TEST_SRCDIR', os.path.join(os.path.dirname(__file__), '..'))
    example = os.path.join(source, '..', 'docs', 'examples', 'bourse_client.py')
    root = tempfile.mkdtemp(prefix='bourse-example-')
    env = {k: v for k, v in os.environ.items() if not k.startswith('BOURSE_')}
    env.update({
        'XDG_CONFIG_HOME': os.path.join(root, 'config'),
        'XDG_DATA_HOME': os.path.join(root, 'share'),
        'BOURSE_AUTH_SECRETS_BACKEND': 'file',
        'BOURSE_SIMULATED_ENABLED': 'true',
        'BOURSE_SIMULATED_BACKFILL_DAYS': '2',
        'BOURSE_SIMULATED_SEED': '7',
        'BOURSE_RATE_LIMIT_ENABLED': 'false',
    })
    daemon = subprocess.Popen([boursed, 'serve', '--port', '0', '--data-dir', os.path.join(root, 'data')],
                              env=env, stdout=subprocess.PIPE, stderr=open(os.path.join(root, 'log'), 'w'),
                              text=True)
    print('1..2')
    failed = False
    try:
        listening = daemon.stdout.readline()
        setup = daemon.stdout.readline()
        url = re.match(r'^Listening on (\S+)$', listening).group(1)
        token = re.match(r'^Set up Bourse: \S+#token=(\S+)$', setup).group(1)
        tokens = post(url + 'api/v1/setup', {'token': token, 'username': 'owner', 'password': PASSWORD})
        key = post(url + 'api/v1/api-keys', {'name': 'example'}, tokens['access_token'])['key']

        runs = [
            ('signed in with a password', ['--username', 'owner'], {'BOURSE_PASSWORD': PASSWORD}),
            ('with an API key', [], {'BOURSE_API_KEY': key}),
        ]
        for number, (what, args, extra) in enumerate(runs, 1):
            run = subprocess.run([sys.executable, example, '--url', url] + args, env=dict(env, **extra),
                                 capture_output=True, text=True, timeout=TIMEOUT_S)
            out = run.stdout
            ok = (run.returncode == 0
                  and 'Signed in as admin' in out
                  and re.search(r'^Instruments: .*BTCUSDT \(simulated\)', out, re.M)
                  and re.search(r'^\d+ hourly candles of BTCUSDT since \d{4}-\d\d-\d\d', out, re.M)
                  and re.search(r'^Order \d+: FILLED', out, re.M)
                  and re.search(rf'^{number} orders of BTCUSDT', out, re.M))
            if not ok:
                failed = True
                print(f'not ok {number} - the example {what}')
                for line in (out + run.stderr).splitlines():
                    print(f'# {line}')
            else:
                print(f'ok {number} - the example {what}')
    finally:
        daemon.terminate()
        try:
            daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            daemon.kill()
        if failed:
            print(f'# kept {root}')
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
