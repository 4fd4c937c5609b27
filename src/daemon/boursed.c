/* boursed.c — the headless engine and its admin command line
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

/* PRId64 in translatable strings: xgettext understands it, not G_GINT64_FORMAT. */
#include <inttypes.h>

#include <errno.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/bourse-config.h"
#include "core/bourse-error.h"
#include "core/bourse-json.h"
#include "core/bourse-log.h"
#include "auth/bourse-accounts.h"
#include "auth/bourse-audit.h"
#include "auth/bourse-password.h"
#include "auth/bourse-password-reset.h"
#include "backtest/bourse-backtests.h"
#include "market/bourse-csv.h"
#include "market/bourse-download.h"
#include "server/bourse-server.h"
#include "engine/bourse-engine.h"
#include "exchange/bourse-exchange-keys.h"

typedef struct
{
  char     *config_file;
  char     *bind;
  int       port;
  char     *data_dir;
  char     *tls_cert;
  char     *tls_key;
  gboolean  insecure_bind;
  char     *log_level;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->config_file);
  g_free (options->bind);
  g_free (options->data_dir);
  g_free (options->tls_cert);
  g_free (options->tls_key);
  g_free (options->log_level);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* serve and config show take the same options, so that config show prints
 * exactly what serve would use. */
static GOptionEntry *
option_entries (Options *options)
{
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &options->config_file,
      N_("Configuration file (default: $XDG_CONFIG_HOME/bourse/bourse.conf)"), N_("FILE") },
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &options->data_dir,
      N_("Directory of the database"), N_("DIR") },
    { "bind", 'b', 0, G_OPTION_ARG_STRING, &options->bind,
      N_("Address to listen on (default: 127.0.0.1)"), N_("ADDR") },
    { "port", 'p', 0, G_OPTION_ARG_INT, &options->port,
      N_("Port to listen on; 0 picks a free one"), N_("N") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &options->tls_cert,
      N_("PEM certificate: serve HTTPS"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &options->tls_key,
      N_("PEM private key of --tls-cert"), N_("FILE") },
    { "insecure-bind", 0, 0, G_OPTION_ARG_NONE, &options->insecure_bind,
      N_("Allow a non-loopback address without TLS"), NULL },
    { "log-level", 0, 0, G_OPTION_ARG_STRING, &options->log_level,
      N_("debug, info, message or warning"), N_("LEVEL") },
    { NULL }
  };

  /* Any int is a value the user gave, so that a negative one is refused
   * by the configuration rather than mistaken for "not given". */
  options->port = G_MININT;
  return g_memdup2 (entries, sizeof entries);
}

static gboolean
set_flag (BourseConfig  *config,
          const char    *section,
          const char    *key,
          const char    *value,
          GError       **error)
{
  if (value == NULL)
    return TRUE;
  return bourse_config_set (config, section, key, value, BOURSE_CONFIG_SOURCE_COMMAND_LINE, error);
}

/* Defaults < file < environment < command line. */
static BourseConfig *
load_config (Options  *options,
             GError  **error)
{
  g_autoptr(BourseConfig) config = bourse_config_new ();
  g_auto(GStrv) environment = g_get_environ ();
  g_autofree char *port = options->port != G_MININT ? g_strdup_printf ("%d", options->port) : NULL;

  if (options->config_file != NULL)
    {
      if (!bourse_config_load_file (config, options->config_file, error))
        return NULL;
    }
  else
    {
      g_autofree char *path = bourse_config_default_path ();

      if (g_file_test (path, G_FILE_TEST_EXISTS) && !bourse_config_load_file (config, path, error))
        return NULL;
      /* Where changes made at run time are written, once there are some. */
      bourse_config_set_path (config, path);
    }

  if (!bourse_config_load_environment (config, (const char * const *)environment, error))
    return NULL;

  if (!set_flag (config, "server", "bind", options->bind, error)
      || !set_flag (config, "server", "port", port, error)
      || !set_flag (config, "store", "data_dir", options->data_dir, error)
      || !set_flag (config, "server", "tls_cert", options->tls_cert, error)
      || !set_flag (config, "server", "tls_key", options->tls_key, error)
      || !set_flag (config, "server", "insecure_bind", options->insecure_bind ? "true" : NULL, error)
      || !set_flag (config, "log", "level", options->log_level, error))
    return NULL;

  return g_steal_pointer (&config);
}

static gboolean
parse_options (Options   *options,
               const char *command,
               const char *parameter,
               const char *summary,
               int        *argc,
               char     ***argv,
               GError    **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autofree GOptionEntry *entries = option_entries (options);
  g_autofree char *prgname = g_strdup_printf ("boursed %s", command);

  g_set_prgname (prgname);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  return g_option_context_parse (context, argc, argv, error);
}

typedef struct
{
  GMainLoop    *loop;
  BourseServer *server;
  BourseEngine *engine;
  gboolean      stopping;
} Daemon;

static void
shutdown_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Daemon *daemon = user_data;

  bourse_server_shutdown_finish (BOURSE_SERVER (object), result, NULL);
  bourse_engine_stop (daemon->engine);
  g_main_loop_quit (daemon->loop);
}

static gboolean
signal_cb (gpointer user_data)
{
  Daemon *daemon = user_data;

  if (!daemon->stopping)
    {
      daemon->stopping = TRUE;
      g_message ("Shutting down");
      bourse_server_shutdown_async (daemon->server, NULL, shutdown_done_cb, daemon);
    }
  return G_SOURCE_CONTINUE;
}

/* SIGHUP: the configuration file again, as an administrator expects of a
 * daemon; a bad file is logged and changes nothing. */
static gboolean
reload_cb (gpointer user_data)
{
  Daemon *daemon = user_data;
  g_autoptr(GError) error = NULL;

  g_message ("Reloading the configuration");
  bourse_server_reload_config (daemon->server, &error);
  return G_SOURCE_CONTINUE;
}

static void
init_logging (BourseConfig *config)
{
  BourseLogFormat format = BOURSE_LOG_FORMAT_AUTO;
  GLogLevelFlags level = G_LOG_LEVEL_INFO;

  bourse_log_parse_format (bourse_config_get_string (config, "log", "format"), &format);
  bourse_log_parse_level (bourse_config_get_string (config, "log", "level"), &level);
  bourse_log_init (format, level);
  bourse_log_set_ring_size (bourse_config_get_int (config, "log", "ring_size"));
}

