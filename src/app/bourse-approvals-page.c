/* bourse-approvals-page.c — the approval desk: what waits for a decision
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The approvals are a BourseClientStore of BourseClientApproval kept live
 * by the "approvals" topic; each list box shows one half of it (pending,
 * decided) as BourseApprovalRows. The page itself tells the window what is
 * news, and runs the decision and execution dialogs.
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-approval-row.h"
#include "bourse-approvals-page.h"
#include "bourse-desk-util.h"
#include "bourse-trading-util.h"
#include "client/bourse-client-records.h"
#include "client/bourse-client-store.h"

#define APPROVALS_TOPIC "approvals"
/* The execute dialog's dry run once typing pauses. */
#define CHECK_DELAY_MS 250

/* Pending ones come first, so this many leaves room for a long history. */
#define LIST_PATH "/api/v1/approvals?limit=200"

#define REASON_MAX_CHARS 500

struct _BourseApprovalsPage
{
  AdwPreferencesPage   parent_instance;

  BourseClient        *client;
  GCancellable        *cancellable;      /* decisions; cancelled with the client */

  BourseClientStore   *store;            /* BourseClientApproval */
  GListStore          *extras;           /* asked for by id, older than the list */
  GtkSortListModel    *sorted;           /* both, newest first */
  GtkCustomFilter     *pending_filter;
  GtkCustomFilter     *decided_filter;
  GtkFilterListModel  *pending;
  GtkFilterListModel  *decided;
  GHashTable          *known;            /* key → status as last seen, for news */
  gboolean             primed;           /* the first list was read: what comes next is news */
  gboolean             shown;            /* rows are made from the first show on */
  gboolean             can_decide;
  gboolean             can_execute;
  guint                n_pending;
  GtkWidget           *placeholder;      /* the empty state, or “Loading…” */

  /* Asked for before the list was there (a notification's action). */
  gint64               focus_id;
  char                *focus_decision;

  /* The reason dialog open now, if any. */
  GtkWidget           *dialog;           /* weak */
  gint64               dialog_id;
  char                *dialog_decision;
  gboolean             deciding;         /* its request is in flight */

  /* The execute dialog open now, if any, and its dry run. */
  GtkWidget           *execute_dialog;   /* weak */
  gint64               execute_id;
  GCancellable        *check_cancellable;
  guint                check_source;

  AdwPreferencesGroup *pending_group;
  AdwPreferencesGroup *decided_group;
  GtkListBox          *pending_list;
  GtkListBox          *decided_list;
};

G_DEFINE_FINAL_TYPE (BourseApprovalsPage, bourse_approvals_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_CAN_DECIDE,
  PROP_N_PENDING,
  N_PROPS
};

enum {
  APPROVAL_ADDED,
  APPROVAL_SETTLED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void bourse_approvals_page_open_dialog (BourseApprovalsPage *self,
                                               gint64               id,
                                               const char          *decision);
static void bourse_approvals_page_close_dialog (BourseApprovalsPage *self);
static void bourse_approvals_page_close_execute_dialog (BourseApprovalsPage *self);

/* Helpers {{{ */

static BourseClientRecommendation *
recommendation_of (BourseClientApproval *approval)
{
  return approval != NULL ? bourse_client_approval_get_recommendation (approval) : NULL;
}

/* (transfer none) The approval of that id, listed or asked for alone. */
static BourseClientApproval *
bourse_approvals_page_lookup (BourseApprovalsPage *self,
                              gint64               id)
{
  g_autofree char *key = g_strdup_printf ("%" PRId64, id);
  BourseClientObject *found = self->store != NULL ? bourse_client_store_lookup (self->store, key) : NULL;

  for (guint i = 0; found == NULL && i < g_list_model_get_n_items (G_LIST_MODEL (self->extras)); i++)
    {
      g_autoptr(BourseClientApproval) extra = g_list_model_get_item (G_LIST_MODEL (self->extras), i);

      if (bourse_client_approval_get_id (extra) == id)
        found = BOURSE_CLIENT_OBJECT (extra);
    }
  return found != NULL ? BOURSE_CLIENT_APPROVAL (found) : NULL;
}

static gboolean
filter_pending (gpointer item,
                gpointer user_data)
{
  return bourse_client_approval_is_pending (item);
}

static gboolean
filter_decided (gpointer item,
                gpointer user_data)
{
  return !bourse_client_approval_is_pending (item);
}

/* Newest first. */
static int
compare_approvals (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  BourseClientApproval *first = (BourseClientApproval *) a;
  BourseClientApproval *second = (BourseClientApproval *) b;
  gint64 first_id = bourse_client_approval_get_id (first);
  gint64 second_id = bourse_client_approval_get_id (second);
  int order;

  if ((order = g_strcmp0 (bourse_client_approval_get_created_at (second),
                          bourse_client_approval_get_created_at (first))) != 0)
    return order;

  return second_id < first_id ? -1 : second_id > first_id;
}

/* }}} */

/* Rows {{{ */

static GtkWidget *
bourse_approvals_page_create_row (gpointer item,
                                  gpointer user_data)
{
  BourseApprovalsPage *self = user_data;

  return bourse_approval_row_new (item, self->client, self->can_decide, self->can_execute);
}

/* (transfer none) */
static BourseApprovalRow *
bourse_approvals_page_find_row (BourseApprovalsPage *self,
                                gint64               id)
{
  GtkListBox *lists[] = { self->pending_list, self->decided_list };

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      GtkListBoxRow *row;

      for (int j = 0; (row = gtk_list_box_get_row_at_index (lists[i], j)) != NULL; j++)
        if (BOURSE_IS_APPROVAL_ROW (row) &&
            bourse_client_approval_get_id (bourse_approval_row_get_approval (BOURSE_APPROVAL_ROW (row))) == id)
          return BOURSE_APPROVAL_ROW (row);
    }
  return NULL;
}

