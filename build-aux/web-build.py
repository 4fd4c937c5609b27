#!/usr/bin/env python3
# web-build.py — builds the web console into the server's GResource
#
# Run by src/server/meson.build at every build (it is quick when nothing
# changed): installs ui/web's npm packages with `npm ci` into the BUILD
# directory (a clone's source tree stays clean), bundles ui/web/src/boot.js
# and the API docs page with esbuild (minified, a content hash in every
# name), turns the translations of po/*.po the console uses into
# locale/<lang>-<hash>.json, and compiles them with the static files into a
# GResource source file. Without npm, or when npm or esbuild fails in an `auto` build, the
# resource holds pages that say the console was not built and why.
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import hashlib
import html
import json
import os
import re
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
                    os.path.join(source, 'src', 'boot.js'),
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
    locales = catalogues(source)
    files.update({name.lstrip('/'): data for name, data in locales.values()})
    index = (index.replace('@MAIN_JS@', '/' + entries['boot.js'])
                  .replace('@STYLE_CSS@', '/' + entries['style.css'])
                  .replace('@LOCALES@', html.escape(json.dumps(
                      {lang: name for lang, (name, _) in sorted(locales.items())}))))
    files['index.html'] = index.encode('utf-8')

    with open(os.path.join(source, 'docs.html'), encoding='utf-8') as f:
        docs = f.read()
    docs = (docs.replace('@REDOC_JS@', '/' + redoc_name)
                .replace('@DOCS_JS@', '/' + entries['docs.js']))
    files['docs.html'] = docs.encode('utf-8')
    return files


# Translations. The console's strings are in the project's one catalogue (po/, listed in
# po/POTFILES.in); each language's entries the console uses become a JSON file the console
# loads before it draws anything (ui/web/src/core/i18n.js).

KEYWORDS = ['--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=ngettext:1,2']
PLACEHOLDER = re.compile(r'\{\w+\}')
ESCAPES = {'n': '\n', 't': '\t', 'r': '\r', '"': '"', '\\': '\\', 'a': '\a', 'b': '\b',
           'f': '\f', 'v': '\v'}