static int
command_serve (int    argc,
               char **argv)
{
  g_auto(Options) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseConfig) config = NULL;
  g_autoptr(BourseEngine) engine = NULL;
  g_autoptr(BourseServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *setup_url = NULL;
  Daemon daemon = { 0 };
  guint sigint, sigterm, sighup;

  if (!parse_options (&options, "serve", NULL, _("Run the engine and its HTTP/WebSocket server."),
                      &argc, &argv, &error)
      || (config = load_config (&options, &error)) == NULL)
    {
      g_printerr ("boursed: %s\n", error->message);
      return 2;
    }

  init_logging (config);

  engine = bourse_engine_new (config);
  if (!bourse_engine_start (engine, &error))
    {
      g_printerr ("boursed: %s\n", error->message);
      return 1;
    }

  server = bourse_server_new (engine);
  if (!bourse_server_start (server, &error))
    {
      g_printerr ("boursed: %s\n", error->message);
      bourse_engine_stop (engine);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  daemon = (Daemon) { loop, server, engine, FALSE };
  sigint = g_unix_signal_add (SIGINT, signal_cb, &daemon);
  sigterm = g_unix_signal_add (SIGTERM, signal_cb, &daemon);
  sighup = g_unix_signal_add (SIGHUP, reload_cb, &daemon);

  /* Scripts and tests read the port from this line: keep its form. */
  g_print ("Listening on %s\n", bourse_server_get_url (server));
  /* No account yet: a one-time address that makes the first administrator
   * (bourse-setup-routes.c). Read by scripts too, so not translated. */
  setup_url = bourse_server_open_setup (server, &error);
  if (setup_url != NULL)
    g_print ("Set up Bourse: %s\n", setup_url);
  else if (error != NULL)
    g_warning ("Cannot offer the first run's setup: %s", error->message);
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_source_remove (sighup);
  g_message ("Stopped");
  return 0;
}

typedef struct
{
  BourseConfig  *config;
  BourseSecrets *secrets;   /* NULL when no store opens: the file and the environment alone */
} ExportedSecrets;

static gboolean
exported_secret_is_set (const BourseConfigKey *spec,
                        gpointer               data)
{
  ExportedSecrets *exported = data;
  g_autofree char *value = bourse_config_dup_secret (exported->config, exported->secrets, spec->section, spec->key);

  return value != NULL;
}

static int command_config_secret (Options    *options,
                                  const char *field,
                                  gboolean    set);

static int
command_config (int    argc,
                char **argv)
{
  g_auto(Options) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseConfig) config = NULL;

  if (argc >= 2 && g_str_equal (argv[1], "show"))
    {
      g_autofree char *text = NULL;

      argv++, argc--;
      if (!parse_options (&options, "config show", NULL,
                          _("Print the effective configuration and where each value comes from."),
                          &argc, &argv, &error)
          || (config = load_config (&options, &error)) == NULL)
        {
          g_printerr ("boursed: %s\n", error->message);
          return 2;
        }
      text = bourse_config_to_display_string (config);
      g_print ("%s", text);
      return 0;
    }

  if (argc >= 2 && g_str_equal (argv[1], "export"))
    {
      g_autofree char *text = NULL;
      ExportedSecrets exported = { 0 };

      argv++, argc--;
      if (!parse_options (&options, "config export", NULL,
                          _("Print the values that are not the defaults as a configuration file, "
                            "secrets only said to be set or not."),
                          &argc, &argv, &error)
          || (config = load_config (&options, &error)) == NULL)
        {
          g_printerr ("boursed: %s\n", error->message);
          return 2;
        }
      /* Secrets kept in the store count as set, as the API's export says. */
      exported.config = config;
      exported.secrets = bourse_secrets_new_for_config (config, NULL);
      text = bourse_config_export (config, exported_secret_is_set, &exported);
      g_clear_object (&exported.secrets);
      g_print ("%s", text);
      return 0;
    }

  if (argc >= 2 && g_str_equal (argv[1], "check"))
    {
      if (argc != 3)
        {
          g_printerr (_("Usage: boursed config check FILE\n"));
          return 2;
        }
      config = bourse_config_new ();
      if (!bourse_config_load_file (config, argv[2], &error))
        {
          g_printerr ("boursed: %s\n", error->message);
          return 1;
        }
      g_print (_("%s: configuration is valid\n"), argv[2]);
      return 0;
    }

  if (argc >= 3 && (g_str_equal (argv[1], "set-secret") || g_str_equal (argv[1], "clear-secret")))
    {
      gboolean set = g_str_equal (argv[1], "set-secret");
      g_autofree char *field = g_strdup (argv[2]);
      g_autofree char *command = g_strdup_printf ("config %s", argv[1]);

      argv += 2, argc -= 2;
      if (!parse_options (&options, command, _("SECTION.KEY"),
                          set ? _("Keep a secret setting (notify.smtp_password…) in the keyring, or the data "
                                  "directory's 0600 file when headless; the value is read from standard input.")
                              : _("Remove a secret setting from the keyring (or the 0600 file)."),
                          &argc, &argv, &error))
        {
          g_printerr ("boursed: %s\n", error->message);
          return 2;
        }
      return command_config_secret (&options, field, set);
    }

  g_printerr (_("Usage: boursed config show|export [OPTION…] | boursed config check FILE | "
                "boursed config set-secret|clear-secret SECTION.KEY [OPTION…]\n"));
  return 2;
}

/* Admin commands work on the data directory directly, without a server:
 * the first admin must exist before anybody can sign in. */
typedef struct
{
  BourseConfig *config;
  BourseStore  *store;
  BourseAuth   *auth;
} Offline;

static void
offline_clear (Offline *offline)
{
  g_clear_object (&offline->auth);
  g_clear_object (&offline->store);
  g_clear_object (&offline->config);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Offline, offline_clear)

static gboolean
offline_open (Offline   *offline,
              Options   *options,
              GError   **error)
{
  g_autofree char *data_dir = NULL;
  g_autofree char *path = NULL;

  if ((offline->config = load_config (options, error)) == NULL)
    return FALSE;
  init_logging (offline->config);
  data_dir = bourse_config_dup_data_dir (offline->config);
  path = g_build_filename (data_dir, "bourse.db", NULL);
  if ((offline->store = bourse_store_open (path, error)) == NULL)
    return FALSE;
  offline->auth = bourse_auth_new (offline->store, offline->config, error);
  return offline->auth != NULL;
}

static char *
read_password_stdin (GError **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  int c;

  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (line, c);
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);
  if (line->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("No password on standard input"));
      return NULL;
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

static const BourseAuthContext cli_context = { "local", NULL, "boursed" };

static char *
cli_actor (void)
{
  return g_strdup_printf ("cli:%s", g_get_user_name ());
}

/* boursed config set-secret|clear-secret SECTION.KEY: what PUT
 * /api/v1/config/{section} does with a secret, for a headless machine
 * before anyone can sign in; audited the same way, the value masked. */
static int
command_config_secret (Options    *options,
                       const char *field,
                       gboolean    set)
{
  const BourseConfigKey *spec = bourse_config_lookup_field (field);
  g_auto(Offline) offline = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) details = NULL;
  g_autofree char *value = NULL;
  g_autofree char *actor = cli_actor ();
  g_autofree char *before = NULL;

  if (spec == NULL || !spec->secret)
    {
      g_printerr (_("boursed: %s is not a secret setting\n"), field);
      return 2;
    }
  if (set && (value = read_password_stdin (&error)) == NULL)
    {
      g_printerr (_("boursed: give the value of %s on standard input\n"), field);
      return 2;
    }
  if (!offline_open (&offline, options, &error))
    {
      g_printerr ("boursed: %s\n", error->message);
      return 1;
    }
  before = bourse_config_dup_secret (offline.config, bourse_auth_get_secrets (offline.auth), spec->section, spec->key);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "field");
  json_builder_add_string_value (builder, field);
  json_builder_set_member_name (builder, "old");
  json_builder_add_string_value (builder, before != NULL ? "••••" : NULL);
  json_builder_set_member_name (builder, "new");
  json_builder_add_string_value (builder, set ? "••••" : NULL);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  details = json_builder_get_root (builder);

  if (set)
    {
      gsize length = strlen (value);
      g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&value), length);

      if (!bourse_secrets_store (bourse_auth_get_secrets (offline.auth), field, bytes, &error))
        goto failed;
    }
  else if (!bourse_secrets_delete (bourse_auth_get_secrets (offline.auth), field, &error))
    goto failed;
  if (!bourse_auth_audit (offline.auth, actor, "config.change", "config", details, &cli_context, &error))
    goto failed;
  g_print (set ? _("%s is set; a running boursed uses it at its next send\n") : _("%s is removed\n"), field);
  return 0;

failed:
  g_printerr ("boursed: %s\n", error->message);
  return 1;
}