/* The empty state once the list was read, “Loading…” before. */
static void
bourse_approvals_page_update_placeholder (BourseApprovalsPage *self)
{
  gboolean loaded = self->store != NULL && bourse_client_store_get_n_loads (self->store) > 0;
  const char *wanted = self->n_pending > 0 ? NULL : loaded ? "approvals-empty" : "no-pending-row";

  if (self->placeholder != NULL && g_strcmp0 (gtk_widget_get_name (self->placeholder), wanted) == 0)
    return;

  if (self->placeholder != NULL)
    adw_preferences_group_remove (self->pending_group, self->placeholder);
  self->placeholder = NULL;

  if (g_strcmp0 (wanted, "approvals-empty") == 0)
    {
      self->placeholder = adw_status_page_new ();
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->placeholder), "object-select-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (self->placeholder), _("Nothing Awaits a Decision"));
      adw_status_page_set_description (ADW_STATUS_PAGE (self->placeholder),
                                       _("Recommendations of analyses and live strategies appear here"));
      gtk_widget_add_css_class (self->placeholder, "compact");
    }
  else if (wanted != NULL)
    {
      self->placeholder = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->placeholder), _("Loading…"));
      gtk_widget_add_css_class (self->placeholder, "dim-label");
    }

  if (self->placeholder != NULL)
    {
      gtk_widget_set_name (self->placeholder, wanted);
      adw_preferences_group_add (self->pending_group, self->placeholder);
    }
}

static void
bourse_approvals_page_counts_changed_cb (BourseApprovalsPage *self)
{
  guint n_pending = self->pending != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->pending)) : 0;
  guint n_decided = self->decided != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->decided)) : 0;

  /* An empty boxed list would still draw its frame. */
  gtk_widget_set_visible (GTK_WIDGET (self->pending_list), n_pending > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->decided_group), n_decided > 0);

  if (n_pending != self->n_pending)
    {
      self->n_pending = n_pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
    }
  bourse_approvals_page_update_placeholder (self);
}

/* The rows again, for what the role may do now. A page not yet shown has
 * none: the store, its filters and counts (the window's badge and
 * notifications) live without them, and the rows (each asking for its
 * chart's candles) are made when someone looks. */
static void
bourse_approvals_page_bind (BourseApprovalsPage *self)
{
  if (!self->shown)
    return;

  gtk_list_box_bind_model (self->pending_list, G_LIST_MODEL (self->pending),
                           bourse_approvals_page_create_row, self, NULL);
  gtk_list_box_bind_model (self->decided_list, G_LIST_MODEL (self->decided),
                           bourse_approvals_page_create_row, self, NULL);
}

/* The page is shown, or an item of it asked for: its rows are made now. */
static void
bourse_approvals_page_build_rows (BourseApprovalsPage *self)
{
  if (self->shown)
    return;

  self->shown = TRUE;
  bourse_approvals_page_bind (self);
}

/* }}} */

/* News {{{ */

static void
bourse_approvals_page_dialog_settled (BourseApprovalsPage  *self,
                                      BourseClientApproval *approval)
{
  const char *status = bourse_client_approval_get_status (approval);
  GtkLabel *error_label;
  const char *message;

  /* Our own decision's event may come before its answer. */
  if (self->dialog == NULL || self->dialog_id != bourse_client_approval_get_id (approval) || self->deciding)
    return;

  if (g_strcmp0 (status, "approved") == 0)
    message = _("Meanwhile someone else approved it");
  else if (g_strcmp0 (status, "rejected") == 0)
    message = _("Meanwhile someone else rejected it");
  else
    message = _("Meanwhile it expired");

  error_label = g_object_get_data (G_OBJECT (self->dialog), "error-label");
  gtk_label_set_label (error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (error_label), TRUE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self->dialog),
                                           self->dialog_decision, FALSE);
}

/* An approval left the pending state, wherever it was decided: it moves to
 * the other list, and the window withdraws its notification. */
