/* bourse-markets-page.c — instruments, their tickers and a live chart
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loading history (docs/DESKTOP.md): the newest page of candles
 * (before=latest), then, as the chart scrolls back (its load-older signal),
 * the page before the first candle held, until next_cursor is null.
 */

#include "config.h"

#include <locale.h>
#include <math.h>

#include <glib/gi18n.h>

#include "bourse-app-util.h"
#include "bourse-chart-overlay.h"
#include "bourse-desktop-settings.h"
#include "bourse-download-dialog.h"
#include "bourse-import-dialog.h"
#include "bourse-instrument-row.h"
#include "bourse-markets-page.h"
#include "bourse-page-header.h"
#include "bourse-tab-stop.h"
#include "client/bourse-client-store.h"

/* A wide window shows some hundreds of candles: a page of a thousand fills
 * it with room to scroll, and is read into the chart on the main thread in
 * a few milliseconds (five thousand stalled the console's start); the
 * chart's load-older brings the rest a page at a time as it scrolls back. */
#define PAGE_LIMIT       1000
/* A catch-up covers at most PAGE_LIMIT intervals, so more pages mean
 * candles far ahead of the live ones. Stop following them there. */
#define MAX_PAGES        8
#define DEFAULT_INTERVAL "1m"

static const struct {
  const char *name;
  gint64      ms;
} chart_intervals[] = {
  { "1m", G_GINT64_CONSTANT (60000) },
  { "5m", G_GINT64_CONSTANT (300000) },
  { "15m", G_GINT64_CONSTANT (900000) },
  { "1h", G_GINT64_CONSTANT (3600000) },
  { "4h", G_GINT64_CONSTANT (14400000) },
  { "1d", G_GINT64_CONSTANT (86400000) },
  { "1w", G_GINT64_CONSTANT (604800000) },
};

struct _BourseMarketsPage
{
  AdwBin             parent_instance;

  BourseClient      *client;
  GSignalGroup      *client_signals;
  BourseChartOverlay *overlay;           /* the account's fills and orders on the chart */
  GCancellable      *cancellable;        /* the tickers */
  GCancellable      *chart_cancellable;  /* the chart's history */
  GStrv              permissions;
  char              *symbol;
  char              *interval;

  BourseClientStore *store;              /* BourseClientInstrument, live by "instruments" */
  GListModel        *sorted;             /* the store by symbol, as the list shows it */
  GSignalGroup      *instrument_signals; /* the instrument charted */
  char              *candles_topic;      /* subscribed */

  /* The history of what the chart shows. */
  guint              generation;         /* of the selection: stale answers are dropped */
  gboolean           chart_ready;
  gboolean           older_loading;
  gboolean           catching_up;        /* a STEP_CATCH_UP is on its way */
  gboolean           at_earliest;        /* no older page */
  GArray            *pending;            /* live candles that came while loading */

  GtkStack          *stack;
  AdwStatusPage     *error_page;
  GtkListBox        *instrument_list;
  GtkLabel          *symbol_label;
  GtkLabel          *simulated_label;
  GtkLabel          *pair_label;
  GtkWidget         *import_button;
  GtkWidget         *download_button;
  GtkStack          *chart_stack;
  GtkSpinner        *chart_spinner;
  AdwStatusPage     *chart_empty_page;
  AdwStatusPage     *chart_error_page;
  BourseCandleChart *chart;
  AdwLeaflet        *leaflet;
  GtkWidget         *chart_box;
  GtkSearchBar      *search_bar;
  GtkSearchEntry    *search_entry;
  GtkDropDown       *interval_dropdown;
};

G_DEFINE_FINAL_TYPE (BourseMarketsPage, bourse_markets_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_PERMISSIONS,
  PROP_SYMBOL,
  PROP_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void bourse_markets_page_load_chart    (BourseMarketsPage *self);
static void bourse_markets_page_update_header (BourseMarketsPage *self);

/* Numbers {{{ */

char *
bourse_format_decimal (const char *text,
                       int         decimals)
{
  const char *point = localeconv ()->decimal_point;
  const char *dot;
  GString *result;
  gsize integer_length;

  if (text == NULL || text[0] == '\0')
    return g_strdup ("—");

  /* Only what the API sends: digits with an optional sign and point. */
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '.' && !(p == text && (*p == '-' || *p == '+')))
      return g_strdup (text);

  dot = strchr (text, '.');
  integer_length = dot != NULL ? (gsize) (dot - text) : strlen (text);
  result = g_string_new_len (text, integer_length);

  if (decimals > 0)
    {
      const char *fraction = dot != NULL ? dot + 1 : "";
      int available = (int) strlen (fraction);

      g_string_append (result, point != NULL && point[0] != '\0' ? point : ".");
      g_string_append_len (result, fraction, MIN (available, decimals));
      for (int i = available; i < decimals; i++)
        g_string_append_c (result, '0');
    }

  return g_string_free (result, FALSE);
}

int
bourse_decimal_places (const char *text)
{
  const char *dot;
  int places;

  if (text == NULL || (dot = strchr (text, '.')) == NULL)
    return 0;

  places = (int) strlen (dot + 1);
  while (places > 0 && dot[places] == '0')
    places--;

  return MIN (places, 8);
}

