#!/usr/bin/env python3
# web-build.py — builds the web console into the server's GResource
#
# Run by src/server/meson.build at every build (it is quick when nothing
# changed): installs ui/web's npm packages with `npm ci` into the BUILD
# directory (a clone's source tree stays clean), bundles ui/web/src/main.js
# and the API docs page with esbuild (minified, a content hash in every
# name), and compiles them with the static files into a GResource source
# file. Without npm, or when npm or esbuild fails in an `auto` build, the
# resource holds pages that say the console was not built and why.
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import hashlib
import html
import json
import os
import shutil
import subprocess
import sys

STATIC = ['icon.svg']
RESOURCE_PREFIX = '/io/github/bourse/Bourse/web'


def log(message):
    print(f'web-build: {message}', file=sys.stderr)


def write_if_changed(path, data):
    """Keeps the file's time when its content is the same: nothing downstream rebuilds."""
    if isinstance(data, str):
        data = data.encode('utf-8')
    try:
        with open(path, 'rb') as f:
            if f.read() == data:
                return
    except FileNotFoundError:
        pass
    with open(path, 'wb') as f:
        f.write(data)


def npm_install(source, npm_dir, npm):
    os.makedirs(npm_dir, exist_ok=True)
    for name in ('package.json', 'package-lock.json', '.npmrc'):
        src = os.path.join(source, name)
        dst = os.path.join(npm_dir, name)
        with open(src, 'rb') as f:
            write_if_changed(dst, f.read())
    stamp = os.path.join(npm_dir, 'node_modules', '.package-lock.json')
    lock = os.path.join(npm_dir, 'package-lock.json')
    if os.path.exists(stamp) and os.path.getmtime(stamp) >= os.path.getmtime(lock):
        return
    log('npm ci (the web console\'s packages, from ui/web/package-lock.json)')
    subprocess.run([npm, 'ci', '--no-audit', '--no-fund', '--prefer-offline', '--legacy-peer-deps'],
                   cwd=npm_dir, check=True, stdout=sys.stderr)


def bundle(source, npm_dir, out_dir):
    esbuild = os.path.join(npm_dir, 'node_modules', '.bin', 'esbuild')
    meta_path = os.path.join(npm_dir, 'meta.json')
    staging = os.path.join(npm_dir, 'dist')
    shutil.rmtree(staging, ignore_errors=True)
    # The sources import their packages by name: esbuild looks for them in the
    # build directory's node_modules, not beside the sources.
    env = dict(os.environ, NODE_PATH=os.path.join(npm_dir, 'node_modules'))
    subprocess.run([esbuild,
                    os.path.join(source, 'src', 'main.js'),
                    os.path.join(source, 'src', 'docs.js'),
                    os.path.join(source, 'style.css'),
                    '--bundle', '--minify', '--format=esm', '--splitting', '--target=es2020',
                    '--legal-comments=external', '--loader:.html=text',
                    '--entry-names=[name]-[hash]', '--chunk-names=chunk-[hash]',
                    f'--outdir={staging}', f'--metafile={meta_path}', '--log-level=warning'],
                   check=True, env=env, stdout=sys.stderr)
    with open(meta_path, encoding='utf-8') as f:
        meta = json.load(f)

    files, entries = {}, {}
    for output, info in meta['outputs'].items():
        name = os.path.basename(output)
        with open(output if os.path.isabs(output) else os.path.join(os.getcwd(), output), 'rb') as f:
            files[name] = f.read()
        entry = info.get('entryPoint')
        if entry:
            entries[os.path.basename(entry)] = name
    for name in os.listdir(staging):
        if name.endswith('.LEGAL.txt'):
            with open(os.path.join(staging, name), 'rb') as f:
                files[name] = f.read()

    # Redoc's standalone bundle, as the package ships it: it carries its React.
    redoc = os.path.join(npm_dir, 'node_modules', 'redoc', 'bundles', 'redoc.standalone.js')
    with open(redoc, 'rb') as f:
        data = f.read()
    # Its footer's logo is the one thing it would fetch from elsewhere (refused by the page's
    # CSP, a console error): an empty image instead.
    data = data.replace(b'https://cdn.redoc.ly/redoc/logo-mini.svg',
                        b'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E')
    redoc_name = f'redoc-{hashlib.sha256(data).hexdigest()[:8].upper()}.js'
    files[redoc_name] = data

    with open(os.path.join(source, 'index.html'), encoding='utf-8') as f:
        index = f.read()
    index = (index.replace('@MAIN_JS@', '/' + entries['main.js'])
                  .replace('@STYLE_CSS@', '/' + entries['style.css']))
    files['index.html'] = index.encode('utf-8')

    with open(os.path.join(source, 'docs.html'), encoding='utf-8') as f:
        docs = f.read()
    docs = (docs.replace('@REDOC_JS@', '/' + redoc_name)
                .replace('@DOCS_JS@', '/' + entries['docs.js']))
    files['docs.html'] = docs.encode('utf-8')
    return files