static int
command_user (int    argc,
              char **argv)
{
  g_auto(Options) options = { 0 };
  g_auto(Offline) offline = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = cli_actor ();
  g_autofree char *role_text = NULL;
  g_autofree char *email = NULL;
  gboolean password_stdin = FALSE;
  GOptionEntry extra[] = {
    { "role", 'r', 0, G_OPTION_ARG_STRING, &role_text, N_("admin, trader or viewer (user add)"), N_("ROLE") },
    { "email", 'e', 0, G_OPTION_ARG_STRING, &email, N_("E-mail address (user add)"), N_("ADDRESS") },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin, N_("Read the password from standard input"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("add NAME | list | disable NAME | reset-password NAME"));
  g_autofree GOptionEntry *entries = option_entries (&options);
  const char *verb;

  g_option_context_set_summary (context, _("Manage accounts in the data directory."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, extra, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 2)
    {
      g_printerr ("%s\n", error ? error->message : _("Usage: boursed user add NAME | list | disable NAME | reset-password NAME"));
      return 2;
    }
  verb = argv[1];

  if (!offline_open (&offline, &options, &error))
    {
      g_printerr ("boursed: %s\n", error->message);
      return 1;
    }

  if (g_str_equal (verb, "list"))
    {
      g_autoptr(GPtrArray) users = bourse_users_list (offline.store, NULL, &error);

      if (users == NULL)
        {
          g_printerr ("boursed: %s\n", error->message);
          return 1;
        }
      for (guint i = 0; i < users->len; i++)
        {
          BourseUser *user = g_ptr_array_index (users, i);
          g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\n", user->id, user->username, user->email,
                   user->role, user->status);
        }
      return 0;
    }

  if (argc < 3)
    {
      g_printerr (_("boursed user %s: give a user name\n"), verb);
      return 2;
    }

  if (g_str_equal (verb, "add"))
    {
      g_autofree char *password = NULL;
      g_autofree char *address = email ? g_strdup (email) : g_strdup_printf ("%s@localhost.invalid", argv[2]);
      BourseRole role = BOURSE_ROLE_VIEWER;
      gint64 id;

      if (role_text != NULL && !bourse_role_parse (role_text, &role))
        {
          g_printerr (_("boursed: --role must be admin, trader or viewer\n"));
          return 2;
        }
      if (!password_stdin)
        {
          /* Passwords on the command line end up in shell history and ps. */
          g_printerr (_("boursed: give the password on standard input with --password-stdin\n"));
          return 2;
        }
      if ((password = read_password_stdin (&error)) == NULL
          || (id = bourse_auth_create_user (offline.auth, actor, argv[2], address, password, role,
                                            &cli_context, &error)) == 0)
        {
          g_printerr ("boursed: %s\n", error->message);
          return 1;
        }
      g_print (_("Created %s (id %" PRId64 ", %s)\n"), argv[2], id, bourse_role_to_string (role));
      return 0;
    }

  {
    g_autoptr(BourseUser) user = bourse_users_find_by_login (offline.store, argv[2], &error);

    if (user == NULL)
      {
        g_printerr ("boursed: %s\n", error ? error->message : _("No such user"));
        return 1;
      }
    if (g_str_equal (verb, "disable"))
      {
        if (!bourse_accounts_set_enabled (offline.auth, actor, user->id, FALSE, &cli_context, &error))
          {
            g_printerr ("boursed: %s\n", error->message);
            return 1;
          }
        g_print (_("Disabled %s\n"), user->username);
        return 0;
      }

    if (g_str_equal (verb, "reset-password"))
      {
        g_autofree char *password = NULL;

        if (!password_stdin)
          {
            g_printerr (_("boursed: give the new password on standard input with --password-stdin\n"));
            return 2;
          }
        if ((password = read_password_stdin (&error)) == NULL
            || !bourse_accounts_set_password (offline.auth, actor, user->id, password, &cli_context, &error))
          {
            g_printerr ("boursed: %s\n", error->message);
            return 1;
          }
        g_print (_("New password set for %s\n"), user->username);
        return 0;
      }
  }

  g_printerr (_("boursed: unknown user command “%s”\n"), verb);
  return 2;
}

static int
command_audit (int    argc,
               char **argv)
{
  g_auto(Options) options = { 0 };
  g_auto(Offline) offline = { 0 };
  g_autoptr(GError) error = NULL;
  BourseAuditVerdict verdict = { 0 };

  if (!parse_options (&options, "audit", "verify", _("Check the audit trail's hash chain."), &argc, &argv, &error)
      || argc < 2 || !g_str_equal (argv[1], "verify"))
    {
      g_printerr ("%s\n", error ? error->message : _("Usage: boursed audit verify [--data-dir DIR]"));
      return 2;
    }
  if (!offline_open (&offline, &options, &error) || !bourse_audit_verify (offline.store, &verdict, &error))
    {
      g_printerr ("boursed: %s\n", error->message);
      return 1;
    }

  if (verdict.ok)
    {
      g_print (_("Audit trail intact: %" PRId64 " entries checked\n"), verdict.checked);
      return 0;
    }
  g_print (_("Audit trail BROKEN at entry %" PRId64 " (%" PRId64 " entries checked)\n"),
           verdict.first_bad_id, verdict.checked);
  return 1;
}

static int
command_keys_rotate (Options  *options,
                     GError  **error)
{
  g_auto(Offline) offline = { 0 };
  g_autofree char *actor = cli_actor ();

  if (!offline_open (&offline, options, error)
      || !bourse_auth_rotate_signing_key (offline.auth, error)
      || !bourse_auth_audit (offline.auth, actor, "keys.rotate", "jwt-signing-key", NULL, &cli_context, error))
    return 1;
  /* A running boursed sees the key's new generation at its next token. */
  g_print (_("New signing key in place: access tokens signed with the old one are refused from now on, "
             "also by a running boursed; sessions go on with their refresh tokens\n"));
  return 0;
}

/* The API key on the first line of standard input, the secret after it
 * (an Ed25519 PEM spans lines): never on the command line, where ps and
 * the shell's history would show it. */
static gboolean
read_keys_stdin (char    **api_key,
                 GBytes  **secret,
                 GError  **error)
{
  g_autoptr(GString) input = g_string_new (NULL);
  char buffer[4096];
  size_t n;
  char *newline;

  while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0 && input->len < 16384)
    g_string_append_len (input, buffer, n);
  newline = strchr (input->str, '\n');
  if (newline == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Give the API key on the first line of standard input and the secret after it"));
      return FALSE;
    }
  *newline = '\0';
  *api_key = g_strstrip (g_strdup (input->str));
  g_strstrip (newline + 1);
  *secret = g_bytes_new (newline + 1, strlen (newline + 1));
  sodium_memzero (input->str, input->len);
  return TRUE;
}

typedef struct
{
  GMainLoop              *loop;
  BourseExchangeKeyCheck *check;
  GError                 *error;
} CliCheck;

static void
cli_checked_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CliCheck *check = user_data;

  check->check = bourse_exchange_keys_check_finish (result, &check->error);
  g_main_loop_quit (check->loop);
}

static void
print_exchange_keys (Offline *offline)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) keys = bourse_exchange_keys_json (offline->store, bourse_auth_get_secrets (offline->auth),
                                                        offline->config, &error);
  g_autofree char *text = keys != NULL ? json_to_string (keys, TRUE) : NULL;

  if (text != NULL)
    g_print ("%s\n", text);
  else
    g_printerr ("boursed: %s\n", error->message);
}

/* boursed keys binance set --stdin | check | show | delete */
static int
command_keys_binance (Options   *options,
                      gboolean   from_stdin,
                      int        argc,
                      char     **argv,
                      GError   **error)
{
  g_auto(Offline) offline = { 0 };
  g_autofree char *actor = cli_actor ();
  g_autofree char *mode = NULL;
  g_autofree char *api_key = NULL;
  g_autoptr(GBytes) secret = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  const char *verb = argc >= 3 ? argv[2] : "";
  CliCheck check = { 0 };

  if (!g_str_equal (verb, "set") && !g_str_equal (verb, "check") && !g_str_equal (verb, "show")
      && !g_str_equal (verb, "delete"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "%s",
                   _("Usage: boursed keys binance set --stdin | check | show | delete"));
      return 2;
    }
  if (g_str_equal (verb, "set") && !from_stdin)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, "%s",
                   _("Keys are read from standard input only: boursed keys binance set --stdin"));
      return 2;
    }
  if (!offline_open (&offline, options, error)
      || (mode = bourse_trading_saved_mode (offline.store, error)) == NULL)
    return 1;
  if (g_str_equal (verb, "show"))
    {
      print_exchange_keys (&offline);
      return 0;
    }
  /* Keys in use by a live engine change only once it is back on paper. */
  if (!g_str_equal (verb, "check") && g_str_equal (mode, "live"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, "%s",
                   _("The keys trade live: switch to paper before changing them"));
      return 1;
    }
  if (g_str_equal (verb, "delete"))
    {
      if (!bourse_exchange_keys_delete (offline.store, bourse_auth_get_secrets (offline.auth), offline.auth, actor,
                                        &cli_context, error))
        return 1;
      g_print (_("Binance keys removed\n"));
      return 0;
    }

  if (g_str_equal (verb, "set") && !read_keys_stdin (&api_key, &secret, error))
    return 1;
  loop = g_main_loop_new (NULL, FALSE);
  check.loop = loop;
  if (secret != NULL)
    bourse_exchange_keys_enter_async (offline.store, bourse_auth_get_secrets (offline.auth), offline.auth,
                                      offline.config, api_key, secret, actor, &cli_context, NULL,
                                      cli_checked_cb, &check);
  else
    bourse_exchange_keys_recheck_async (offline.store, bourse_auth_get_secrets (offline.auth), offline.auth,
                                        offline.config, NULL, cli_checked_cb, &check);
  g_main_loop_run (loop);
  if (check.check == NULL)
    {
      g_propagate_error (error, check.error);
      return 1;
    }
  bourse_exchange_key_check_free (check.check);
  print_exchange_keys (&offline);
  return 0;
}