char *
bourse_format_pair (BourseClientInstrument *instrument)
{
  const char *base = bourse_client_instrument_get_base_asset (instrument);
  const char *quote = bourse_client_instrument_get_quote_asset (instrument);

  /* Translators: an instrument's base and quote asset, e.g. "BTC / USDT" */
  return g_strdup_printf (_("%s / %s"), base != NULL ? base : "?", quote != NULL ? quote : "?");
}

static gboolean
parse_double (JsonObject *object,
              const char *member,
              double     *value)
{
  const char *text = bourse_json_get_string (object, member);
  char *end = NULL;

  if (text == NULL)
    return FALSE;

  *value = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*value);
}

gboolean
bourse_chart_candle_from_json (JsonObject        *object,
                               BourseChartCandle *candle)
{
  gboolean closed = FALSE;

  g_return_val_if_fail (candle != NULL, FALSE);

  if (object == NULL ||
      !bourse_json_get_int (object, "open_time", &candle->open_time) ||
      !parse_double (object, "open", &candle->open) ||
      !parse_double (object, "high", &candle->high) ||
      !parse_double (object, "low", &candle->low) ||
      !parse_double (object, "close", &candle->close) ||
      !parse_double (object, "volume", &candle->volume))
    return FALSE;

  bourse_json_get_boolean (object, "closed", &closed);
  candle->closed = closed;

  return TRUE;
}

static gint64
interval_ms (const char *interval)
{
  for (guint i = 0; i < G_N_ELEMENTS (chart_intervals); i++)
    if (g_strcmp0 (interval, chart_intervals[i].name) == 0)
      return chart_intervals[i].ms;

  return 0;
}

/* }}} */

/* Instruments and tickers {{{ */

static BourseClientInstrument *
bourse_markets_page_get_instrument (BourseMarketsPage *self,
                                    const char        *symbol)
{
  if (self->store == NULL || symbol == NULL)
    return NULL;

  return BOURSE_CLIENT_INSTRUMENT (bourse_client_store_lookup (self->store, symbol));
}

static GtkWidget *
bourse_markets_page_create_row (gpointer item,
                                gpointer user_data)
{
  BourseMarketsPage *self = user_data;

  return bourse_instrument_row_new (item, self->client, self->cancellable);
}

static GtkListBoxRow *
bourse_markets_page_find_row (BourseMarketsPage *self,
                              const char        *symbol)
{
  guint n = self->sorted != NULL ? g_list_model_get_n_items (self->sorted) : 0;

  for (guint i = 0; symbol != NULL && i < n; i++)
    {
      g_autoptr(BourseClientInstrument) instrument = g_list_model_get_item (self->sorted, i);

      if (g_str_equal (bourse_client_instrument_get_symbol (instrument), symbol))
        return gtk_list_box_get_row_at_index (self->instrument_list, i);
    }

  return NULL;
}

/* The row of the instrument charted, selected. */
static void
bourse_markets_page_select_current (BourseMarketsPage *self)
{
  GtkListBoxRow *row = bourse_markets_page_find_row (self, self->symbol);

  if (row != NULL && gtk_list_box_get_selected_row (self->instrument_list) != row)
    gtk_list_box_select_row (self->instrument_list, row);
}

/* The list as the store has it: rows come and go one by one (the list box
 * follows the model), so here only the page's state and the instrument
 * charted are kept — the same as before a reload, else the first. */
static void
bourse_markets_page_sync_list (BourseMarketsPage *self)
{
  g_autoptr(BourseClientInstrument) first = NULL;

  if (bourse_client_store_get_n_loads (self->store) == 0)
    return;

  if (g_list_model_get_n_items (self->sorted) == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      bourse_markets_page_set_symbol (self, NULL);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "markets");
  if (bourse_markets_page_get_instrument (self, self->symbol) == NULL)
    {
      first = g_list_model_get_item (self->sorted, 0);
      bourse_markets_page_set_symbol (self, bourse_client_instrument_get_symbol (first));
    }
  bourse_markets_page_select_current (self);
  /* What the list says of it may be news (a symbol chosen before the list came). */
  bourse_markets_page_update_header (self);
}

/* The store outlives the page's hold while a load is in flight: its
 * answer must not reach a page that has let go of it (sorted is gone). */
static void
bourse_markets_page_clear_store (BourseMarketsPage *self)
{
  if (self->instrument_list != NULL)
    gtk_list_box_bind_model (self->instrument_list, NULL, NULL, NULL, NULL);
  if (self->sorted != NULL)
    g_signal_handlers_disconnect_by_data (self->sorted, self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->sorted);
  g_clear_object (&self->store);
}