static void
bourse_approvals_page_status_cb (BourseClientApproval *approval,
                                 GParamSpec           *pspec,
                                 BourseApprovalsPage  *self)
{
  const char *key = bourse_client_object_get_key (BOURSE_CLIENT_OBJECT (approval));
  const char *before = g_hash_table_lookup (self->known, key);
  gboolean was_pending = g_strcmp0 (before, "pending") == 0;

  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  g_hash_table_insert (self->known, g_strdup (key), g_strdup (bourse_client_approval_get_status (approval)));

  gtk_filter_changed (GTK_FILTER (self->pending_filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (GTK_FILTER (self->decided_filter), GTK_FILTER_CHANGE_DIFFERENT);

  if (was_pending && !bourse_client_approval_is_pending (approval))
    {
      bourse_approvals_page_dialog_settled (self, approval);
      g_signal_emit (self, signals[APPROVAL_SETTLED], 0, bourse_client_approval_get_id (approval));
    }
}

static void
bourse_approvals_page_announce (BourseApprovalsPage  *self,
                                BourseClientApproval *approval)
{
  BourseClientRecommendation *recommendation = recommendation_of (approval);
  const char *reason = recommendation != NULL ? bourse_client_recommendation_get_reason (recommendation) : NULL;
  g_autofree char *what = bourse_approval_dup_title (approval);
  g_autofree char *levels = bourse_format_levels (recommendation);
  g_autofree char *confidence = bourse_format_confidence (recommendation);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  /* Translators: a decision and an instrument, e.g. “BUY BTCUSDT awaits approval” */
  title = g_strdup_printf (_("%s awaits approval"), what);
  /* Translators: levels, confidence, then the model's reason on a line of its own */
  body = g_strdup_printf (_("%s · %s\n%s"), levels, confidence, reason ?: "");
  g_signal_emit (self, signals[APPROVAL_ADDED], 0, bourse_client_approval_get_id (approval), title, body);
}

/* Follows every approval the page holds; a new pending one after the first
 * look at the list is news. */
static void
bourse_approvals_page_track (BourseApprovalsPage  *self,
                             BourseClientApproval *approval,
                             gboolean              news)
{
  const char *key = bourse_client_object_get_key (BOURSE_CLIENT_OBJECT (approval));

  if (g_object_get_data (G_OBJECT (approval), "bourse-approvals-page") != self)
    {
      g_object_set_data (G_OBJECT (approval), "bourse-approvals-page", self);
      g_signal_connect_object (approval, "notify::status",
                               G_CALLBACK (bourse_approvals_page_status_cb), self, 0);
    }

  if (g_hash_table_contains (self->known, key))
    return;

  g_hash_table_insert (self->known, g_strdup (key), g_strdup (bourse_client_approval_get_status (approval)));
  if (news && bourse_client_approval_is_pending (approval))
    bourse_approvals_page_announce (self, approval);
}

static void
bourse_approvals_page_items_changed_cb (BourseApprovalsPage *self,
                                        guint                position,
                                        guint                removed,
                                        guint                added,
                                        GListModel          *model)
{
  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(BourseClientApproval) approval = g_list_model_get_item (model, i);
      const char *key = bourse_client_object_get_key (BOURSE_CLIENT_OBJECT (approval));

      bourse_approvals_page_track (self, approval, self->primed);

      /* One asked for alone is listed now: the list's object is the live one. */
      if (model == G_LIST_MODEL (self->store))
        for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (self->extras)); j++)
          {
            g_autoptr(BourseClientObject) extra = g_list_model_get_item (G_LIST_MODEL (self->extras), j);

            if (g_str_equal (bourse_client_object_get_key (extra), key))
              {
                g_list_store_remove (self->extras, j);
                break;
              }
          }
    }
}

/* }}} */

/* Focus {{{ */

static void
bourse_approvals_page_focus (BourseApprovalsPage *self,
                             gint64               id,
                             const char          *decision)
{
  BourseApprovalRow *row = bourse_approvals_page_find_row (self, id);

  if (row == NULL)
    return;

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  if (!gtk_widget_grab_focus (GTK_WIDGET (row)))
    gtk_widget_child_focus (GTK_WIDGET (row), GTK_DIR_TAB_FORWARD);
  bourse_widget_scroll_into_view (GTK_WIDGET (row));

  if (decision != NULL)
    bourse_approvals_page_open_dialog (self, id, decision);
}

typedef struct
{
  BourseApprovalsPage *self;
  gint64               id;
  char                *decision;
} FocusRequest;

static void
focus_request_free (FocusRequest *request)
{
  g_clear_object (&request->self);
  g_free (request->decision);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FocusRequest, focus_request_free)

static void
bourse_approvals_page_fetch_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(FocusRequest) request = user_data;
  BourseApprovalsPage *self = request->self;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BourseClientObject) approval = NULL;

  if (!(answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error)))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      message = g_strdup_printf (_("Could not show approval #%" PRId64 ": %s"),
                                 request->id, error->message);
      bourse_widget_show_toast (GTK_WIDGET (self), message);
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (answer))
    return;

  /* Asked for by name: no news, whatever state it is in. */
  if (bourse_approvals_page_lookup (self, request->id) == NULL &&
      (approval = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_APPROVAL,
                                                      json_node_get_object (answer))) != NULL)
    {
      bourse_approvals_page_track (self, BOURSE_CLIENT_APPROVAL (approval), FALSE);
      g_list_store_append (self->extras, approval);
    }
  bourse_approvals_page_focus (self, request->id, request->decision);
}

void
bourse_approvals_page_show_approval (BourseApprovalsPage *self,
                                     gint64               id,
                                     const char          *decision)
{
  g_autofree char *path = NULL;
  FocusRequest *request;

  g_return_if_fail (BOURSE_IS_APPROVALS_PAGE (self));
  g_return_if_fail (decision == NULL || g_str_equal (decision, "approve") ||
                    g_str_equal (decision, "reject"));

  g_debug ("Showing approval %" PRId64 " (%s), %s", id, decision ? decision : "open",
           self->primed ? "listed" : "once listed");

  /* Its row is wanted, shown or not yet (a notification's action). */
  bourse_approvals_page_build_rows (self);

  if (!self->primed || self->client == NULL)
    {
      self->focus_id = id;
      g_free (self->focus_decision);
      self->focus_decision = g_strdup (decision);
      return;
    }

  if (bourse_approvals_page_lookup (self, id) != NULL)
    {
      bourse_approvals_page_focus (self, id, decision);
      return;
    }

  /* Older than the list: ask for it alone. */
  request = g_new0 (FocusRequest, 1);
  request->self = g_object_ref (self);
  request->id = id;
  request->decision = g_strdup (decision);
  path = g_strdup_printf ("/api/v1/approvals/%" PRId64, id);
  bourse_client_get_json_async (self->client, path, self->cancellable,
                                bourse_approvals_page_fetch_cb, request);
}

/* }}} */

/* The store {{{ */

static void
bourse_approvals_page_loaded_cb (BourseApprovalsPage *self)
{
  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  /* Only what changed since the first look is news. */
  self->primed = TRUE;
  bourse_approvals_page_update_placeholder (self);

  if (self->focus_id != 0)
    {
      g_autofree char *decision = g_steal_pointer (&self->focus_decision);
      gint64 id = self->focus_id;

      self->focus_id = 0;
      bourse_approvals_page_show_approval (self, id, decision);
    }
}