static int
command_keys (int    argc,
              char **argv)
{
  g_auto(Options) options = { 0 };
  g_autoptr(GError) error = NULL;
  gboolean from_stdin = FALSE;
  int status;

  if (argc >= 2 && g_str_equal (argv[1], "binance"))
    {
      /* --stdin is this command's own; the rest are serve's. */
      for (int i = 1; i < argc; i++)
        if (g_str_equal (argv[i], "--stdin"))
          {
            from_stdin = TRUE;
            memmove (&argv[i], &argv[i + 1], (argc - i) * sizeof (char *));
            argc--;
            i--;
          }
      if (!parse_options (&options, "keys binance", "set --stdin | check | show | delete",
                          _("Binance API keys: kept in the keyring after Binance accepts them (key on the first "
                            "line of standard input, secret after it), checked again, shown (never the key), "
                            "removed."), &argc, &argv, &error))
        status = 2;
      else
        status = command_keys_binance (&options, from_stdin, argc, argv, &error);
    }
  else if (!parse_options (&options, "keys", "rotate | binance …",
                           _("Make a new token-signing key (rotate), or manage the Binance API keys (binance)."),
                           &argc, &argv, &error)
           || argc < 2 || !g_str_equal (argv[1], "rotate"))
    {
      g_printerr ("%s\n", error ? error->message : _("Usage: boursed keys rotate | binance … [--data-dir DIR]"));
      return 2;
    }
  else
    status = command_keys_rotate (&options, &error);
  if (status != 0)
    g_printerr (status == 2 ? "%s\n" : "boursed: %s\n", error->message);
  return status;
}

/* boursed market download {{{ */

typedef struct
{
  GMainLoop           *loop;
  GCancellable        *cancellable;
  BourseDownload      *download;
  BourseDownloadStats  stats;
  gboolean             tty;
  gboolean             ok;
  GError              *error;
} CliDownload;

/* A time on the command line: RFC 3339, a date (@bound says which end of
 * the day), or milliseconds since the epoch. */
static gboolean
parse_cli_time (const char       *text,
                const char       *name,
                BourseTimeBound   bound,
                gint64           *value,
                GError          **error)
{
  if (text != NULL
      && (g_ascii_string_to_signed (text, 10, 0, BOURSE_TIME_MAX_MS, value, NULL)
          || bourse_time_parse_instant (text, bound, value, NULL)))
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("%s needs an RFC 3339 time, a date, or milliseconds since the epoch"), name);
  return FALSE;
}

/* From the worker thread: one line, redrawn in place on a terminal. */
static void
cli_download_progress_cb (const BourseDownloadStats *stats,
                          double                     fraction,
                          gpointer                   user_data)
{
  CliDownload *cli = user_data;

  g_autofree char *line = g_strdup_printf (_("%3d%%  %" PRIu64 " of %" PRIu64 " candles fetched, %u requests"),
                                           (int)(fraction * 100), (guint64)MIN (stats->fetched, stats->to_fetch),
                                           (guint64)stats->to_fetch, stats->n_requests);

  g_printerr (cli->tty ? "\r%s" : "%s\n", line);
}

static void
cli_download_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  CliDownload *cli = task_data;

  cli->ok = bourse_download_run (cli->download, cli_download_progress_cb, cli, cancellable, &cli->stats, &cli->error);
  g_task_return_boolean (task, TRUE);
}

static void
cli_download_done_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_main_loop_quit (((CliDownload *)user_data)->loop);
}

static gboolean
cli_download_interrupt_cb (gpointer user_data)
{
  g_cancellable_cancel (((CliDownload *)user_data)->cancellable);
  return G_SOURCE_CONTINUE;
}