static void
bourse_markets_page_failed_cb (BourseMarketsPage *self,
                               GError            *error,
                               BourseClientStore *store)
{
  g_autofree char *message = NULL;

  /* With a list on screen, a failed refresh only deserves a word. */
  if (g_list_model_get_n_items (self->sorted) > 0)
    {
      message = g_strdup_printf (_("Could not load the instruments: %s"), error->message);
      bourse_widget_show_toast (GTK_WIDGET (self), message);
      return;
    }

  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

void
bourse_markets_page_reload (BourseMarketsPage *self)
{
  g_return_if_fail (BOURSE_IS_MARKETS_PAGE (self));

  if (self->store == NULL)
    return;

  if (g_list_model_get_n_items (self->sorted) == 0)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  bourse_client_store_reload (self->store);
}

static void
bourse_markets_page_row_selected_cb (BourseMarketsPage *self,
                                     GtkListBoxRow     *row,
                                     GtkListBox        *list_box)
{
  g_assert (BOURSE_IS_MARKETS_PAGE (self));

  if (BOURSE_IS_INSTRUMENT_ROW (row))
    bourse_markets_page_set_symbol (self, bourse_client_instrument_get_symbol (
                                      bourse_instrument_row_get_instrument (BOURSE_INSTRUMENT_ROW (row))));
}

/* Chosen by the user on a narrow window: the chart takes the place of the list. */
static void
bourse_markets_page_row_activated_cb (BourseMarketsPage *self,
                                      GtkListBoxRow     *row,
                                      GtkListBox        *list_box)
{
  adw_leaflet_set_visible_child (self->leaflet, self->chart_box);
}

static void
bourse_markets_page_back_clicked_cb (BourseMarketsPage *self,
                                     GtkButton         *button)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* The interval drop-down (the toggles' place on a narrow window) lists
 * the intervals by name, in the toggles' order. */
static gboolean
interval_to_position (GBinding     *binding,
                      const GValue *from,
                      GValue       *to,
                      gpointer      user_data)
{
  g_autoptr(GObject) dropdown = g_binding_dup_target (binding);
  GListModel *names = gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown));
  const char *interval = g_value_get_string (from);

  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (names), i), interval) == 0)
      {
        g_value_set_uint (to, i);
        return TRUE;
      }

  return FALSE;
}

static gboolean
position_to_interval (GBinding     *binding,
                      const GValue *from,
                      GValue       *to,
                      gpointer      user_data)
{
  /* The binding's target, in this direction too: its source is the page. */
  g_autoptr(GObject) dropdown = g_binding_dup_target (binding);
  const char *interval = gtk_string_list_get_string (
    GTK_STRING_LIST (gtk_drop_down_get_model (GTK_DROP_DOWN (dropdown))), g_value_get_uint (from));

  if (interval == NULL)
    return FALSE;

  g_value_set_string (to, interval);
  return TRUE;
}

/* }}} */

/* Chart history {{{ */

typedef enum
{
  STEP_LATEST,     /* the newest page: before=latest */
  STEP_OLDER,      /* the page before the first candle held */
  STEP_CATCH_UP,   /* what came after the latest candle held: a gap in the
                    * topic, or live candles after a gap in the history */
} Step;

typedef struct
{
  BourseMarketsPage *self;
  guint              generation;
  Step               step;
  gint64             start;      /* STEP_CATCH_UP: from here on, following next_cursor */
  guint              pages;
} Load;

static void
load_free (Load *load)
{
  g_clear_object (&load->self);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Load, load_free)

static void bourse_markets_page_load_cb_candles (GObject      *object,
                                                 GAsyncResult *result,
                                                 gpointer      user_data);

/* GET …/candles/{symbol}?interval=&limit=PAGE_LIMIT and @query for a new
 * load of @step. */
static void
load_send (BourseMarketsPage *self,
           Step               step,
           gint64             start,
           guint              pages,
           const char        *query)
{
  g_autofree char *escaped = g_uri_escape_string (self->symbol, NULL, FALSE);
  g_autofree char *path = NULL;
  Load *load = g_new0 (Load, 1);

  load->self = g_object_ref (self);
  load->generation = self->generation;
  load->step = step;
  load->start = start;
  load->pages = pages;

  path = g_strdup_printf ("/api/v1/market/candles/%s?interval=%s&limit=%u&%s",
                          escaped, self->interval, PAGE_LIMIT, query);
  bourse_client_get_json_async (self->client, path, self->chart_cancellable,
                                bourse_markets_page_load_cb_candles, load);
}

static void
bourse_markets_page_show_chart_state (BourseMarketsPage *self,
                                      const char        *state)
{
  gboolean loading = g_strcmp0 (state, "loading") == 0;

  gtk_spinner_set_spinning (self->chart_spinner, loading);
  gtk_stack_set_visible_child_name (self->chart_stack, state);
}

static void bourse_markets_page_set_history (BourseMarketsPage *self,
                                             GArray            *candles);

static void
bourse_markets_page_show_empty (BourseMarketsPage *self)
{
  g_autofree char *description = NULL;

  /* Nothing stored, but live candles came meanwhile: they are the history. */
  if (self->pending->len > 0)
    {
      g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (BourseChartCandle));

      g_array_append_vals (first, self->pending->data, 1);
      bourse_markets_page_set_history (self, first);
      self->at_earliest = TRUE;
      return;
    }

  /* Translators: the first %s is an instrument, the second an interval ("1h") */
  description = g_strdup_printf (_("Nothing is stored for %s at %s. Candles appear here as a feed "
                                   "brings them, or after an import or a download."),
                                 self->symbol, self->interval);
  adw_status_page_set_description (self->chart_empty_page, description);
  bourse_markets_page_show_chart_state (self, "empty");
}

