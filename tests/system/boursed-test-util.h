/* boursed-test-util.h — real boursed processes for the system suite
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Generous, for sanitizer builds on a busy machine; a wait that runs out
 * fails the test instead of hanging it. */
#define BOURSED_START_TIMEOUT_S   60
#define BOURSED_EXIT_TIMEOUT_S    30
#define BOURSED_COMMAND_TIMEOUT_S 60

typedef struct
{
  char  *dir;          /* everything of one test lives here */
  char  *data_dir;
  char  *config_home;  /* XDG_CONFIG_HOME of the children */
  guint  n_logs;
} BoursedFixture;

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  char             *log_path;
  guint             port;
  GPid              pid;
} BoursedDaemon;

typedef struct
{
  int   status;        /* exit status, or -1 if killed by a signal */
  char *out;
  char *err;
} BoursedCommand;

/* The binary under test ($BOURSED); NULL after printing a TAP bail-out. */
const char    *boursed_test_init              (void);

void           boursed_fixture_set_up         (BoursedFixture      *f,
                                               gconstpointer        data);
void           boursed_fixture_tear_down      (BoursedFixture      *f,
                                               gconstpointer        data);

/* For a child spawned by hand (g_spawn_*): it dies with us. */
void           boursed_child_setup            (gpointer             data);
/* extra_env: "NAME=value" strings, NULL-terminated (may be NULL). The children
 * get none of our BOURSE_* variables, private XDG directories, file secrets. */
char         **boursed_child_environ          (BoursedFixture      *f,
                                               const char * const  *extra_env);
BoursedDaemon *boursed_daemon_start           (BoursedFixture      *f,
                                               const char * const  *extra_env,
                                               const char * const  *args);
/* A signal, then a clean exit (status 0) within the time-out. */
void           boursed_daemon_stop            (BoursedDaemon       *daemon,
                                               int                  signum);
/* SIGKILL; returns once the process is gone. */
void           boursed_daemon_kill            (BoursedDaemon       *daemon);
char          *boursed_daemon_log             (BoursedDaemon       *daemon);
/* The next line boursed printed on its standard output after the
 * Listening line, or NULL at its end (read after it stopped); fails the
 * test when none comes in time. */
char          *boursed_daemon_read_line       (BoursedDaemon       *daemon);
void           boursed_daemon_free            (BoursedDaemon       *daemon);

void           boursed_run                    (BoursedFixture      *f,
                                               const char * const  *extra_env,
                                               const char * const  *args,
                                               const char          *input,
                                               BoursedCommand      *command);
void           boursed_command_clear          (BoursedCommand      *command);
/* `boursed user add NAME --role ROLE --password-stdin`, which must succeed. */
void           boursed_add_user               (BoursedFixture      *f,
                                               const char          *name,
                                               const char          *role,
                                               const char          *password);

/* Open descriptors and resident memory of a process, from /proc. */
guint          boursed_count_fds              (GPid                 pid);
guint64        boursed_rss_kib                (GPid                 pid);
/* TCP connections of local port @port in state CLOSE-WAIT, as `ss` shows them. */
guint          boursed_count_close_wait       (guint                port);

/* Spins the default main context until *done; fails the test on time-out. */
void           boursed_wait_for               (gboolean            *done,
                                               guint                seconds,
                                               const char          *what);
/* Polls condition every 20 ms (spinning the main context) until it holds or
 * seconds pass; returns whether it held. */
gboolean       boursed_poll                   (gboolean           (*condition) (gpointer),
                                               gpointer             data,
                                               guint                seconds);

/* A blocking request (the server is another process); token is a bearer
 * token or NULL. Returns the JSON answer (NULL if empty) and its status. */
JsonNode      *boursed_http                   (SoupSession         *session,
                                               guint                port,
                                               const char          *method,
                                               const char          *path,
                                               const char * const  *headers,
                                               const char          *token,
                                               const char          *content_type,
                                               const char          *body,
                                               guint               *status,
                                               GError             **error);
/* As boursed_http, asserting the status and success. */
JsonNode      *boursed_http_expect            (SoupSession         *session,
                                               guint                port,
                                               const char          *method,
                                               const char          *path,
                                               const char          *token,
                                               const char          *body,
                                               guint                expected_status);
/* A request, its status logged and returned; when @json is given, the
 * answer, which must be JSON. */
guint          boursed_call                   (SoupSession         *session,
                                               guint                port,
                                               const char          *method,
                                               const char          *path,
                                               const char          *token,
                                               const char          *body,
                                               JsonNode           **json);
char          *boursed_login                  (SoupSession         *session,
                                               guint                port,
                                               const char          *name,
                                               const char          *password);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BoursedDaemon, boursed_daemon_free)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BoursedCommand, boursed_command_clear)

G_END_DECLS