static int
command_market_download (int    argc,
                         char **argv)
{
  g_auto(Options) options = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autofree GOptionEntry *common = option_entries (&options);
  g_autofree char *symbol = NULL;
  g_autofree char *interval_text = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;
  g_autofree char *actor = cli_actor ();
  g_autofree char *target = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseConfig) config = NULL;
  g_autoptr(BourseStore) store = NULL;
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(BourseAuditEntry) entry = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(BourseDownload) download = NULL;
  g_autoptr(JsonBuilder) details = json_builder_new ();
  g_autoptr(JsonNode) details_node = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *path = NULL;
  CliDownload cli = { 0 };
  BourseInterval interval;
  gint64 start = 0, end = 0;
  guint sigint, sigterm;
  GOptionEntry entries[] = {
    { "symbol", 0, 0, G_OPTION_ARG_STRING, &symbol, N_("Instrument, such as BTCUSDT (its source must be binance)"),
      N_("SYMBOL") },
    { "interval", 0, 0, G_OPTION_ARG_STRING, &interval_text, N_("Candle interval, 1m … 1M"), N_("INTERVAL") },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start_text,
      N_("From this time: RFC 3339 or milliseconds since the epoch"), N_("TIME") },
    { "end", 0, 0, G_OPTION_ARG_STRING, &end_text, N_("Up to this time, not included"), N_("TIME") },
    { NULL }
  };

  g_set_prgname ("boursed market download");
  g_option_context_set_summary (context, _("Download the candles of a range from Binance that are not stored yet."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || !parse_cli_time (start_text, "--start", BOURSE_TIME_BOUND_START, &start, &error)
      || !parse_cli_time (end_text, "--end", BOURSE_TIME_BOUND_END, &end, &error))
    {
      g_printerr ("boursed: %s\n", error->message);
      return 2;
    }
  if (symbol == NULL || interval_text == NULL || !bourse_interval_parse (interval_text, &interval, NULL))
    {
      g_printerr (_("Usage: boursed market download --symbol S --interval I --start T --end T [--data-dir DIR]\n"));
      return 2;
    }

  if ((config = load_config (&options, &error)) == NULL)
    {
      g_printerr ("boursed: %s\n", error->message);
      return 2;
    }
  init_logging (config);
  data_dir = bourse_config_dup_data_dir (config);
  path = g_build_filename (data_dir, "bourse.db", NULL);
  if ((store = bourse_store_open (path, &error)) == NULL
      || (instrument = bourse_instruments_find (store, symbol, &error)) == NULL
      || !bourse_download_validate (instrument, interval, start, end, &error))
    {
      const char *field = bourse_download_error_field (error);

      /* "start: must be before “end”" */
      if (field != NULL)
        g_printerr ("boursed: --%s: %s\n", field, error->message);
      else
        g_printerr ("boursed: %s\n", error->message);
      return 1;
    }

  /* The work runs in a thread, as a job's would; this one waits, and
   * turns Ctrl-C into a cancel (what was written stays). */
  download = bourse_download_new (config, path, instrument, interval, start, end);
  cli = (CliDownload) { loop, cancellable, download, { 0 }, isatty (fileno (stderr)), FALSE, NULL };
  sigint = g_unix_signal_add (SIGINT, cli_download_interrupt_cb, &cli);
  sigterm = g_unix_signal_add (SIGTERM, cli_download_interrupt_cb, &cli);
  task = g_task_new (NULL, cancellable, cli_download_done_cb, &cli);
  g_task_set_task_data (task, &cli, NULL);
  g_task_run_in_thread (task, cli_download_thread);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (cli.tty)
    g_printerr ("\n");

  json_builder_begin_object (details);
  json_builder_set_member_name (details, "status");
  json_builder_add_string_value (details, cli.ok ? "succeeded"
                                          : g_error_matches (cli.error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                            ? "cancelled" : "failed");
  json_builder_set_member_name (details, "params");
  json_builder_add_value (details, bourse_download_to_params (download));
  json_builder_set_member_name (details, "fetched");
  json_builder_add_int_value (details, cli.stats.fetched);
  json_builder_set_member_name (details, "written");
  json_builder_add_int_value (details, cli.stats.written);
  json_builder_end_object (details);
  details_node = json_builder_get_root (details);

  target = g_strconcat ("instrument:", instrument->symbol, NULL);
  entry = g_new0 (BourseAuditEntry, 1);
  entry->actor = g_strdup (actor);
  entry->action = g_strdup (BOURSE_DOWNLOAD_JOB_KIND);
  entry->target = g_strdup (target);
  entry->details = json_node_ref (details_node);
  entry->client_address = g_strdup ("local");
  if (!bourse_audit_append (store, entry, &error))
    g_printerr ("boursed: %s\n", error->message);

  if (!cli.ok)
    {
      g_printerr ("boursed: %s\n", cli.error->message);
      g_clear_error (&cli.error);
      return 1;
    }
  g_print (_("%s %s: %" PRIu64 " candles expected, %" PRIu64 " were missing, %" PRIu64 " fetched, %" PRIu64
             " new or changed, %u requests\n"),
           instrument->symbol, bourse_interval_to_string (interval), (guint64)cli.stats.expected,
           (guint64)cli.stats.missing, (guint64)cli.stats.fetched, (guint64)cli.stats.written, cli.stats.n_requests);
  return error == NULL ? 0 : 1;
}

/* }}} */

/* market {{{ */

/* The options every market command takes, besides the common ones. */
typedef struct
{
  char     *symbol;
  char     *interval_text;
  char     *format_text;
  gint64    start;
  gint64    end;
  char     *output;
} MarketOptions;

static void
market_options_clear (MarketOptions *options)
{
  g_free (options->symbol);
  g_free (options->interval_text);
  g_free (options->format_text);
  g_free (options->output);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MarketOptions, market_options_clear)

/* Parses the common options, and @extra; the positional arguments stay in argv. */
static gboolean
parse_market_options (Options       *options,
                      GOptionEntry  *extra,
                      const char    *command,
                      const char    *parameter,
                      const char    *summary,
                      int           *argc,
                      char        ***argv,
                      GError       **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autofree GOptionEntry *entries = option_entries (options);
  g_autofree char *prgname = g_strdup_printf ("boursed market %s", command);

  g_set_prgname (prgname);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, extra, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  return g_option_context_parse (context, argc, argv, error);
}

/* --symbol and --interval are required; --format as the command allows. */
static gboolean
check_market_options (MarketOptions    *market,
                      gboolean          allow_auto,
                      BourseInterval   *interval,
                      BourseCsvFormat  *format)
{
  if (market->symbol == NULL)
    {
      g_printerr (_("boursed: give the instrument with --symbol, such as --symbol BTCUSDT\n"));
      return FALSE;
    }
  if (market->interval_text == NULL || !bourse_interval_parse (market->interval_text, interval, NULL))
    {
      g_printerr (_("boursed: --interval must be one of 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M\n"));
      return FALSE;
    }
  if (market->format_text != NULL
      && (!bourse_csv_format_parse (market->format_text, format)
          || (!allow_auto && *format == BOURSE_CSV_FORMAT_AUTO)))
    {
      g_printerr (allow_auto ? _("boursed: --format must be auto, binance or generic\n")
                             : _("boursed: --format must be binance or generic\n"));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  BourseAuth *auth;
  const char *actor;
} CliAudit;

static gboolean
cli_audit_cb (BourseStore  *store,
              const char   *action,
              const char   *target,
              JsonNode     *details,
              gpointer      user_data,
              GError      **error)
{
  CliAudit *audit = user_data;

  /* The auth service's store is @store: the entry joins the import's transaction. */
  g_assert (bourse_auth_get_store (audit->auth) == store);
  return bourse_auth_audit (audit->auth, audit->actor, action, target, details, &cli_context, error);
}

static int
command_market_import (int    argc,
                       char **argv)
{
  g_auto(Options) options = { 0 };
  g_auto(MarketOptions) market = { 0 };
  g_auto(Offline) offline = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) input = NULL;
  g_autofree char *actor = cli_actor ();
  GOptionEntry extra[] = {
    { "symbol", 's', 0, G_OPTION_ARG_STRING, &market.symbol, N_("Instrument, such as BTCUSDT"), N_("SYMBOL") },
    { "interval", 'i', 0, G_OPTION_ARG_STRING, &market.interval_text, N_("Interval of the candles: 1m … 1M"),
      N_("INTERVAL") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &market.format_text, N_("auto (the default), binance or generic"),
      N_("FORMAT") },
    { NULL }
  };
  BourseCsvFormat format = BOURSE_CSV_FORMAT_AUTO;
  BourseInterval interval;
  BourseCsvImport result;
  CliAudit audit;

  if (!parse_market_options (&options, extra, "import", _("FILE"),
                             _("Import candles from a CSV file: Binance's kline files or "
                               "time,open,high,low,close,volume with a header."), &argc, &argv, &error)
      || argc != 2)
    {
      g_printerr ("%s\n", error ? error->message
                                : _("Usage: boursed market import FILE --symbol SYMBOL --interval INTERVAL "
                                    "[--format FORMAT] [--data-dir DIR]"));
      return 2;
    }
  if (!check_market_options (&market, TRUE, &interval, &format))
    return 2;

  file = g_file_new_for_commandline_arg (argv[1]);
  if ((input = g_file_read (file, NULL, &error)) == NULL
      || !offline_open (&offline, &options, &error))
    {
      g_printerr ("boursed: %s\n", error->message);
      return 1;
    }

  /* The same import as POST /api/v1/market/import: one transaction with
   * its audit entry. The file is read a chunk at a time, so that a file
   * of any size imports in the same memory. */
  audit = (CliAudit) { offline.auth, actor };
  if (!bourse_csv_import_stream (offline.store, market.symbol, interval, format, G_INPUT_STREAM (input),
                                 cli_audit_cb, &audit, &result, NULL, &error))
    {
      g_printerr ("boursed: %s: %s\n", argv[1], error->message);
      return 1;
    }

  g_print (_("Imported %" PRIu64 " candles (%" PRIu64 " changed) into %s %s\n"),
           (guint64) result.rows, (guint64) result.changed, market.symbol, bourse_interval_to_string (interval));
  return 0;
}

static int
command_market_export (int    argc,
                       char **argv)
{
  g_auto(Options) options = { 0 };
  g_auto(MarketOptions) market = { .start = BOURSE_TIME_MIN_MS, .end = BOURSE_TIME_MAX_MS };
  g_auto(Offline) offline = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  GOptionEntry extra[] = {
    { "symbol", 's', 0, G_OPTION_ARG_STRING, &market.symbol, N_("Instrument, such as BTCUSDT"), N_("SYMBOL") },
    { "interval", 'i', 0, G_OPTION_ARG_STRING, &market.interval_text, N_("Interval of the candles: 1m … 1M"),
      N_("INTERVAL") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &market.format_text, N_("generic (the default) or binance"),
      N_("FORMAT") },
    { "start", 0, 0, G_OPTION_ARG_INT64, &market.start, N_("First open time, in ms since the epoch"), N_("MS") },
    { "end", 0, 0, G_OPTION_ARG_INT64, &market.end, N_("Last open time, in ms since the epoch"), N_("MS") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &market.output, N_("Write to FILE instead of standard output"),
      N_("FILE") },
    { NULL }
  };
  BourseCsvFormat format = BOURSE_CSV_FORMAT_GENERIC;
  BourseInterval interval;
  gint64 cursor;
  guint64 total = 0;
  gboolean done = FALSE;

  if (!parse_market_options (&options, extra, "export", NULL, _("Export candles to a CSV file."),
                             &argc, &argv, &error)
      || argc != 1)
    {
      g_printerr ("%s\n", error ? error->message
                                : _("Usage: boursed market export --symbol SYMBOL --interval INTERVAL [--start MS] "
                                    "[--end MS] [--format FORMAT] [--output FILE] [--data-dir DIR]"));
      return 2;
    }
  if (!check_market_options (&market, FALSE, &interval, &format))
    return 2;
  if (market.start > market.end)
    {
      g_printerr (_("boursed: --start must not be after --end\n"));
      return 2;
    }

  if (!offline_open (&offline, &options, &error)
      || (instrument = bourse_instruments_find (offline.store, market.symbol, &error)) == NULL)
    {
      g_printerr ("boursed: %s\n", error->message);
      return 1;
    }

  if (market.output != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (market.output);

      /* A temporary file renamed into place on close: never a half-written one. */
      out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
    }
  else
    out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);

  bourse_csv_append_header (text, format);
  for (cursor = market.start; out != NULL && !done;)
    {
      gsize n = 0;

      if (!bourse_csv_export_page (offline.store, instrument->id, interval, format, &cursor, market.end,
                                   text, &n, &done, &error)
          || !g_output_stream_write_all (out, text->str, text->len, NULL, NULL, &error))
        break;
      g_string_truncate (text, 0);
      total += n;
    }
  if (error != NULL)
    {
      /* Closing a replacement cancelled leaves the old file as it was. */
      g_autoptr(GCancellable) cancelled = g_cancellable_new ();

      g_cancellable_cancel (cancelled);
      if (out != NULL)
        g_output_stream_close (out, cancelled, NULL);
      g_printerr ("boursed: %s\n", error->message);
      return 1;
    }
  if (!g_output_stream_close (out, NULL, &error))
    {
      g_printerr ("boursed: %s\n", error->message);
      return 1;
    }

  if (market.output != NULL)
    g_print (_("Exported %" PRIu64 " candles of %s %s to %s\n"), total, instrument->symbol,
             bourse_interval_to_string (interval), market.output);
  return 0;
}