static void
bourse_approvals_page_failed_cb (BourseApprovalsPage *self,
                                 GError              *error)
{
  g_autofree char *message = g_strdup_printf (_("Could not load the approvals: %s"), error->message);

  bourse_widget_show_toast (GTK_WIDGET (self), message);
}

/* Lets go of the store and what was learnt from it. */
static void
bourse_approvals_page_clear_store (BourseApprovalsPage *self)
{
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_list_store_remove_all (self->extras);
  gtk_sort_list_model_set_model (self->sorted, NULL);
  g_hash_table_remove_all (self->known);
  self->primed = FALSE;
}

gpointer
bourse_approvals_page_get_store (BourseApprovalsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_APPROVALS_PAGE (self), NULL);

  return self->store;
}

void
bourse_approvals_page_reload (BourseApprovalsPage *self)
{
  g_return_if_fail (BOURSE_IS_APPROVALS_PAGE (self));

  if (self->store != NULL)
    bourse_client_store_reload (self->store);
}

/* }}} */

/* The reason dialog {{{ */

static void
bourse_approvals_page_close_dialog (BourseApprovalsPage *self)
{
  GtkWidget *dialog = g_steal_pointer (&self->dialog);

  /* It may be inside its own response emission, which holds it alive. */
  if (dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }

  g_clear_pointer (&self->dialog_decision, g_free);
  self->dialog_id = 0;
  self->deciding = FALSE;
}

static void
bourse_approvals_page_reason_changed_cb (BourseApprovalsPage *self,
                                         GtkEditable         *entry)
{
  g_autofree char *reason = NULL;

  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  if (self->dialog == NULL || g_strcmp0 (self->dialog_decision, "reject") != 0)
    return;

  /* A rejection says why; blanks say nothing. */
  reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self->dialog), "reject",
                                           reason[0] != '\0');
}

typedef struct
{
  BourseApprovalsPage *self;
  gint64               id;
} Decision;

static void
decision_free (Decision *decision)
{
  g_clear_object (&decision->self);
  g_free (decision);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Decision, decision_free)

static void
bourse_approvals_page_decide_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(Decision) decision = user_data;
  BourseApprovalsPage *self = decision->self;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  GtkLabel *error_label;
  gboolean ours;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result,
                                                      &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Meanwhile another item's dialog may have been opened: that one stays. */
  ours = self->dialog != NULL && self->deciding && self->dialog_id == decision->id;
  if (ours)
    self->deciding = FALSE;

  if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    {
      JsonObject *decided = json_node_get_object (answer);
      BourseClientApproval *approval = bourse_approvals_page_lookup (self, decision->id);
      g_autoptr(BourseClientObject) answered = bourse_client_object_new_from_json (BOURSE_TYPE_CLIENT_APPROVAL,
                                                                                   decided);
      g_autofree char *title = NULL;

      if (answered == NULL)
        return;
      title = bourse_approval_dup_title (BOURSE_CLIENT_APPROVAL (answered));

      if (ours)
        bourse_approvals_page_close_dialog (self);

      if (g_strcmp0 (bourse_json_get_string (decided, "status"), "approved") == 0)
        /* Translators: %s is a decision and an instrument, e.g. “BUY BTCUSDT” */
        message = g_strdup_printf (_("%s approved"), title);
      else
        message = g_strdup_printf (_("%s rejected"), title);
      bourse_widget_show_toast (GTK_WIDGET (self), message);

      /* The answer may come before the topic's event. */
      if (approval != NULL)
        bourse_client_object_update (BOURSE_CLIENT_OBJECT (approval), decided);
      return;
    }

  message = bourse_problem_to_text (problem, error);

  /* The dialog may be gone (another item's, another server): still say it. */
  if (!ours)
    {
      g_autofree char *toast = g_strdup_printf (_("Could not record the decision: %s"), message);

      bourse_widget_show_toast (GTK_WIDGET (self), toast);
      return;
    }

  /* The dialog comes back with the reason as typed and the server's words.
   * Already decided (409) or not yours to decide (403, four-eyes): trying
   * again cannot help. */
  error_label = g_object_get_data (G_OBJECT (self->dialog), "error-label");
  gtk_label_set_label (error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (error_label), TRUE);
  if (g_error_matches (error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_CONFLICT) ||
      g_error_matches (error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_FORBIDDEN))
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self->dialog),
                                             self->dialog_decision, FALSE);
  gtk_window_present (GTK_WINDOW (self->dialog));

  if (g_error_matches (error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_CONFLICT))
    bourse_approvals_page_reload (self);
}

static void
bourse_approvals_page_response_cb (AdwMessageDialog    *dialog,
                                   const char          *response,
                                   BourseApprovalsPage *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "reason-entry");
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *path = NULL;
  Decision *decision;

  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  if ((GtkWidget *) dialog != self->dialog)
    return;

  if (g_strcmp0 (response, self->dialog_decision) != 0 || self->client == NULL)
    {
      bourse_approvals_page_close_dialog (self);
      return;
    }

  reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  if (reason[0] == '\0' && g_str_equal (self->dialog_decision, "reject"))
    {
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  /* The dialog only hides (hide-on-close) until the answer: an error
   * brings it back as it was. */
  if (reason[0] != '\0')
    body = bourse_json_new_object ("reason", reason, NULL);
  else
    {
      body = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (body, json_object_new ());
    }
  path = g_strdup_printf ("/api/v1/approvals/%" PRId64 "/%s", self->dialog_id, self->dialog_decision);
  self->deciding = TRUE;
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (dialog), "error-label"), FALSE);

  decision = g_new0 (Decision, 1);
  decision->self = g_object_ref (self);
  decision->id = self->dialog_id;
  bourse_client_request_json_async (self->client, "POST", path, body, self->cancellable,
                                    bourse_approvals_page_decide_cb, decision);
}