def po_string(text):
    """A PO file's quoted string, its C escapes resolved."""
    return re.sub(r'\\(.)', lambda m: ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def read_po(path):
    """The entries of a PO file or template: [{ctx?, id, plural?, str: {n: text}, fuzzy}],
    obsolete ones left out."""
    entries, entry, key, fuzzy = [], None, None, False
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if line.startswith('#,'):
                fuzzy = 'fuzzy' in line
            if not line or line.startswith('#'):
                continue
            match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$', line)
            if match:
                word, index, text = match.groups()
                # A msgctxt, or a msgid after a msgstr, starts the next entry.
                if entry is None or word == 'msgctxt' or (word == 'msgid' and entry['str']):
                    if entry is not None and word == 'msgid' and 'id' not in entry:
                        pass    # the msgid of the entry its msgctxt began
                    else:
                        entry = {'str': {}, 'fuzzy': fuzzy}
                        entries.append(entry)
                        fuzzy = False
                if word.startswith('msgstr'):
                    key = int(index or 0)
                    entry['str'][key] = po_string(text)
                else:
                    key = {'msgctxt': 'ctx', 'msgid': 'id', 'msgid_plural': 'plural'}[word]
                    entry[key] = po_string(text)
            elif line.startswith('"') and entry is not None and key is not None:
                if isinstance(key, int):
                    entry['str'][key] += po_string(line)
                else:
                    entry[key] += po_string(line)
    return [e for e in entries if 'id' in e]


def entry_key(entry):
    return f"{entry['ctx']}\u0004{entry['id']}" if 'ctx' in entry else entry['id']


def console_strings(source):
    """The msgids the console's modules use, as xgettext reads them (None without xgettext)."""
    xgettext = shutil.which('xgettext')
    if not xgettext:
        return None
    src = os.path.join(source, 'src')
    modules = sorted(os.path.relpath(os.path.join(d, n), src)
                     for d, _, names in os.walk(src) for n in names if n.endswith('.js'))
    pot = subprocess.run([xgettext, '--from-code=UTF-8', '--language=JavaScript', *KEYWORDS,
                          '--directory', src, '--output=-', *modules],
                         check=True, capture_output=True, text=True).stdout
    path = os.path.join(os.environ.get('TMPDIR', '/tmp'), f'bourse-web-{os.getpid()}.pot')
    try:
        with open(path, 'w', encoding='utf-8') as f:
            f.write(pot)
        return {entry_key(e): e for e in read_po(path) if e['id']}
    finally:
        os.unlink(path)


def translation(entry, wanted):
    """The entry's translation for the catalogue (a string, or the plural forms), or None
    when it is missing, fuzzy or loses a {placeholder} of its msgid (English shows then)."""
    if entry.get('fuzzy') or not entry['str']:
        return None
    forms = [entry['str'][i] for i in sorted(entry['str'])]
    if not all(forms):
        return None
    names = set(PLACEHOLDER.findall(wanted['id'])) | set(PLACEHOLDER.findall(wanted.get('plural', '')))
    if any(set(PLACEHOLDER.findall(form)) - names for form in forms) or \
       ('plural' not in wanted and set(PLACEHOLDER.findall(forms[0])) != names):
        return None
    return forms if 'plural' in wanted else forms[0]


def po_languages(source):
    po_dir = os.path.join(source, '..', '..', 'po')
    try:
        with open(os.path.join(po_dir, 'LINGUAS'), encoding='utf-8') as f:
            langs = [word for line in f for word in line.split('#')[0].split()]
    except FileNotFoundError:
        return po_dir, []
    return po_dir, langs


def plural_rule(entries):
    header = next((e for e in entries if e['id'] == '' and 'ctx' not in e), None)
    match = re.search(r'plural=([^;\n]*)', header['str'].get(0, '') if header else '')
    return match.group(1).strip() if match else 'n != 1'


def catalogue(entries, wanted):
    """{msgid: translation} of the console's strings translated in `entries` (all when
    `wanted` is None), and the console's strings left out."""
    messages, missing = {}, []
    by_key = {entry_key(e): e for e in entries if e['id']}
    for key, want in (wanted or by_key).items():
        entry = by_key.get(key)
        text = translation(entry, want) if entry else None
        if text is None:
            missing.append(key)
        else:
            messages[key] = text
    return messages, missing


def catalogues(source):
    """{lang: (resource name, JSON bytes)} for each language of po/LINGUAS."""
    po_dir, langs = po_languages(source)
    wanted = console_strings(source)
    out = {}
    for lang in langs:
        entries = read_po(os.path.join(po_dir, f'{lang}.po'))
        messages, missing = catalogue(entries, wanted)
        if missing and wanted is not None:
            log(f'po/{lang}.po: {len(missing)} of the console\'s strings untranslated (English shows)')
        data = json.dumps({'language': lang, 'plural': plural_rule(entries), 'messages': messages},
                          ensure_ascii=False, sort_keys=True, separators=(',', ':')).encode('utf-8')
        out[lang] = (f'/locale/{lang}-{hashlib.sha256(data).hexdigest()[:8].upper()}.json', data)
    return out


def check(source):
    """For tests/data/check-translations.sh: every language translates every console string,
    keeping its {placeholders}. Returns the exit status."""
    po_dir, langs = po_languages(source)
    wanted = console_strings(source)
    if wanted is None:
        print('xgettext is needed to check the web console\'s translations')
        return 1
    status = 0
    for lang in langs:
        _, missing = catalogue(read_po(os.path.join(po_dir, f'{lang}.po')), wanted)
        if missing:
            print(f'po/{lang}.po: {len(missing)} web console strings untranslated, fuzzy or with '
                  'other {placeholders} than their msgid:')
            for key in missing[:20]:
                print('  ' + json.dumps(key.replace('\u0004', ' | '), ensure_ascii=False))
            status = 1
    return status


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
    parser.add_argument('--check-translations', action='store_true',
                        help='only check that po/*.po translate the console\'s strings')
    parser.add_argument('--build', help='a directory of the build tree')
    parser.add_argument('--output', help='the GResource C source to write')
    parser.add_argument('--npm', default='')
    parser.add_argument('--mode', choices=['enabled', 'auto', 'disabled'], default='auto')
    parser.add_argument('--compiler', default='glib-compile-resources')
    args = parser.parse_args()
    if args.check_translations:
        return check(args.source)
    if not args.build or not args.output:
        parser.error('--build and --output are needed')

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
        os.makedirs(os.path.dirname(os.path.join(out_dir, name)), exist_ok=True)
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