/* `boursed market VERB …`: one row per verb. */
static const struct
{
  const char *verb;
  int       (*run)     (int    argc,
                        char **argv);
  const char *summary;
} market_commands[] = {
  { "import", command_market_import, N_("import FILE      Import candles from a CSV file") },
  { "export", command_market_export, N_("export           Export candles to a CSV file") },
  { "download", command_market_download, N_("download         Download missing candles from Binance") },
};

static int
command_market (int    argc,
                char **argv)
{
  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (market_commands); i++)
      if (g_str_equal (argv[1], market_commands[i].verb))
        return market_commands[i].run (argc - 1, argv + 1);

  g_printerr ("%s\n\n", _("Usage: boursed market COMMAND [OPTION…]"));
  for (guint i = 0; i < G_N_ELEMENTS (market_commands); i++)
    g_printerr ("  %s\n", _(market_commands[i].summary));
  g_printerr ("\n%s\n", _("Run “boursed market COMMAND --help” for the options of a command."));
  return 2;
}

/* }}} */

/* backtest {{{ */

/* A --param value as JSON: a whole number, a number, a boolean, or else a
 * string; the strategy's description decides what it may be. */
static JsonNode *
param_value (const char *text)
{
  JsonNode *node = json_node_alloc ();
  gint64 integer;
  char *end = NULL;
  double number;

  if (g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &integer, NULL))
    return json_node_init_int (node, integer);
  number = g_ascii_strtod (text, &end);
  if (*text != '\0' && end != NULL && *end == '\0')
    return json_node_init_double (node, number);
  if (g_str_equal (text, "true") || g_str_equal (text, "false"))
    return json_node_init_boolean (node, g_str_equal (text, "true"));
  return json_node_init_string (node, text);
}