/* A wrapped, left-aligned line of a dialog's extra box, hidden until
 * there is something to say. */
static GtkWidget *
dialog_label (GtkWidget  *box,
              const char *name,
              const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_name (label, name);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, css_class);
  gtk_widget_set_visible (label, FALSE);
  gtk_box_append (GTK_BOX (box), label);
  return label;
}

static void
bourse_approvals_page_open_dialog (BourseApprovalsPage *self,
                                   gint64               id,
                                   const char          *decision)
{
  BourseClientApproval *approval = bourse_approvals_page_lookup (self, id);
  BourseClientRecommendation *recommendation = recommendation_of (approval);
  gboolean approve = g_strcmp0 (decision, "approve") == 0;
  g_autofree char *title = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *levels = NULL;
  g_autofree char *confidence = NULL;
  g_autofree char *body = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *entry;
  GtkWidget *label;

  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  if (approval == NULL)
    return;

  title = bourse_approval_dup_title (approval);

  if (!bourse_client_approval_is_pending (approval))
    {
      /* Translators: a decision and an instrument, then a state: Approved, Rejected, Expired */
      g_autofree char *message = g_strdup_printf (_("%s is no longer pending: %s"), title,
                                                  bourse_approval_status_to_display (
                                                    bourse_client_approval_get_status (approval)));

      bourse_widget_show_toast (GTK_WIDGET (self), message);
      return;
    }

  if (!self->can_decide)
    {
      bourse_widget_show_toast (GTK_WIDGET (self),
                                _("Your role may look at approvals but not decide them"));
      return;
    }

  /* One decision at a time: the newest request wins. */
  bourse_approvals_page_close_dialog (self);

  levels = bourse_format_levels (recommendation);
  confidence = bourse_format_confidence (recommendation);
  /* Translators: e.g. “Approve BUY BTCUSDT?” */
  heading = g_strdup_printf (approve ? _("Approve %s?") : _("Reject %s?"), title);
  /* Translators: the levels and confidence, then what happens with the reason */
  body = g_strdup_printf (approve ? _("%s · %s\n\nThe reason is kept in the audit trail with "
                                      "your decision.")
                                  : _("%s · %s\n\nSay why: the reason is kept in the audit trail "
                                      "with your decision."),
                          levels, confidence);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  gtk_widget_set_name (dialog, "decide-dialog");
  /* An error brings it back with what was typed: see the response. */
  gtk_window_set_hide_on_close (GTK_WINDOW (dialog), TRUE);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    decision, approve ? _("_Approve") : _("_Reject"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), decision,
                                              approve ? ADW_RESPONSE_SUGGESTED
                                                      : ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), decision);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  if (!approve)
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), decision, FALSE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  entry = gtk_entry_new ();
  gtk_widget_set_name (entry, "reason-entry");
  gtk_entry_set_max_length (GTK_ENTRY (entry), REASON_MAX_CHARS);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry),
                                  approve ? _("Reason (optional)") : _("Reason (required)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"),
                                  -1);
  gtk_box_append (GTK_BOX (box), entry);

  label = dialog_label (box, "decide-error-label", "error");

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_object_set_data (G_OBJECT (dialog), "reason-entry", entry);
  g_object_set_data (G_OBJECT (dialog), "error-label", label);

  g_signal_connect_object (entry, "changed",
                           G_CALLBACK (bourse_approvals_page_reason_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (bourse_approvals_page_response_cb), self, 0);

  self->dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
  self->dialog_id = id;
  self->dialog_decision = g_strdup (decision);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

/* }}} */

/* Execute {{{ */

static void
bourse_approvals_page_close_execute_dialog (BourseApprovalsPage *self)
{
  GtkWidget *dialog = g_steal_pointer (&self->execute_dialog);

  if (dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->execute_dialog);
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
  self->execute_id = 0;
  g_clear_handle_id (&self->check_source, g_source_remove);
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
}

/* {"quantity"} as typed, or {} for the size the risk profile suggests. */
static JsonNode *
dup_execute_body (GtkWidget *dialog)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "quantity-entry");
  g_autofree char *quantity = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  JsonNode *body;

  if (quantity[0] != '\0')
    return bourse_json_new_object ("quantity", quantity, NULL);

  body = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (body, json_object_new ());
  return body;
}

