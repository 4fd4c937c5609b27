/* gui-util.h — what the GUI tests share
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "client/bourse-client.h"

#include "bourse-local-engine.h"
#include "bourse-window.h"

G_BEGIN_DECLS

/* A bound, not a guess: under AddressSanitizer (CI's second run, where
 * every layout is several times slower and the machine may be busy) it is
 * three times as long, as meson's --timeout-multiplier 3 is for the tests. */
#if defined(__SANITIZE_ADDRESS__)
#define TIMEOUT_MS 90000
#else
#define TIMEOUT_MS 30000
#endif

/* Spins the default context until @condition holds; a time-out fails the
 * test instead of hanging it. */
void               wait_until          (gboolean   (*condition) (gpointer),
                                        gpointer     data,
                                        const char  *what);
/* Spins the default context for @ms milliseconds. */
void               spin                (guint        ms);
gboolean           pointer_is_set      (gpointer     data);
gboolean           pointer_is_null     (gpointer     data);
/* Whether the BourseWindow @data has a client that knows its role's
 * permissions: from then on the pages offer what the role may do. */
gboolean           window_knows_permissions (gpointer data);
/* A GAsyncReadyCallback that stores a reference to the result in
 * *user_data. */
void               store_result_cb     (GObject     *object,
                                        GAsyncResult *result,
                                        gpointer     user_data);

/* Starts an engine on @data_dir and returns it, with its URL in @url. */
BourseLocalEngine *start_engine        (const char  *data_dir,
                                        char       **url);
void               stop_engine         (BourseLocalEngine *engine);

JsonNode          *get_json            (BourseClient *client,
                                        const char   *path,
                                        GError      **error);
JsonNode          *request_json        (BourseClient *client,
                                        const char   *method,
                                        const char   *path,
                                        const char   *body,
                                        GError      **error);
/* POST /api/v1/users with the given fields; returns the new id. */
gint64             create_user         (BourseClient *client,
                                        const char   *username,
                                        const char   *role);
/* POST /api/v1/auth/register, anonymously; returns the new id. */
gint64             register_user       (const char   *url,
                                        const char   *username);
/* The account's "status" member from GET /api/v1/users, or NULL. */
char              *dup_user_member     (BourseClient *client,
                                        const char   *username,
                                        const char   *member);

GtkWidget         *find_widget         (GtkWidget   *root,
                                        const char  *name);
/* Like find_widget (), among what is shown: a row's template may hold
 * every button it may show, and hide those that do not apply. */
GtkWidget         *find_shown          (GtkWidget   *root,
                                        const char  *name);
GtkWidget         *find_widget_of_type (GtkWidget   *root,
                                        GType        type);
const char        *label_text          (GtkWidget   *root,
                                        const char  *name);
/* The toplevel window of @type, or NULL. */
GtkWidget         *find_toplevel       (GType        type);
/* The visible toplevel whose widget name is @name, or NULL; the two
 * conditions take the name. */
GtkWidget         *find_named_toplevel (const char  *name);
gboolean           named_toplevel_is_shown (gpointer name);
gboolean           named_toplevel_is_gone  (gpointer name);
/* The first button below @root labelled @label (mnemonic included). */
GtkWidget         *find_button_labelled (GtkWidget *root,
                                         const char *label);
/* A widget named @name below @root; the conditions take a WidgetQuery. */
typedef struct
{
  GtkWidget  *root;
  const char *name;
} WidgetQuery;

gboolean           widget_exists       (gpointer     query);
gboolean           widget_is_gone      (gpointer     query);
/* Waits for the widget named @name below @root, and returns it. */
GtkWidget         *wait_for_widget_named (gpointer    root,
                                          const char *name);
/* Whether the window's sidebar lists the page @name, made or not: the
 * window makes most pages when they are first shown. */
gboolean           window_lists_page   (BourseWindow *window,
                                        const char   *name);
void               wait_for_listed_page (BourseWindow *window,
                                         const char   *name);
/* Waits for the sidebar to list the page @name, shows it and returns the
 * widget named @widget_name, the page made for it. */
GtkWidget         *show_listed_page    (BourseWindow *window,
                                        const char   *name,
                                        const char   *widget_name);
/* Clicks a button that must be there and sensitive. */
void               click               (GtkWidget   *button);
/* Presses Tab in @window, as GTK does for the key, until @target has the
 * focus (TRUE), or @max_steps presses later (FALSE). */
gboolean           tab_to              (GtkWidget   *window,
                                        GtkWidget   *target,
                                        guint        max_steps);
/* Whether a label below @root reads @text somewhere in its words. */
gboolean           some_label_contains (GtkWidget   *root,
                                        const char  *text);

/* A window on the server at @base_url signed in with @token, presented;
 * the caller owns a reference (close_window () drops it). */
BourseWindow      *open_signed_in_window (const char *base_url,
                                          const char *token);
/* The widget named @name below @root, which must be there. */
GtkWidget         *find_required       (gpointer     root,
                                        const char  *name);

/* Destroys @window, drops the test's reference to it and waits for it and
 * its client to be finalized: requests in flight hold them until their
 * answers are dispatched. */
void               close_window        (BourseWindow *window);
/* Waits until @window's WebSocket is up and the server confirmed each of
 * @topics (NULL-terminated): from then on their events reach the window. */
void               wait_for_topics     (BourseWindow       *window,
                                        const char * const *topics);
void               remove_tree         (const char  *path);
/* The start of a GUI test's main (): XDG directories of its own under a
 * new *tmp_dir, labels in C, g_test_init (), GTK and libadwaita. FALSE
 * without a display: the TAP skip is printed and *tmp_dir is gone. */
gboolean           gui_test_init       (int          *argc,
                                        char       ***argv,
                                        char        **tmp_dir);
/* Removes *tmp_dir and what the test left in it. */
void               gui_test_cleanup    (char        **tmp_dir);

#define TEST_PASSWORD "correct-horse-battery-9"

/* Empty states {{{ */

/* Waits until the widget named @name below @root is an AdwStatusPage the
 * user sees (mapped: its page shown, and it shown in the page), and
 * returns it. */
GtkWidget         *wait_for_status_page      (gpointer    root,
                                              const char *name);
/* Waits until the status page named @name below @root is no longer seen
 * (the list took its place). */
void               wait_for_status_page_gone (gpointer    root,
                                              const char *name);

/* }}} */

G_END_DECLS