/* The option a request's member came from, for a refusal. */
static const char *
backtest_option_of (const char *field)
{
  static const struct { const char *field, *option; } options[] = {
    { "starting_cash", "--cash" }, { "fee_rate", "--fee-rate" }, { "slippage_bps", "--slippage-bps" },
    { "stake_fraction", "--stake" }, { "allow_short", "--allow-short" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (options); i++)
    if (g_strcmp0 (field, options[i].field) == 0)
      return options[i].option;
  return NULL;
}

/* A string member of a trade, or "-" when it is null (an open trade's exit). */
static const char *
trade_text (JsonObject *trade,
            const char *name)
{
  const char *text = bourse_json_get_string (trade, name);

  return text != NULL ? text : "-";
}

static void
print_backtest_tables (const BourseBacktestRecord *record,
                       JsonObject                 *result)
{
  JsonObject *metrics = bourse_json_get_object (result, "metrics");
  JsonArray *trades = bourse_json_get_array (result, "trades");
  g_autoptr(GList) names = metrics != NULL ? json_object_get_members (metrics) : NULL;

  g_print (_("Backtest %" PRId64 ": %s on %s %s, %s to %s\n\n"), (gint64) record->id, record->strategy,
           record->symbol, record->interval, record->start, record->end);
  g_print ("%-26s %s\n", _("Metric"), _("Value"));
  for (const GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (metrics, l->data);
      g_autofree char *value = NULL;

      if (JSON_NODE_HOLDS_NULL (node))
        value = g_strdup ("∞");
      else if (json_node_get_value_type (node) == G_TYPE_STRING)
        value = g_strdup (json_node_get_string (node));
      else if (json_node_get_value_type (node) == G_TYPE_INT64)
        value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      else
        value = g_strdup_printf ("%.6f", json_node_get_double (node));
      g_print ("%-26s %s\n", (const char *) l->data, value);
    }

  g_print ("\n%-5s  %-24s  %14s  %-24s  %14s  %16s  %16s  %s\n", _("Side"), _("Entry"), _("Entry price"),
           _("Exit"), _("Exit price"), _("Quantity"), _("Net PnL"), _("Exit reason"));
  for (guint i = 0; trades != NULL && i < json_array_get_length (trades); i++)
    {
      JsonObject *trade = json_array_get_object_element (trades, i);
      const char *reason = bourse_json_get_string (trade, "exit_reason");

      g_print ("%-5s  %-24s  %14s  %-24s  %14s  %16s  %16s  %s\n", trade_text (trade, "side"),
               trade_text (trade, "entry_time"), trade_text (trade, "entry_price"), trade_text (trade, "exit_time"),
               trade_text (trade, "exit_price"), trade_text (trade, "quantity"), trade_text (trade, "pnl"),
               reason != NULL ? reason : _("open"));
    }
}

static int
command_backtest_run (int    argc,
                      char **argv)
{
  g_auto(Options) options = { 0 };
  g_auto(Offline) offline = { 0 };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autofree GOptionEntry *common = option_entries (&options);
  g_autofree char *strategy = NULL, *symbol = NULL, *interval = NULL, *start = NULL, *end = NULL;
  g_autofree char *cash = NULL, *fee_rate = NULL, *stake = NULL, *exits = NULL, *note = NULL;
  g_auto(GStrv) params = NULL;
  g_autofree char *actor = cli_actor ();
  g_autoptr(JsonObject) request_object = json_object_new ();
  g_autoptr(JsonObject) params_object = json_object_new ();
  g_autoptr(BourseBacktestRequest) request = NULL;
  g_autoptr(BourseBacktestResult) result = NULL;
  g_autoptr(BourseBacktestRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  gint64 slippage = -1, lookback = 0;
  gboolean allow_short = FALSE, protections = FALSE, json = FALSE;
  BourseBacktestsCaller caller = { actor, 0, &cli_context, TRUE };
  GOptionEntry entries[] = {
    { "strategy", 0, 0, G_OPTION_ARG_STRING, &strategy, N_("Strategy id or alias, such as sma-cross"), N_("ID") },
    { "symbol", 0, 0, G_OPTION_ARG_STRING, &symbol, N_("Instrument, such as BTCUSDT"), N_("SYMBOL") },
    { "interval", 0, 0, G_OPTION_ARG_STRING, &interval, N_("Candle interval, 1m … 1M"), N_("INTERVAL") },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start, N_("From this time (RFC 3339)"), N_("TIME") },
    { "end", 0, 0, G_OPTION_ARG_STRING, &end, N_("Up to this time, not included (RFC 3339)"), N_("TIME") },
    { "param", 0, 0, G_OPTION_ARG_STRING_ARRAY, &params, N_("A strategy parameter, such as fast=10; repeatable"),
      N_("NAME=VALUE") },
    { "cash", 0, 0, G_OPTION_ARG_STRING, &cash, N_("Starting cash (default 10000)"), N_("DECIMAL") },
    { "fee-rate", 0, 0, G_OPTION_ARG_STRING, &fee_rate, N_("Fee of the notional (default 0.001)"), N_("DECIMAL") },
    { "slippage-bps", 0, 0, G_OPTION_ARG_INT64, &slippage, N_("Slippage in basis points (default 2)"), N_("N") },
    { "stake", 0, 0, G_OPTION_ARG_STRING, &stake, N_("Fraction of the free cash an entry uses (default 1)"),
      N_("DECIMAL") },
    { "exits", 0, 0, G_OPTION_ARG_STRING, &exits, N_("signals, levels or both (the default)"), N_("EXITS") },
    { "lookback", 0, 0, G_OPTION_ARG_INT64, &lookback, N_("Candles per evaluation (default: the live window)"),
      N_("N") },
    { "allow-short", 0, 0, G_OPTION_ARG_NONE, &allow_short, N_("Let SELL open a short when flat"), NULL },
    { "protections", 0, 0, G_OPTION_ARG_NONE, &protections,
      N_("Apply the global risk limits and protections in force, as live"), NULL },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("A note stored with the backtest"), N_("TEXT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };

  g_set_prgname ("boursed backtest run");
  g_option_context_set_summary (context, _("Run a backtest on the stored candles and store it, as "
                                           "POST /api/v1/backtests does (docs/BACKTESTS.md)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, common, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 1)
    {
      g_printerr ("%s\n", error ? error->message
                                : _("Usage: boursed backtest run --strategy ID --symbol SYMBOL --interval INTERVAL "
                                    "--start TIME --end TIME [OPTION…]"));
      return 2;
    }

  /* The options become the request the API takes, checked by the same code. */
#define SET_STRING(name, value) if ((value) != NULL) json_object_set_string_member (request_object, name, value)
  SET_STRING ("strategy", strategy);
  SET_STRING ("symbol", symbol);
  SET_STRING ("interval", interval);
  SET_STRING ("start", start);
  SET_STRING ("end", end);
  SET_STRING ("starting_cash", cash);
  SET_STRING ("fee_rate", fee_rate);
  SET_STRING ("stake_fraction", stake);
  SET_STRING ("exits", exits);
  SET_STRING ("note", note);
#undef SET_STRING
  if (slippage >= 0)
    json_object_set_int_member (request_object, "slippage_bps", slippage);
  if (lookback != 0)
    json_object_set_int_member (request_object, "lookback", lookback);
  json_object_set_boolean_member (request_object, "allow_short", allow_short);
  json_object_set_boolean_member (request_object, "protections", protections);
  for (guint i = 0; params != NULL && params[i] != NULL; i++)
    {
      const char *equals = strchr (params[i], '=');
      g_autofree char *name = NULL;

      if (equals == NULL || equals == params[i])
        {
          g_printerr (_("boursed: --param takes NAME=VALUE, such as --param fast=10\n"));
          return 2;
        }
      name = g_strndup (params[i], equals - params[i]);
      json_object_set_member (params_object, name, param_value (equals + 1));
    }
  json_object_set_object_member (request_object, "params", json_object_ref (params_object));

  if (!offline_open (&offline, &options, &error))
    {
      g_printerr ("boursed: %s\n", error->message);
      return 1;
    }
  if ((request = bourse_backtest_request_parse (offline.store, request_object, NULL, &error)) == NULL)
    {
      const char *field = bourse_error_get_field (error);
      const char *option = backtest_option_of (field);
      g_autofree char *named = NULL;

      if (field != NULL && option == NULL)
        named = g_str_has_prefix (field, "params.") ? g_strdup_printf ("--param %s", field + 7)
                                                    : g_strdup_printf ("--%s", field);
      g_printerr ("boursed: %s%s%s\n", option ? option : named ? named : "", field ? ": " : "", error->message);
      return field != NULL ? 2 : 1;
    }

  /* The limits and protections stored now, as a running boursed would
   * give its run; read once, its timer never runs here. */
  if (protections)
    {
      g_autoptr(BourseRisk) risk = bourse_risk_new (offline.store, offline.config, NULL, &error);

      if (risk == NULL)
        {
          g_printerr ("boursed: %s\n", error->message);
          return 1;
        }
      bourse_backtest_request_take_risk_limits (request, risk);
      bourse_risk_stop (risk);
    }

  /* Synchronously, without a job: a running boursed's jobs are its own, and
   * this one stores the run once it has succeeded. */
  if ((result = bourse_backtest_request_run (request, offline.store, NULL, NULL, NULL, &error)) == NULL
      || (record = bourse_backtests_store_result (offline.store, offline.auth, request, result, &caller,
                                                  &error)) == NULL)
    {
      g_printerr ("boursed: %s\n", error->message);
      return 1;
    }

  if (json)
    {
      g_autofree char *text = bourse_json_to_string (record->result, NULL);

      g_print ("%s\n", text);
    }
  else
    print_backtest_tables (record, json_node_get_object (record->result));
  return 0;
}

static int
command_backtest (int    argc,
                  char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "run"))
    return command_backtest_run (argc - 1, argv + 1);

  g_printerr ("%s\n\n  %s\n\n%s\n", _("Usage: boursed backtest COMMAND [OPTION…]"),
              _("run              Run a backtest on the stored candles, and store it"),
              _("Run “boursed backtest run --help” for its options."));
  return 2;
}

/* }}} */

/* boursed api {{{ */

/* The client's key and server, kept where the engine keeps its secrets:
 * the keyring, or the data directory's 0600 file on a headless machine. */
#define API_KEY_SECRET "api-client-key"
#define API_URL_SECRET "api-client-url"

static BourseSecrets *
api_open_secrets (Options  *options,
                  GError  **error)
{
  g_autoptr(BourseConfig) config = load_config (options, error);
  g_autofree char *data_dir = NULL;

  if (config == NULL)
    return NULL;
  init_logging (config);
  data_dir = bourse_config_dup_data_dir (config);
  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot make %s: %s"), data_dir,
                   g_strerror (saved));
      return NULL;
    }
  return bourse_secrets_new_for_config (config, error);
}

static char *
api_lookup (BourseSecrets *secrets,
            const char    *name)
{
  g_autoptr(GBytes) bytes = secrets != NULL ? bourse_secrets_lookup (secrets, name, NULL) : NULL;

  if (bytes == NULL)
    return NULL;
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* "/api/v1/orders", or "orders" for short, against the server's address. */
static char *
api_url_for (const char *base,
             const char *path)
{
  const char *slash = g_str_has_suffix (base, "/") ? "" : "/";

  if (path[0] == '/')
    path++;
  else if (!g_str_has_prefix (path, "api/") && !g_str_equal (path, "health") && !g_str_equal (path, "metrics"))
    return g_strconcat (base, slash, "api/v1/", path, NULL);
  return g_strconcat (base, slash, path, NULL);
}

/* Sends a request and prints its answer: JSON pretty on standard output,
 * a problem document on standard error. The exit status: 0, or 1 for an
 * answer of 400 or above or no answer at all. */
static int
api_send (const char *base,
          const char *key,
          const char *method,
          const char *path,
          GBytes     *body)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 120,
                                                                  "user-agent", "boursed-api/" PACKAGE_VERSION,
                                                                  NULL);
  g_autofree char *url = api_url_for (base, path);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *type;
  gsize length = 0;
  const char *data;
  guint status;

  if (message == NULL)
    {
      g_printerr (_("boursed: not a valid address: %s\n"), url);
      return 2;
    }
  soup_message_headers_replace (soup_message_get_request_headers (message), "X-API-Key", key);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "application/json");
  if (body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/json", body);

  if ((answer = soup_session_send_and_read (session, message, NULL, &error)) == NULL)
    {
      g_printerr ("boursed: %s: %s\n", url, error->message);
      return 1;
    }
  status = soup_message_get_status (message);
  type = soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL);
  data = g_bytes_get_data (answer, &length);

  if (length > 0)
    {
      FILE *stream = status >= 400 ? stderr : stdout;

      if (type != NULL && g_str_has_suffix (type, "json") && json_parser_load_from_data (parser, data, length, NULL))
        {
          g_autoptr(JsonGenerator) generator = json_generator_new ();
          g_autofree char *text = NULL;

          json_generator_set_root (generator, json_parser_get_root (parser));
          json_generator_set_pretty (generator, TRUE);
          json_generator_set_indent (generator, 2);
          text = json_generator_to_data (generator, NULL);
          fprintf (stream, "%s\n", text);
        }
      else
        fwrite (data, 1, length, stream);
    }
  else if (status >= 400)
    g_printerr ("boursed: %s %s: %u %s\n", method, url, status, soup_message_get_reason_phrase (message));

  return status >= 400 ? 1 : 0;
}