/* The history arrives: the chart shows it, and what came live meanwhile. */
static void
bourse_markets_page_set_history (BourseMarketsPage *self,
                                 GArray            *candles)
{
  self->chart_ready = TRUE;
  bourse_markets_page_show_chart_state (self, "chart");
  bourse_candle_chart_set_candles (self->chart, (BourseChartCandle *) candles->data, candles->len);

  for (guint i = 0; i < self->pending->len; i++)
    bourse_candle_chart_update_candle (self->chart, &g_array_index (self->pending, BourseChartCandle, i));
  g_array_set_size (self->pending, 0);
}

static void
bourse_markets_page_apply_pending (BourseMarketsPage *self)
{
  self->catching_up = FALSE;
  for (guint i = 0; i < self->pending->len; i++)
    bourse_candle_chart_update_candle (self->chart, &g_array_index (self->pending, BourseChartCandle, i));
  g_array_set_size (self->pending, 0);
}

static void
bourse_markets_page_load_failed (BourseMarketsPage *self,
                                 Load              *load,
                                 const GError      *error)
{
  g_autofree char *message = NULL;

  if (load->step == STEP_LATEST)
    {
      adw_status_page_set_description (self->chart_error_page, error->message);
      bourse_markets_page_show_chart_state (self, "error");
      return;
    }

  /* Show what came live at least, after the gap. */
  if (load->step == STEP_CATCH_UP)
    bourse_markets_page_apply_pending (self);
  self->older_loading = FALSE;
  message = g_strdup_printf (_("Could not load more candles: %s"), error->message);
  bourse_widget_show_toast (GTK_WIDGET (self), message);
}

static void
bourse_markets_page_load_cb_candles (GObject      *object,
                                     GAsyncResult *result,
                                     gpointer      user_data)
{
  g_autoptr(Load) load = user_data;
  BourseMarketsPage *self = load->self;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) candles = NULL;
  g_autofree char *query = NULL;
  JsonObject *root;
  JsonArray *items;
  const char *cursor;
  gint64 next_cursor = 0;
  gboolean more;
  guint n;

  answer = bourse_client_get_json_finish (BOURSE_CLIENT (object), result, &error);

  /* Another instrument or interval by now. */
  if (load->generation != self->generation)
    return;

  if (answer == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        bourse_markets_page_load_failed (self, load, error);
      return;
    }

  /* before= answers newest first; the chart holds them oldest first. */
  root = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  items = bourse_json_get_array (root, "items");
  n = items != NULL ? json_array_get_length (items) : 0;
  candles = g_array_sized_new (FALSE, FALSE, sizeof (BourseChartCandle), n);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (items, load->step == STEP_CATCH_UP ? i : n - 1 - i);
      BourseChartCandle candle;

      if (JSON_NODE_HOLDS_OBJECT (node) &&
          bourse_chart_candle_from_json (json_node_get_object (node), &candle))
        g_array_append_val (candles, candle);
    }
  /* The cursor is an open time, written as a string like every list's. */
  cursor = bourse_json_get_string (root, "next_cursor");
  more = cursor != NULL && g_ascii_string_to_signed (cursor, 10, G_MININT64, G_MAXINT64, &next_cursor, NULL);

  switch (load->step)
    {
    case STEP_LATEST:
      if (candles->len == 0)
        {
          bourse_markets_page_show_empty (self);
          return;
        }
      bourse_markets_page_set_history (self, candles);
      self->at_earliest = !more;
      return;

    case STEP_OLDER:
      self->older_loading = FALSE;
      self->at_earliest = !more;
      /* May ask for more at once (load-older), so the state is set first. */
      if (candles->len > 0)
        bourse_candle_chart_prepend_candles (self->chart, (BourseChartCandle *) candles->data, candles->len);
      return;

    case STEP_CATCH_UP:
    default:
      for (guint i = 0; i < candles->len; i++)
        bourse_candle_chart_update_candle (self->chart, &g_array_index (candles, BourseChartCandle, i));
      if (more && load->pages + 1 < MAX_PAGES)
        {
          query = g_strdup_printf ("start=%" G_GINT64_FORMAT "&cursor=%" G_GINT64_FORMAT, load->start, next_cursor);
          load_send (self, STEP_CATCH_UP, load->start, load->pages + 1, query);
          return;
        }

      /* Then what came live meanwhile, in order. */
      bourse_markets_page_apply_pending (self);
      return;
    }
}

static void
bourse_markets_page_load_older_cb (BourseMarketsPage *self,
                                   BourseCandleChart *chart)
{
  g_autofree char *query = NULL;

  g_assert (BOURSE_IS_MARKETS_PAGE (self));

  if (!self->chart_ready || self->older_loading || self->at_earliest || self->client == NULL ||
      bourse_candle_chart_get_n_candles (chart) == 0)
    return;

  self->older_loading = TRUE;
  query = g_strdup_printf ("before=%" G_GINT64_FORMAT, bourse_candle_chart_get_candle (chart, 0)->open_time);
  load_send (self, STEP_OLDER, 0, 0, query);
}