static void
bourse_approvals_page_check_cb (GObject      *object,
                                GAsyncResult *result,
                                gpointer      user_data)
{
  g_autoptr(Decision) check = user_data;
  BourseApprovalsPage *self = check->self;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *order, *estimate;
  GtkLabel *estimate_label, *error_label;
  GtkEditable *entry;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result,
                                                      &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      self->execute_dialog == NULL || self->execute_id != check->id)
    return;

  estimate_label = g_object_get_data (G_OBJECT (self->execute_dialog), "estimate-label");
  error_label = g_object_get_data (G_OBJECT (self->execute_dialog), "error-label");
  entry = g_object_get_data (G_OBJECT (self->execute_dialog), "quantity-entry");

  if (answer == NULL || !JSON_NODE_HOLDS_OBJECT (answer))
    {
      text = bourse_problem_to_text (problem, error);
      gtk_label_set_label (estimate_label, "");
      gtk_label_set_label (error_label, text);
      gtk_widget_set_visible (GTK_WIDGET (error_label), TRUE);
      return;
    }

  order = bourse_json_get_object (json_node_get_object (answer), "order");
  estimate = bourse_json_get_object (json_node_get_object (answer), "estimate");

  /* The size the risk profile suggests, until the user says another. */
  if (gtk_editable_get_text (entry)[0] == '\0')
    {
      g_autofree char *suggested = bourse_format_price (bourse_json_get_string (order, "quantity"));

      g_signal_handlers_block_matched (entry, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
      gtk_editable_set_text (entry, suggested);
      g_signal_handlers_unblock_matched (entry, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
    }

  {
    const char *currency = bourse_json_get_string (order, "fee_asset");
    g_autofree char *notional = bourse_format_money_in (bourse_json_get_string (estimate, "notional"),
                                                        currency, FALSE);
    g_autofree char *fee = bourse_format_money_in (bourse_json_get_string (estimate, "fee"), currency, FALSE);

    /* Translators: the account's mode (“Paper”), then what the order would
     * cost at the market price now and its fee, e.g.
     * “Paper: about 615.90 USDT, fee 0.62 USDT” */
    text = g_strdup_printf (_("%s: about %s, fee %s"),
                            bourse_account_mode_to_display (bourse_json_get_string (order, "mode")),
                            notional, fee);
  }
  gtk_label_set_label (estimate_label, text);
  gtk_widget_set_visible (GTK_WIDGET (error_label), FALSE);
}

static gboolean
bourse_approvals_page_check_timeout_cb (gpointer data)
{
  BourseApprovalsPage *self = data;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  Decision *check;

  self->check_source = 0;
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);

  if (self->execute_dialog == NULL || self->client == NULL)
    return G_SOURCE_REMOVE;

  body = dup_execute_body (self->execute_dialog);
  path = g_strdup_printf ("/api/v1/approvals/%" PRId64 "/execute?dry_run=true", self->execute_id);
  check = g_new0 (Decision, 1);
  check->self = g_object_ref (self);
  check->id = self->execute_id;
  self->check_cancellable = g_cancellable_new ();
  bourse_client_request_json_async (self->client, "POST", path, body, self->check_cancellable,
                                    bourse_approvals_page_check_cb, check);
  return G_SOURCE_REMOVE;
}

/* The server's dry run of the execution as the quantity is now: the order
 * it would be, its cost, or its refusal. */
static void
bourse_approvals_page_queue_check (BourseApprovalsPage *self)
{
  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  g_clear_handle_id (&self->check_source, g_source_remove);
  self->check_source = g_timeout_add (CHECK_DELAY_MS, bourse_approvals_page_check_timeout_cb, self);
}

static void
bourse_approvals_page_execute_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(Decision) execution = user_data;
  BourseApprovalsPage *self = execution->self;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(JsonNode) problem = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gboolean ours;

  answer = bourse_client_request_json_finish_problem (BOURSE_CLIENT (object), result,
                                                      &problem, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  ours = self->execute_dialog != NULL && self->execute_id == execution->id;

  if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    {
      JsonObject *order = json_node_get_object (answer);
      g_autofree char *quantity = bourse_format_price (bourse_json_get_string (order, "quantity"));

      if (ours)
        bourse_approvals_page_close_execute_dialog (self);
      /* Translators: approval #N became an order of a side, quantity and instrument */
      message = g_strdup_printf (_("Approval #%" PRId64 " executed: %s %s %s"), execution->id,
                                 bourse_decision_to_display (bourse_json_get_string (order, "side")),
                                 quantity, bourse_json_get_string (order, "symbol") ?: "?");
      bourse_widget_show_toast (GTK_WIDGET (self), message);
      bourse_approvals_page_reload (self);
      return;
    }

  message = bourse_problem_to_text (problem, error);
  if (!ours)
    {
      g_autofree char *toast = g_strdup_printf (_("Could not execute: %s"), message);

      bourse_widget_show_toast (GTK_WIDGET (self), toast);
      return;
    }

  {
    GtkLabel *error_label = g_object_get_data (G_OBJECT (self->execute_dialog), "error-label");

    gtk_label_set_label (error_label, message);
    gtk_widget_set_visible (GTK_WIDGET (error_label), TRUE);
    /* Executed already (409): again cannot help. */
    adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self->execute_dialog), "execute",
                                             !g_error_matches (error, BOURSE_CLIENT_ERROR,
                                                               BOURSE_CLIENT_ERROR_CONFLICT));
    gtk_window_present (GTK_WINDOW (self->execute_dialog));
  }

  if (g_error_matches (error, BOURSE_CLIENT_ERROR, BOURSE_CLIENT_ERROR_CONFLICT))
    bourse_approvals_page_reload (self);
}

static void
bourse_approvals_page_execute_response_cb (AdwMessageDialog    *dialog,
                                           const char          *response,
                                           BourseApprovalsPage *self)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = NULL;
  Decision *execution;

  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  if ((GtkWidget *) dialog != self->execute_dialog)
    return;

  if (g_strcmp0 (response, "execute") != 0 || self->client == NULL)
    {
      bourse_approvals_page_close_execute_dialog (self);
      return;
    }

  /* Empty: the server sizes it by the caller's risk profile. */
  body = dup_execute_body (GTK_WIDGET (dialog));
  g_clear_handle_id (&self->check_source, g_source_remove);
  g_cancellable_cancel (self->check_cancellable);

  gtk_widget_set_visible (g_object_get_data (G_OBJECT (dialog), "error-label"), FALSE);
  path = g_strdup_printf ("/api/v1/approvals/%" PRId64 "/execute", self->execute_id);
  execution = g_new0 (Decision, 1);
  execution->self = g_object_ref (self);
  execution->id = self->execute_id;
  bourse_client_request_json_async (self->client, "POST", path, body, self->cancellable,
                                    bourse_approvals_page_execute_cb, execution);
}

