/* main.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "server/bourse-server.h"

#include "bourse-application.h"
#include "bourse-probe.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BourseApplication) app = NULL;

  /* Before the application parses options, so --help is translated too. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  bourse_server_init_tls_policy ();

  app = bourse_application_new ();
  /* bench/desktop and the screenshots; nothing unless asked by the environment. */
  bourse_probe_init (GTK_APPLICATION (app));

  return g_application_run (G_APPLICATION (app), argc, argv);
}