/* Loads what the store has from the latest candle held on: after a gap in
 * the topic, or when a live candle shows the history held ends early (the
 * simulated feed still backfilling when the chart loaded). Live candles
 * wait in self->pending meanwhile. A gap of more than a page loads the
 * chart afresh instead: the recent window is what matters then. */
static void
bourse_markets_page_catch_up (BourseMarketsPage *self,
                              gint64             until)
{
  guint n = bourse_candle_chart_get_n_candles (self->chart);
  g_autofree char *query = NULL;
  gint64 latest;

  if (self->catching_up)
    return;

  latest = n > 0 ? bourse_candle_chart_get_candle (self->chart, n - 1)->open_time : G_MININT64;
  if (!self->chart_ready || n == 0 || (until - latest) / interval_ms (self->interval) > PAGE_LIMIT)
    {
      g_autoptr(GArray) live = g_array_copy (self->pending);

      bourse_markets_page_load_chart (self);
      g_array_append_vals (self->pending, live->data, live->len);
      return;
    }

  self->catching_up = TRUE;
  query = g_strdup_printf ("start=%" G_GINT64_FORMAT, latest);
  load_send (self, STEP_CATCH_UP, latest, 0, query);
}

static void
bourse_markets_page_update_header (BourseMarketsPage *self)
{
  BourseClientInstrument *instrument = bourse_markets_page_get_instrument (self, self->symbol);
  g_autofree char *pair = instrument != NULL ? bourse_format_pair (instrument) : NULL;
  int decimals = instrument != NULL ? bourse_decimal_places (bourse_client_instrument_get_tick_size (instrument)) : 0;

  /* A change to it (its tick size) comes back here. */
  g_signal_group_set_target (self->instrument_signals, instrument);
  gtk_label_set_label (self->symbol_label, self->symbol != NULL ? self->symbol : "");
  gtk_widget_set_visible (GTK_WIDGET (self->simulated_label),
                          instrument != NULL && bourse_client_instrument_get_simulated (instrument));
  gtk_label_set_label (self->pair_label, pair != NULL ? pair : "");
  bourse_candle_chart_set_price_decimals (self->chart, decimals > 0 ? decimals : -1);
}

/* Loads the chart of the selected instrument and interval, from scratch. */
static void
bourse_markets_page_load_chart (BourseMarketsPage *self)
{
  g_assert (BOURSE_IS_MARKETS_PAGE (self));

  self->generation++;
  g_cancellable_cancel (self->chart_cancellable);
  g_clear_object (&self->chart_cancellable);

  if (self->client != NULL && self->candles_topic != NULL)
    bourse_client_unsubscribe (self->client, self->candles_topic);
  g_clear_pointer (&self->candles_topic, g_free);

  self->chart_ready = FALSE;
  self->older_loading = FALSE;
  self->catching_up = FALSE;
  self->at_earliest = FALSE;
  g_array_set_size (self->pending, 0);
  bourse_candle_chart_set_candles (self->chart, NULL, 0);
  bourse_markets_page_update_header (self);
  if (self->overlay != NULL)
    bourse_chart_overlay_set_symbol (self->overlay, self->symbol);

  if (self->client == NULL || self->symbol == NULL)
    {
      bourse_markets_page_show_chart_state (self, "none");
      return;
    }

  /* Subscribed first, so nothing that happens while loading is missed. */
  self->candles_topic = g_strdup_printf ("candles:%s:%s", self->symbol, self->interval);
  bourse_client_subscribe (self->client, self->candles_topic);

  self->chart_cancellable = g_cancellable_new ();
  bourse_markets_page_show_chart_state (self, "loading");

  load_send (self, STEP_LATEST, 0, 0, "before=latest");
}

/* A candle on the candles:<SYMBOL>:<interval> topic. */
static void
bourse_markets_page_apply_candle (BourseMarketsPage *self,
                                  JsonNode          *data)
{
  BourseChartCandle candle;

  if (!JSON_NODE_HOLDS_OBJECT (data) ||
      !bourse_chart_candle_from_json (json_node_get_object (data), &candle))
    return;

  if (self->chart_ready && !self->catching_up)
    {
      guint n = bourse_candle_chart_get_n_candles (self->chart);
      gint64 latest = n > 0 ? bourse_candle_chart_get_candle (self->chart, n - 1)->open_time : G_MININT64;

      /* Candles missing between what we hold and this one: fetch them first. */
      if (n > 0 && candle.open_time > latest + interval_ms (self->interval))
        {
          g_array_append_val (self->pending, candle);
          bourse_markets_page_catch_up (self, candle.open_time);
          return;
        }

      bourse_candle_chart_update_candle (self->chart, &candle);
      return;
    }

  /* "Nothing stored" is out of date: look again (keeping this candle, in
   * case the store still has none). */
  if (!self->chart_ready &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->chart_stack), "empty") == 0)
    bourse_markets_page_load_chart (self);

  g_array_append_val (self->pending, candle);
}

/* }}} */

/* Events {{{ */

