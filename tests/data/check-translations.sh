#!/bin/sh
# check-translations.sh SRCDIR — POTFILES.in lists every file with translatable
# strings, and every language in LINGUAS translates all of them (no untranslated,
# no fuzzy entries against a freshly extracted template), and compiles cleanly.
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

src=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0

cd "$src"

# 1. Completeness of POTFILES.in, both ways.
grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort > "$work/listed"
{
  grep -rlE '(^|[^A-Za-z0-9_])(N?C?_)\(' src --include='*.c' || true
  grep -rl 'translatable="yes"' ui data --include='*.ui' --include='*.xml.in' || true
  ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml.in 2>/dev/null || true
  # The web console's modules (core/i18n.js defines the functions and has no string of its own).
  grep -rlE '(^|[^A-Za-z0-9_$.])(N_|C_|_|ngettext)\(' ui/web/src --include='*.js' | grep -v '/core/i18n\.js$' || true
} | sort -u > "$work/needed"
missing=$(comm -13 "$work/listed" "$work/needed")
if [ -n "$missing" ]; then
  echo "Files with translatable strings missing from po/POTFILES.in:"; echo "$missing"; status=1
fi
while read -r f; do
  [ -f "$f" ] || { echo "po/POTFILES.in lists $f, which does not exist"; status=1; }
done < "$work/listed"

# 2. A fresh template, the way the build's bourse-pot target makes it.
xgettext --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
  --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --package-name=bourse \
  --files-from=po/POTFILES.in --directory=. --output="$work/bourse.pot" 2> "$work/xgettext.err" || {
  cat "$work/xgettext.err"; exit 1; }
# A warning means a string xgettext cut short (e.g. split around G_GINT64_FORMAT):
# it could never be translated.
if [ -s "$work/xgettext.err" ]; then
  echo "xgettext warnings:"; cat "$work/xgettext.err"; status=1
fi
# Some cut strings draw no warning: a msgid that ends in "%" was cut at a
# format macro such as G_GINT64_FORMAT (PRId64 is understood).
cut=$(msggrep --msgid -E -e '%$' "$work/bourse.pot" | grep -c '^msgid' || true)
if [ "$cut" -gt 0 ]; then
  echo "Strings cut at a format macro (use PRId64 or format the number first):"
  msggrep --msgid -E -e '%$' "$work/bourse.pot" | grep -A1 '^#:'; status=1
fi

for lang in $(sed 's/#.*//' po/LINGUAS); do
  msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$work/bourse.pot" -o "$work/$lang.po"
  untranslated=$(msgattrib --untranslated --no-obsolete "$work/$lang.po" | grep -c '^msgid' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "po/$lang.po" | grep -c '^msgid' || true)
  if [ "$untranslated" -gt 0 ]; then
    echo "po/$lang.po: $untranslated strings untranslated (counting the header):"
    msgattrib --untranslated --no-obsolete "$work/$lang.po" | grep '^msgid' | head -20
    status=1
  fi
  if [ "$fuzzy" -gt 0 ]; then
    echo "po/$lang.po: $fuzzy fuzzy entries"; status=1
  fi
  msgfmt --check --statistics -o /dev/null "po/$lang.po" || status=1
done

# 3. The web console's catalogues (build-aux/web-build.py makes them from the same po/*.po):
# every string its modules use translated in every language, keeping its {placeholders}.
python3 build-aux/web-build.py --source ui/web --check-translations || status=1

exit $status
