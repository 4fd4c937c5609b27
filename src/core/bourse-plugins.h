/* bourse-plugins.h — the plugin directories, scanned once for every plugin type
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Every plugin type's GIO extension point. A module may implement several,
 * and is loaded once, so all of them exist before any module is. */
#define BOURSE_PLUGIN_AUTHENTICATOR "bourse-authenticator"
#define BOURSE_PLUGIN_BROKER        "bourse-broker"
#define BOURSE_PLUGIN_FEED          "bourse-feed"
#define BOURSE_PLUGIN_NOTIFIER      "bourse-notifier"
#define BOURSE_PLUGIN_STRATEGY      "bourse-strategy"

/* Registers the extension points, then loads the modules of
 * $BOURSE_PLUGIN_PATH (separated by ':') and of PKGLIBDIR/plugins, once.
 * Each plugin type registers its built-ins and its required type first. */
void bourse_plugins_load (void);

G_END_DECLS