static void
bourse_markets_page_event_cb (BourseMarketsPage *self,
                              const char        *topic,
                              gint64             seq,
                              JsonNode          *data,
                              BourseClient      *client)
{
  g_assert (BOURSE_IS_MARKETS_PAGE (self));

  /* The list's topics are its store's and its rows' own. */
  if (g_strcmp0 (topic, self->candles_topic) == 0)
    bourse_markets_page_apply_candle (self, data);
}

static void
bourse_markets_page_resync_cb (BourseMarketsPage *self,
                               const char        *topic,
                               BourseClient      *client)
{
  g_assert (BOURSE_IS_MARKETS_PAGE (self));

  if (g_strcmp0 (topic, self->candles_topic) == 0)
    bourse_markets_page_catch_up (self, g_get_real_time () / 1000);
}

/* }}} */

/* Actions and dialogs {{{ */

static gboolean
bourse_markets_page_can_import (BourseMarketsPage *self)
{
  return self->client != NULL && self->permissions != NULL
         && g_strv_contains ((const char * const *) self->permissions, "market.import");
}

static gboolean
bourse_markets_page_can_download (BourseMarketsPage *self)
{
  return self->client != NULL && self->permissions != NULL
         && g_strv_contains ((const char * const *) self->permissions, "market.download");
}

static void
bourse_markets_page_update_actions (BourseMarketsPage *self)
{
  gboolean can_import = bourse_markets_page_can_import (self);
  gboolean can_download = bourse_markets_page_can_download (self);

  bourse_page_action_set_enabled (GTK_WIDGET (self), "markets.import", can_import);
  bourse_page_action_set_enabled (GTK_WIDGET (self), "markets.download", can_download);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "markets.reload", self->client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "markets.reload-chart", self->client != NULL);
  gtk_widget_set_visible (self->import_button, can_import);
  gtk_widget_set_visible (self->download_button, can_download);
}

/* Every instrument, or only those a download can fill (fed from Binance). */
static GStrv
bourse_markets_page_dup_symbols (BourseMarketsPage *self,
                                 gboolean           downloadable)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = self->sorted != NULL ? g_list_model_get_n_items (self->sorted) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BourseClientInstrument) instrument = g_list_model_get_item (self->sorted, i);

      if (!downloadable || g_strcmp0 (bourse_client_instrument_get_source (instrument), "binance") == 0)
        g_strv_builder_add (builder, bourse_client_instrument_get_symbol (instrument));
    }

  return g_strv_builder_end (builder);
}

/* An import or a download brought candles: reload what they touched. */
static void
bourse_markets_page_history_changed_cb (BourseMarketsPage *self,
                                        const char        *symbol,
                                        const char        *interval,
                                        GtkWidget         *dialog)
{
  g_assert (BOURSE_IS_MARKETS_PAGE (self));

  if (g_strcmp0 (symbol, self->symbol) == 0)
    bourse_markets_page_load_chart (self);
}

static void
bourse_markets_page_import_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  BourseMarketsPage *self = BOURSE_MARKETS_PAGE (widget);
  g_auto(GStrv) symbols = NULL;
  GtkWidget *dialog;

  if (!bourse_markets_page_can_import (self))
    return;

  symbols = bourse_markets_page_dup_symbols (self, FALSE);
  dialog = bourse_import_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->client,
                                     (const char * const *) symbols, self->symbol, self->interval);
  g_signal_connect_object (dialog, "imported",
                           G_CALLBACK (bourse_markets_page_history_changed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
bourse_markets_page_download_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  BourseMarketsPage *self = BOURSE_MARKETS_PAGE (widget);
  g_auto(GStrv) symbols = NULL;
  GtkWidget *dialog;

  if (!bourse_markets_page_can_download (self))
    return;

  symbols = bourse_markets_page_dup_symbols (self, TRUE);
  dialog = bourse_download_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->client,
                                       (const char * const *) symbols, self->symbol, self->interval);
  g_signal_connect_object (dialog, "downloaded",
                           G_CALLBACK (bourse_markets_page_history_changed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
bourse_markets_page_reload_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  bourse_markets_page_reload (BOURSE_MARKETS_PAGE (widget));
}

static void
bourse_markets_page_reload_chart_action (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *param)
{
  bourse_markets_page_load_chart (BOURSE_MARKETS_PAGE (widget));
}

/* }}} */

BourseClient *
bourse_markets_page_get_client (BourseMarketsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_MARKETS_PAGE (self), NULL);

  return self->client;
}

void
bourse_markets_page_set_client (BourseMarketsPage *self,
                                BourseClient      *client)
{
  g_return_if_fail (BOURSE_IS_MARKETS_PAGE (self));
  g_return_if_fail (!client || BOURSE_IS_CLIENT (client));

  if (self->client == client)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  /* Everything seen so far belongs to the other server. */
  bourse_markets_page_clear_store (self);
  g_clear_pointer (&self->symbol, g_free);
  bourse_markets_page_load_chart (self);

  g_set_object (&self->client, client);
  g_signal_group_set_target (self->client_signals, client);
  bourse_chart_overlay_set_client (self->overlay, client);

  bourse_markets_page_update_actions (self);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  if (client != NULL)
    {
      GtkExpression *symbol = gtk_property_expression_new (BOURSE_TYPE_CLIENT_INSTRUMENT, NULL, "symbol");

      self->cancellable = g_cancellable_new ();
      self->store = bourse_client_store_new (client, BOURSE_TYPE_CLIENT_INSTRUMENT,
                                             "/api/v1/instruments", "instruments");
      /* The API's order; a new one would come first in the store. */
      self->sorted = G_LIST_MODEL (gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->store)),
                                                            GTK_SORTER (gtk_string_sorter_new (symbol))));
      gtk_list_box_bind_model (self->instrument_list, self->sorted,
                               bourse_markets_page_create_row, self, NULL);
      /* After the list box has made or dropped the rows. */
      g_signal_connect_object (self->sorted, "items-changed",
                               G_CALLBACK (bourse_markets_page_sync_list), self,
                               G_CONNECT_SWAPPED | G_CONNECT_AFTER);
      g_signal_connect_object (self->store, "notify::n-loads",
                               G_CALLBACK (bourse_markets_page_sync_list), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->store, "failed",
                               G_CALLBACK (bourse_markets_page_failed_cb), self, G_CONNECT_SWAPPED);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