/* --data: JSON as given, @FILE, or @- for standard input. */
static GBytes *
api_read_data (const char  *data,
               GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (data == NULL)
    return NULL;
  if (data[0] != '@')
    return g_bytes_new (data, strlen (data));
  if (g_str_equal (data, "@-"))
    {
      g_autoptr(GInputStream) in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

      if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
        return NULL;
      return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
    }
  if (!g_file_get_contents (data + 1, &contents, &length, error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

/* boursed api login --url URL [--key-file FILE]: checks the key against the
 * server (GET /api/v1/permissions) and keeps both; nothing is kept when the
 * server refuses it. */
static int
command_api_login (Options    *options,
                   const char *url,
                   const char *key_file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseSecrets) secrets = NULL;
  g_autoptr(GBytes) key_bytes = NULL;
  g_autoptr(GBytes) url_bytes = NULL;
  g_autofree char *key = NULL;

  if (url == NULL || (!g_str_has_prefix (url, "http://") && !g_str_has_prefix (url, "https://")))
    {
      g_printerr (_("boursed: give the server with --url http://HOST:PORT/\n"));
      return 2;
    }
  if (key_file != NULL)
    {
      if (!g_file_get_contents (key_file, &key, NULL, &error))
        {
          g_printerr ("boursed: %s\n", error->message);
          return 2;
        }
      g_strstrip (key);
    }
  else if ((key = read_password_stdin (NULL)) == NULL)
    {
      g_printerr (_("boursed: give the API key on standard input or with --key-file\n"));
      return 2;
    }
  if (key[0] == '\0')
    {
      g_printerr (_("boursed: the API key is empty\n"));
      return 2;
    }

  if (api_send (url, key, "GET", "/api/v1/permissions", NULL) != 0)
    {
      g_printerr (_("boursed: the server refused the key: nothing is kept\n"));
      return 1;
    }
  if ((secrets = api_open_secrets (options, &error)) == NULL)
    {
      g_printerr ("boursed: %s\n", error->message);
      return 1;
    }
  key_bytes = g_bytes_new (key, strlen (key));
  url_bytes = g_bytes_new (url, strlen (url));
  sodium_memzero (key, strlen (key));
  if (!bourse_secrets_store (secrets, API_KEY_SECRET, key_bytes, &error)
      || !bourse_secrets_store (secrets, API_URL_SECRET, url_bytes, &error))
    {
      g_printerr ("boursed: %s\n", error->message);
      return 1;
    }
  g_printerr (_("The key for %s is kept; run “boursed api GET /api/v1/version”\n"), url);
  return 0;
}

static int
command_api (int    argc,
             char **argv)
{
  g_auto(Options) options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(BourseSecrets) secrets = NULL;
  g_autofree char *url = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *data = NULL;
  g_autofree char *stored_url = NULL;
  g_autofree char *stored_key = NULL;
  g_autofree char *method = NULL;
  const char *base, *key;
  GOptionEntry extra[] = {
    { "data", 0, 0, G_OPTION_ARG_STRING, &data, N_("The request's JSON body, or @FILE, or @- for standard input"),
      N_("JSON") },
    { "url", 'u', 0, G_OPTION_ARG_STRING, &url, N_("The server (api login; else $BOURSE_URL or the one kept)"),
      N_("URL") },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file, N_("Read the API key from FILE (api login)"),
      N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("METHOD PATH | login | logout"));
  g_autofree GOptionEntry *entries = option_entries (&options);

  g_set_prgname ("boursed api");
  g_option_context_set_summary (context, _("Call the API of a running boursed with an API key, for scripts.\n\n"
                                           "The key and the server come from $BOURSE_API_KEY and $BOURSE_URL, "
                                           "or from “boursed api login --url URL”, which reads the key on "
                                           "standard input and keeps it in the keyring.\n"
                                           "Answers are printed as JSON; errors go to standard error with "
                                           "exit status 1."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, extra, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 2)
    {
      g_printerr ("%s\n", error ? error->message : _("Usage: boursed api METHOD PATH [--data JSON|@FILE] | login --url URL | logout"));
      return 2;
    }

  if (g_str_equal (argv[1], "login"))
    return command_api_login (&options, url, key_file);

  if (g_str_equal (argv[1], "logout"))
    {
      if ((secrets = api_open_secrets (&options, &error)) == NULL
          || !bourse_secrets_delete (secrets, API_KEY_SECRET, &error)
          || !bourse_secrets_delete (secrets, API_URL_SECRET, &error))
        {
          g_printerr ("boursed: %s\n", error->message);
          return 1;
        }
      return 0;
    }

  if (argc != 3)
    {
      g_printerr (_("Usage: boursed api METHOD PATH [--data JSON|@FILE] | login --url URL | logout\n"));
      return 2;
    }
  method = g_ascii_strup (argv[1], -1);
  if ((data != NULL && (body = api_read_data (data, &error)) == NULL && error != NULL))
    {
      g_printerr ("boursed: --data: %s\n", error->message);
      return 2;
    }

  /* The environment wins over what is kept, as for the engine's settings. */
  base = url != NULL ? url : g_getenv ("BOURSE_URL");
  key = g_getenv ("BOURSE_API_KEY");
  if (base == NULL || key == NULL)
    {
      if ((secrets = api_open_secrets (&options, &error)) == NULL)
        {
          g_printerr ("boursed: %s\n", error->message);
          return 1;
        }
      if (base == NULL)
        base = stored_url = api_lookup (secrets, API_URL_SECRET);
      if (key == NULL)
        key = stored_key = api_lookup (secrets, API_KEY_SECRET);
    }
  if (base == NULL || key == NULL)
    {
      g_printerr (_("boursed: no server or key: run “boursed api login --url URL” or set BOURSE_URL and "
                    "BOURSE_API_KEY\n"));
      return 2;
    }

  return api_send (base, key, method, argv[2], body);
}

/* }}} */

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n\n  %s\n  %s\n  %s\n  %s\n  %s\n  %s\n  %s\n  %s\n  %s\n  %s\n  %s\n\n%s\n",
           _("Usage: boursed COMMAND [OPTION…]"),
           _("serve            Run the engine and its HTTP/WebSocket server"),
           _("config show      Print the effective configuration"),
           _("config check F   Check a configuration file"),
           _("config export    Print the configuration's changed values as a file"),
           _("user …           Add, list, disable accounts; reset a password"),
           _("audit verify     Check the audit trail's hash chain"),
           _("keys …           Rotate the token-signing key; set, check, show, delete Binance keys"),
           _("market …         Import, export and download candles"),
           _("backtest run     Run a backtest on the stored candles"),
           _("api METHOD PATH  Call a running boursed's API with an API key (api login keeps one)"),
           _("--version        Print the version"),
           _("Run “boursed COMMAND --help” for the options of a command."));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  bourse_server_init_tls_policy ();

  if (argc < 2)
    {
      print_usage (stderr);
      return 2;
    }

  if (g_str_equal (argv[1], "--version") || g_str_equal (argv[1], "version"))
    {
      g_print ("boursed %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "help") || g_str_equal (argv[1], "-h"))
    {
      print_usage (stdout);
      return 0;
    }
  if (g_str_equal (argv[1], "serve"))
    return command_serve (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "config"))
    return command_config (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "user"))
    return command_user (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "audit"))
    return command_audit (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "keys"))
    return command_keys (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "market"))
    return command_market (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "backtest"))
    return command_backtest (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "api"))
    return command_api (argc - 1, argv + 1);

  g_printerr (_("boursed: unknown command “%s”\n"), argv[1]);
  print_usage (stderr);
  return 2;
}
