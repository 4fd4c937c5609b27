# build-aux/console-session.sh — sourced by bench/desktop/run.sh and
# build-aux/screenshots.sh: the console on a private Xvfb and D-Bus session,
# with nothing of the developer's, driven through its application actions
# (D-Bus) and its built-in engine's API (curl, as an administrator).
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The script defines die () and sets BUILD_DIR and WORK before calling:
#   session_enter VAR ARG…     re-runs the script under xvfb-run and
#                              dbus-run-session, once (VAR marks the inner run)
#   session_init               checks the tools, sets BOURSE, BOURSED, APP_ID,
#                              APP_PATH and the environment; cleans up on exit
#   session_admin DATA_DIR     a data directory with the administrator
#   session_start PROBE DATA_DIR [VAR=VALUE…]   bourse --data-dir, probed
#   session_wait PROBE REGEX   until a line of the probe matches
#   session_sign_in PROBE      BASE and TOKEN of the console's engine
#   session_api METHOD PATH [curl option…]      the answer; fails on an error
#   session_wait_live          until the simulated market has back-filled
#   session_action NAME [GVARIANT]              an application action
#   session_stop               quits the console (app.quit), waits for it
#   json EXPR                  EXPR of d, the JSON on standard input

SESSION_PASSWORD="correct horse battery staple"
SESSION_DEADLINE_S=${SESSION_DEADLINE_S:-300}
APP_PID=

session_enter () {
  local var=$1; shift
  [[ -z "${!var:-}" ]] || return 0
  command -v xvfb-run >/dev/null || die "xvfb-run is not installed (apt-get install xvfb xauth)"
  command -v dbus-run-session >/dev/null || die "dbus-run-session is not installed (apt-get install dbus)"
  export "$var=1"
  exec xvfb-run -a -s '-screen 0 1600x1000x24' dbus-run-session -- "$0" "$@"
}

session_init () {
  BOURSE="$BUILD_DIR/src/app/bourse"
  BOURSED="$BUILD_DIR/src/daemon/boursed"
  [[ -x "$BOURSE" && -x "$BOURSED" ]] || die "bourse or boursed not found in $BUILD_DIR: build first"
  local tool
  for tool in gdbus curl python3; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
  done

  # The application id and its object path (a development build is .Devel).
  APP_ID=$(sed -n 's/^#define APPLICATION_ID "\(.*\)"$/\1/p' "$BUILD_DIR/config.h")
  APP_PATH="/${APP_ID//./\/}"

  trap 'session_stop; rm -rf "$WORK"' EXIT
  trap 'exit 130' INT TERM

  # No developer configuration, BOURSE_* variable or setting leaks in.
  local name
  while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^BOURSE_' || true)
  unset LANGUAGE
  export XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/xdg-data" XDG_CACHE_HOME="$WORK/cache"
  export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$BUILD_DIR/data"
  export GTK_A11Y=none NO_AT_BRIDGE=1 LANG=C.UTF-8 LC_ALL=C.UTF-8
  # As bench/chart and the GUI tests: no GPU here, so no GL (GDK_DEBUG= lets
  # GTK probe Mesa's software GL).
  export GSK_RENDERER=${GSK_RENDERER:-cairo} GDK_DEBUG=${GDK_DEBUG-gl-disable}
  export BOURSE_AUTH_SECRETS_BACKEND=file BOURSE_RATE_LIMIT_ENABLED=false BOURSE_LOG_LEVEL=warning
  mkdir -p "$XDG_CONFIG_HOME"
}

session_admin () {
  echo "$SESSION_PASSWORD" |
    "$BOURSED" user add admin --role admin --password-stdin --data-dir "$1" >/dev/null
}

session_start () {
  local probe=$1 data=$2; shift 2
  env BOURSE_PROBE_FRAMES="$probe" "$@" "$BOURSE" --data-dir "$data" >>"$WORK/app.out" 2>>"$WORK/app.err" &
  APP_PID=$!
}

session_wait () {
  local deadline=$((SECONDS + SESSION_DEADLINE_S))
  until grep -q "$2" "$1" 2>/dev/null; do
    (( SECONDS < deadline )) || die "no '$2' in $1 after ${SESSION_DEADLINE_S} s"
    kill -0 "$APP_PID" 2>/dev/null || die "bourse ended before '$2' ($(tail -n 3 "$WORK/app.err"))"
    sleep 0.05
  done
}

json () { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }

session_sign_in () {
  session_wait "$1" '^engine '
  BASE=$(awk '$1 == "engine" { print $3; exit }' "$1")
  TOKEN=$(curl -sf -H 'Content-Type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$SESSION_PASSWORD\"}" "${BASE}api/v1/auth/login" |
    json 'd["access_token"]')
}

session_api () {
  local method=$1 path=$2; shift 2
  curl -sf -X "$method" -H "Authorization: Bearer $TOKEN" "$@" "${BASE}api/v1/$path"
}

session_wait_live () {
  local deadline=$((SECONDS + SESSION_DEADLINE_S))
  until session_api GET system/status |
      json '" ".join(f["state"] for f in d["market"]["feeds"])' | grep -qv backfilling; do
    (( SECONDS < deadline )) || die "the simulated market did not end its back-fill"
    sleep 0.2
  done
}

session_action () {
  gdbus call --session --dest "$APP_ID" --object-path "$APP_PATH" \
    --method org.freedesktop.Application.ActivateAction "$1" "[${2:-}]" '{}' >/dev/null
}

session_stop () {
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    session_action quit 2>/dev/null || true
    for _ in $(seq 1 300); do
      kill -0 "$APP_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -TERM "$APP_PID" 2>/dev/null || true
  fi
  [[ -z "$APP_PID" ]] || wait "$APP_PID" 2>/dev/null || true
  APP_PID=
}