const char * const *
bourse_markets_page_get_permissions (BourseMarketsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_MARKETS_PAGE (self), NULL);

  return (const char * const *) self->permissions;
}

void
bourse_markets_page_set_permissions (BourseMarketsPage  *self,
                                     const char * const *permissions)
{
  g_return_if_fail (BOURSE_IS_MARKETS_PAGE (self));

  if (self->permissions == NULL && permissions == NULL)
    return;
  if (self->permissions != NULL && permissions != NULL
      && g_strv_equal ((const char * const *) self->permissions, permissions))
    return;

  g_strfreev (self->permissions);
  self->permissions = g_strdupv ((char **) permissions);
  bourse_markets_page_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERMISSIONS]);
}

const char *
bourse_markets_page_get_symbol (BourseMarketsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_MARKETS_PAGE (self), NULL);

  return self->symbol;
}

void
bourse_markets_page_set_symbol (BourseMarketsPage *self,
                                const char        *symbol)
{
  g_return_if_fail (BOURSE_IS_MARKETS_PAGE (self));

  if (g_strcmp0 (self->symbol, symbol) == 0)
    return;

  g_free (self->symbol);
  self->symbol = g_strdup (symbol);

  /* Keep the list's selection in step with programmatic changes. */
  bourse_markets_page_select_current (self);

  bourse_markets_page_load_chart (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYMBOL]);
}

const char *
bourse_markets_page_get_interval (BourseMarketsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_MARKETS_PAGE (self), NULL);

  return self->interval;
}