static void
bourse_approvals_page_open_execute_dialog (BourseApprovalsPage *self,
                                           gint64               id)
{
  BourseClientApproval *approval = bourse_approvals_page_lookup (self, id);
  BourseClientRecommendation *recommendation = recommendation_of (approval);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *title = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *levels = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog, *box, *entry, *label, *estimate;

  g_assert (BOURSE_IS_APPROVALS_PAGE (self));

  if (approval == NULL || !bourse_client_approval_is_executable (approval) || !self->can_execute)
    return;

  bourse_approvals_page_close_execute_dialog (self);

  title = bourse_approval_dup_title (approval);
  levels = bourse_format_levels (recommendation);
  /* Translators: e.g. “Execute BUY BTCUSDT?” */
  heading = g_strdup_printf (_("Execute %s?"), title);
  /* Translators: the levels, then what executing does */
  body = g_strdup_printf (_("%s\n\nA market order now, with the stop-loss and the take-profit "
                            "as its bracket once it fills. Leave the quantity empty and the "
                            "server sizes it by your risk profile: the risk per trade of your "
                            "equity, over the distance to the stop."),
                          levels);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  gtk_widget_set_name (dialog, "execute-dialog");
  gtk_window_set_hide_on_close (GTK_WINDOW (dialog), TRUE);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "execute", _("_Execute"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "execute",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "execute");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  entry = gtk_entry_new ();
  gtk_widget_set_name (entry, "quantity-entry");
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_NUMBER);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  /* Filled with that size by the dry run. */
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Quantity: sized by your risk profile"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Quantity"),
                                  -1);
  gtk_box_append (GTK_BOX (box), entry);

  /* The dry run's figures, for the quantity in the entry. */
  estimate = dialog_label (box, "execute-estimate-label", "dim-label");
  gtk_widget_set_visible (estimate, TRUE);

  label = dialog_label (box, "execute-error-label", "error");

  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_object_set_data (G_OBJECT (dialog), "quantity-entry", entry);
  g_object_set_data (G_OBJECT (dialog), "error-label", label);
  g_object_set_data (G_OBJECT (dialog), "estimate-label", estimate);
  g_signal_connect_object (entry, "changed",
                           G_CALLBACK (bourse_approvals_page_queue_check), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (bourse_approvals_page_execute_response_cb), self, 0);

  self->execute_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->execute_dialog);
  self->execute_id = id;

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
  bourse_approvals_page_queue_check (self);
}

/* }}} */

/* Actions {{{ */

static void
bourse_approvals_page_approve_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *param)
{
  bourse_approvals_page_open_dialog (BOURSE_APPROVALS_PAGE (widget),
                                     g_variant_get_int64 (param), "approve");
}

static void
bourse_approvals_page_reject_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  bourse_approvals_page_open_dialog (BOURSE_APPROVALS_PAGE (widget),
                                     g_variant_get_int64 (param), "reject");
}

static void
bourse_approvals_page_execute_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *param)
{
  bourse_approvals_page_open_execute_dialog (BOURSE_APPROVALS_PAGE (widget),
                                             g_variant_get_int64 (param));
}

/* }}} */

BourseClient *
bourse_approvals_page_get_client (BourseApprovalsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_APPROVALS_PAGE (self), NULL);

  return self->client;
}

void
bourse_approvals_page_set_client (BourseApprovalsPage *self,
                                  BourseClient        *client)
{
  g_return_if_fail (BOURSE_IS_APPROVALS_PAGE (self));
  g_return_if_fail (!client || BOURSE_IS_CLIENT (client));

  if (self->client == client)
    return;

  bourse_approvals_page_close_dialog (self);
  bourse_approvals_page_close_execute_dialog (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  bourse_approvals_page_clear_store (self);
  g_set_object (&self->client, client);

  /* Another server, or another principal: nothing seen so far is news. */
  if (client != NULL)
    {
      g_autoptr(GListStore) models = g_list_store_new (G_TYPE_LIST_MODEL);
      g_autoptr(GtkFlattenListModel) all = NULL;

      self->cancellable = g_cancellable_new ();
      self->store = bourse_client_store_new (client, BOURSE_TYPE_CLIENT_APPROVAL, LIST_PATH, APPROVALS_TOPIC);
      g_signal_connect_object (self->store, "items-changed",
                               G_CALLBACK (bourse_approvals_page_items_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->store, "notify::n-loads",
                               G_CALLBACK (bourse_approvals_page_loaded_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->store, "failed",
                               G_CALLBACK (bourse_approvals_page_failed_cb), self, G_CONNECT_SWAPPED);
      g_list_store_append (models, self->store);
      g_list_store_append (models, self->extras);
      all = gtk_flatten_list_model_new (G_LIST_MODEL (g_steal_pointer (&models)));
      gtk_sort_list_model_set_model (self->sorted, G_LIST_MODEL (all));
    }
  bourse_approvals_page_bind (self);
  bourse_approvals_page_counts_changed_cb (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "approvals.approve", client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "approvals.reject", client != NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

gboolean
bourse_approvals_page_get_can_decide (BourseApprovalsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_APPROVALS_PAGE (self), FALSE);

  return self->can_decide;
}

void
bourse_approvals_page_set_can_decide (BourseApprovalsPage *self,
                                      gboolean             can_decide)
{
  g_return_if_fail (BOURSE_IS_APPROVALS_PAGE (self));

  can_decide = !!can_decide;
  if (self->can_decide == can_decide)
    return;

  self->can_decide = can_decide;
  if (!can_decide)
    bourse_approvals_page_close_dialog (self);
  bourse_approvals_page_bind (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_DECIDE]);
}

void
bourse_approvals_page_set_can_execute (BourseApprovalsPage *self,
                                       gboolean             can_execute)
{
  g_return_if_fail (BOURSE_IS_APPROVALS_PAGE (self));

  can_execute = !!can_execute;
  if (self->can_execute == can_execute)
    return;

  self->can_execute = can_execute;
  if (!can_execute)
    bourse_approvals_page_close_execute_dialog (self);
  bourse_approvals_page_bind (self);
}

guint
bourse_approvals_page_get_n_pending (BourseApprovalsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_APPROVALS_PAGE (self), 0);

  return self->n_pending;
}

int
bourse_approvals_page_get_n_approvals (BourseApprovalsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_APPROVALS_PAGE (self), -1);

  if (self->store == NULL || bourse_client_store_get_n_loads (self->store) == 0)
    return -1;
  return (int) g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
}

static void
bourse_approvals_page_dispose (GObject *object)
{
  BourseApprovalsPage *self = (BourseApprovalsPage *)object;

  bourse_approvals_page_close_dialog (self);
  bourse_approvals_page_close_execute_dialog (self);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->pending_list != NULL)
    {
      gtk_list_box_bind_model (self->pending_list, NULL, NULL, NULL, NULL);
      gtk_list_box_bind_model (self->decided_list, NULL, NULL, NULL, NULL);
    }
  /* Emptying the models is no news for the placeholder or the window. */
  if (self->pending != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->pending, self);
      g_signal_handlers_disconnect_by_data (self->decided, self);
    }
  if (self->extras != NULL)
    bourse_approvals_page_clear_store (self);
  g_clear_object (&self->client);
  self->placeholder = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_APPROVALS_PAGE);

  G_OBJECT_CLASS (bourse_approvals_page_parent_class)->dispose (object);
}