def not_built(reason):
    """The pages a build without the console serves: what happened and how to get it."""
    text = html.escape(reason)
    page = f'''<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Bourse</title>
</head>
<body>
  <main>
    <h1>The web console was not built</h1>
    <p>This build of Bourse has no web console: {text}</p>
    <p>The REST and WebSocket API work as always (its description is at
       <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>). To build the console, install
       Node.js and npm and configure with <code>-Dweb_console=enabled</code> (docs/WEB.md).</p>
  </main>
</body>
</html>
'''
    return {'index.html': page.encode('utf-8'), 'docs.html': page.encode('utf-8')}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--source', required=True, help='ui/web')
    parser.add_argument('--build', required=True, help='a directory of the build tree')
    parser.add_argument('--output', required=True, help='the GResource C source to write')
    parser.add_argument('--npm', default='')
    parser.add_argument('--mode', choices=['enabled', 'auto', 'disabled'], default='auto')
    parser.add_argument('--compiler', default='glib-compile-resources')
    args = parser.parse_args()

    npm_dir = os.path.join(args.build, 'npm')
    out_dir = os.path.join(args.build, 'resource')
    files = None
    if args.mode == 'disabled':
        files = not_built('it was configured with -Dweb_console=disabled.')
    elif not args.npm:
        files = not_built('npm was not found when it was configured.')
    else:
        try:
            npm_install(args.source, npm_dir, args.npm)
            files = bundle(args.source, npm_dir, out_dir)
        except (subprocess.CalledProcessError, OSError, KeyError) as error:
            if args.mode == 'enabled':
                log(f'the web console could not be built: {error}')
                return 1
            log(f'the web console could not be built, a page says so instead: {error}')
            files = not_built(f'npm or esbuild failed ({error}).')

    for name in STATIC:
        with open(os.path.join(args.source, name), 'rb') as f:
            files[name] = f.read()

    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    for name, data in files.items():
        with open(os.path.join(out_dir, name), 'wb') as f:
            f.write(data)
    # Text compresses well; what is compressed already gains nothing.
    compressed = ' compressed="true"'
    entries = '\n'.join(
        f'    <file{"" if name.endswith((".png", ".woff2")) else compressed}>{name}</file>'
        for name in sorted(files))
    xml = os.path.join(args.build, 'bourse-web.gresource.xml')
    write_if_changed(xml, f'''<?xml version="1.0" encoding="UTF-8"?>
<gresources>
  <gresource prefix="{RESOURCE_PREFIX}">
{entries}
  </gresource>
</gresources>
''')
    generated = args.output + '.new'
    subprocess.run([args.compiler, '--generate-source', '--c-name', 'bourse_web',
                    '--sourcedir', out_dir, '--target', generated, xml], check=True)
    with open(generated, 'rb') as f:
        write_if_changed(args.output, f.read())
    os.unlink(generated)
    return 0


if __name__ == '__main__':
    sys.exit(main())