void
bourse_markets_page_set_interval (BourseMarketsPage *self,
                                  const char        *interval)
{
  g_return_if_fail (BOURSE_IS_MARKETS_PAGE (self));

  if (interval_ms (interval) == 0 || g_strcmp0 (self->interval, interval) == 0)
    return;

  g_free (self->interval);
  self->interval = g_strdup (interval);
  bourse_markets_page_load_chart (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

BourseCandleChart *
bourse_markets_page_get_chart (BourseMarketsPage *self)
{
  g_return_val_if_fail (BOURSE_IS_MARKETS_PAGE (self), NULL);

  return self->chart;
}

static void
bourse_markets_page_dispose (GObject *object)
{
  BourseMarketsPage *self = (BourseMarketsPage *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->chart_cancellable);
  g_clear_object (&self->chart_cancellable);
  self->generation++;

  bourse_markets_page_clear_store (self);
  g_signal_group_set_target (self->instrument_signals, NULL);
  if (self->client != NULL && self->candles_topic != NULL)
    bourse_client_unsubscribe (self->client, self->candles_topic);
  g_clear_pointer (&self->candles_topic, g_free);
  if (self->client_signals != NULL)
    g_signal_group_set_target (self->client_signals, NULL);
  g_clear_object (&self->client_signals);
  g_clear_object (&self->client);
  g_clear_object (&self->overlay);

  /* Through AdwBin, which would otherwise unparent it a second time. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BOURSE_TYPE_MARKETS_PAGE);

  G_OBJECT_CLASS (bourse_markets_page_parent_class)->dispose (object);
}

static void
bourse_markets_page_finalize (GObject *object)
{
  BourseMarketsPage *self = (BourseMarketsPage *)object;

  g_clear_object (&self->instrument_signals);
  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->permissions, g_strfreev);
  g_clear_pointer (&self->symbol, g_free);
  g_clear_pointer (&self->interval, g_free);

  G_OBJECT_CLASS (bourse_markets_page_parent_class)->finalize (object);
}

static void
bourse_markets_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  BourseMarketsPage *self = BOURSE_MARKETS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;

    case PROP_PERMISSIONS:
      g_value_set_boxed (value, self->permissions);
      break;

    case PROP_SYMBOL:
      g_value_set_string (value, self->symbol);
      break;

    case PROP_INTERVAL:
      g_value_set_string (value, self->interval);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_markets_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  BourseMarketsPage *self = BOURSE_MARKETS_PAGE (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      bourse_markets_page_set_client (self, g_value_get_object (value));
      break;

    case PROP_PERMISSIONS:
      bourse_markets_page_set_permissions (self, g_value_get_boxed (value));
      break;

    case PROP_SYMBOL:
      bourse_markets_page_set_symbol (self, g_value_get_string (value));
      break;

    case PROP_INTERVAL:
      bourse_markets_page_set_interval (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bourse_markets_page_class_init (BourseMarketsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bourse_markets_page_dispose;
  object_class->finalize = bourse_markets_page_finalize;
  object_class->get_property = bourse_markets_page_get_property;
  object_class->set_property = bourse_markets_page_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         BOURSE_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PERMISSIONS] =
    g_param_spec_boxed ("permissions", NULL, NULL,
                        G_TYPE_STRV,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SYMBOL] =
    g_param_spec_string ("symbol", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_INTERVAL] =
    g_param_spec_string ("interval", NULL, NULL,
                         DEFAULT_INTERVAL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_property_action (widget_class, "markets.interval", "interval");
  gtk_widget_class_install_action (widget_class, "markets.import", NULL,
                                   bourse_markets_page_import_action);
  gtk_widget_class_install_action (widget_class, "markets.download", NULL,
                                   bourse_markets_page_download_action);
  gtk_widget_class_install_action (widget_class, "markets.reload", NULL,
                                   bourse_markets_page_reload_action);
  gtk_widget_class_install_action (widget_class, "markets.reload-chart", NULL,
                                   bourse_markets_page_reload_chart_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bourse/Bourse/bourse-markets-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BourseMarketsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BourseMarketsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, BourseMarketsPage, instrument_list);
  gtk_widget_class_bind_template_child (widget_class, BourseMarketsPage, symbol_label);
  gtk_widget_class_bind_template_child (widget_class, BourseMarketsPage, simulated_label);
  gtk_widget_class_bind_template_child (widget_class, BourseMarketsPage, pair_label);
  gtk_widget_class_bind_template_child (widget_class, BourseMarketsPage, import_button);
  gtk_widget_class_bind_template_child (widget_class, BourseMarketsPage, download_button);
  gtk_widget_class_bind_template_child (widget_class, BourseMarketsPage, chart_stack);
  gtk_widget_class_bind_template_child (widget_class, BourseMarketsPage, chart_spinner);
  gtk_widget_class_bind_template_child (widget_class, BourseMarketsPage, chart_empty_page);
  gtk_widget_class_bind_template_child (widget_class, BourseMarketsPage, chart_error_page);
  gtk_widget_class_bind_template_child (widget_class, BourseMarketsPage, chart);
  gtk_widget_class_bind_template_callback (widget_class, bourse_markets_page_row_selected_cb);
  gtk_widget_class_bind_template_child (widget_class, BourseMarketsPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BourseMarketsPage, chart_box);
  gtk_widget_class_bind_template_child (widget_class, BourseMarketsPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, BourseMarketsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BourseMarketsPage, interval_dropdown);
  gtk_widget_class_bind_template_callback (widget_class, bourse_markets_page_row_activated_cb);
  bourse_page_class_bind_header_actions (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, bourse_markets_page_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, bourse_markets_page_load_older_cb);

  g_type_ensure (BOURSE_TYPE_CANDLE_CHART);
  g_type_ensure (BOURSE_TYPE_TAB_STOP);
}

static void
bourse_markets_page_init (BourseMarketsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  bourse_page_init_header_actions (GTK_WIDGET (self), BOURSE_TYPE_MARKETS_PAGE, "markets",
                                   (const char *[]) { "import", "download", NULL });

  gtk_widget_set_name (GTK_WIDGET (self), "markets-page");
  self->overlay = bourse_chart_overlay_new (self->chart);

  /* The preferences' choice; the property's default stays DEFAULT_INTERVAL. */
  self->interval = bourse_settings_dup_default_interval ();
  self->pending = g_array_new (FALSE, FALSE, sizeof (BourseChartCandle));

  self->instrument_signals = g_signal_group_new (BOURSE_TYPE_CLIENT_INSTRUMENT);
  g_signal_group_connect_object (self->instrument_signals, "notify",
                                 G_CALLBACK (bourse_markets_page_update_header),
                                 self, G_CONNECT_SWAPPED);
  self->client_signals = g_signal_group_new (BOURSE_TYPE_CLIENT);
  g_signal_group_connect_object (self->client_signals, "event",
                                 G_CALLBACK (bourse_markets_page_event_cb),
                                 self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->client_signals, "resync",
                                 G_CALLBACK (bourse_markets_page_resync_cb),
                                 self, G_CONNECT_SWAPPED);

  g_object_bind_property_full (self, "interval", self->interval_dropdown, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               interval_to_position, position_to_interval, NULL, NULL);
  bourse_search_filter_lists (GTK_WIDGET (self->instrument_list), self->search_entry);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  bourse_markets_page_update_actions (self);
  bourse_markets_page_show_chart_state (self, "none");
}

GtkWidget *
bourse_markets_page_new (void)
{
  return g_object_new (BOURSE_TYPE_MARKETS_PAGE, NULL);
}