static void
bourse_approvals_page_finalize (GObject *object)
{
  BourseApprovalsPage *self = (BourseApprovalsPage *)object;

  g_clear_object (&self->pending);
  g_clear_object (&self->decided);
  g_clear_object (&self->sorted);
  g_clear_object (&self->extras);
  g_clear_pointer (&self->known, g_hash_table_unref);
  g_clear_pointer (&self->focus_decision, g_free);
  g_clear_pointer (&self->dialog_decision, g_free);

  G_OBJECT_CLASS (bourse_approvals_page_parent_class)->finalize (object);
}

static void
bourse_approvals_page_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  BourseApprovalsPage *self = BOURSE_APPROVALS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_CAN_DECIDE:
      g_value_set_boolean (value, self->can_decide);
      break;

    case PROP_N_PENDING:
      g_value_set_uint (value, self->n_pending);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_approvals_page_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  BourseApprovalsPage *self = BOURSE_APPROVALS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      bourse_approvals_page_set_client (self, g_value_get_object (value));
      break;

    case PROP_CAN_DECIDE:
      bourse_approvals_page_set_can_decide (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_approvals_page_class_init (BourseApprovalsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_approvals_page_dispose;
  object_class->finalize = bourse_approvals_page_finalize;
  object_class->get_property = bourse_approvals_page_get_property;
  object_class->set_property = bourse_approvals_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BOURSE_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CAN_DECIDE] =
    g_param_spec_boolean ("can-decide", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BourseApprovalsPage::approval-added:
   * @id: the approval
   * @title: what it is about, for a person ("BUY BTCUSDT awaits approval")
   * @body: its levels, confidence and reason
   *
   * An approval appeared, pending, after the first look at the list.
   */
  signals[APPROVAL_ADDED] =
    g_signal_new ("approval-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);

  /**
   * BourseApprovalsPage::approval-settled:
   * @id: the approval
   *
   * A pending approval was approved, rejected or expired, here or
   * anywhere else.
   */
  signals[APPROVAL_SETTLED] =
    g_signal_new ("approval-settled",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_INT64);

  gtk_widget_class_install_action (widget_class, "approvals.approve", "x",
                                   bourse_approvals_page_approve_action);
  gtk_widget_class_install_action (widget_class, "approvals.reject", "x",
                                   bourse_approvals_page_reject_action);
  gtk_widget_class_install_action (widget_class, "approvals.execute", "x",
                                   bourse_approvals_page_execute_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-approvals-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalsPage, pending_group);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalsPage, decided_group);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalsPage, pending_list);
  gtk_widget_class_bind_template_child (widget_class, BourseApprovalsPage, decided_list);
}

static void
bourse_approvals_page_init (BourseApprovalsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* AdwPreferencesPage:name shadows the widget's own name in templates. */
  gtk_widget_set_name (GTK_WIDGET (self), "approvals-page");
  g_signal_connect (self, "map", G_CALLBACK (bourse_approvals_page_build_rows), NULL);

  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->extras = g_list_store_new (BOURSE_TYPE_CLIENT_APPROVAL);
  self->sorted = gtk_sort_list_model_new (NULL, GTK_SORTER (gtk_custom_sorter_new (compare_approvals,
                                                                                   NULL, NULL)));
  self->pending_filter = gtk_custom_filter_new (filter_pending, NULL, NULL);
  self->decided_filter = gtk_custom_filter_new (filter_decided, NULL, NULL);
  self->pending = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->sorted)),
                                             GTK_FILTER (self->pending_filter));
  self->decided = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->sorted)),
                                             GTK_FILTER (self->decided_filter));
  g_signal_connect_object (self->pending, "items-changed",
                           G_CALLBACK (bourse_approvals_page_counts_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->decided, "items-changed",
                           G_CALLBACK (bourse_approvals_page_counts_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "approvals.approve", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "approvals.reject", FALSE);

  bourse_approvals_page_counts_changed_cb (self);
}

GtkWidget *
bourse_approvals_page_new (void)
{
  return g_object_new (BOURSE_TYPE_APPROVALS_PAGE, NULL);
}
