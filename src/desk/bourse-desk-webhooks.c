/* desk/bourse-desk-webhooks.c — signed external signals through the same desk
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "core/bourse-json.h"
#include "core/bourse-signature.h"
#include "market/bourse-ticker.h"
#include "strategy/bourse-indicators.h"

#include "bourse-desk-private.h"

#define NAME_MAX_CHARS      100
#define COMMENT_MAX_CHARS   500
#define SECRET_BYTES        32
#define SIGNATURE_PREFIX    BOURSE_SIGNATURE_PREFIX
/* The levels' ATR, as the strategies place them (docs/STRATEGIES.md). */
#define ATR_PERIOD          14
#define ATR_CANDLES         100
#define STOP_ATR            2.0
#define TARGET_ATR          3.0
#define DEFAULT_INTERVAL    "1h"

/* The record {{{ */

void
bourse_webhook_free (BourseWebhook *webhook)
{
  if (webhook == NULL)
    return;

  g_free (webhook->name);
  g_free (webhook->created_at);
  g_free (webhook->revoked_at);
  g_free (webhook);
}

JsonNode *
bourse_webhook_to_json (const BourseWebhook *webhook)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  g_return_val_if_fail (webhook != NULL, NULL);

  json_object_set_int_member (object, "id", webhook->id);
  json_object_set_string_member (object, "name", webhook->name);
  if (webhook->created_by > 0)
    json_object_set_int_member (object, "created_by", webhook->created_by);
  else
    json_object_set_null_member (object, "created_by");
  json_object_set_string_member (object, "created_at", webhook->created_at);
  if (webhook->revoked_at != NULL)
    json_object_set_string_member (object, "revoked_at", webhook->revoked_at);
  else
    json_object_set_null_member (object, "revoked_at");
  json_node_take_object (node, object);
  return node;
}

static BourseWebhook *
webhook_from_row (sqlite3_stmt *stmt)
{
  BourseWebhook *webhook = g_new0 (BourseWebhook, 1);

  webhook->id = sqlite3_column_int64 (stmt, 0);
  webhook->name = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  webhook->created_by = sqlite3_column_int64 (stmt, 2);
  webhook->created_at = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
  webhook->revoked_at = g_strdup ((const char *)sqlite3_column_text (stmt, 4));
  return webhook;
}

static BourseWebhook *
webhooks_get (BourseStore  *store,
              gint64        id,
              GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = bourse_store_prepare (store, "SELECT id, name, created_by, created_at, revoked_at FROM webhooks "
                                      "WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return webhook_from_row (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_NOT_FOUND, _("There is no webhook %" PRId64), id);
  else
    bourse_store_set_error (store, error);
  return NULL;
}

GPtrArray *
bourse_webhooks_list (BourseStore  *store,
                      gint64        before_id,
                      guint         limit,
                      GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_webhook_free);
  int rc;

  g_return_val_if_fail (BOURSE_IS_STORE (store), NULL);

  stmt = bourse_store_prepare (store, "SELECT id, name, created_by, created_at, revoked_at FROM webhooks "
                                      "WHERE ?1 = 0 OR id < ?1 ORDER BY id DESC LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, MAX (before_id, 0));
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, webhook_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* }}} */

/* Secrets {{{ */

static void
wipe_free (gpointer data)
{
  sodium_memzero (data, strlen (data));
  g_free (data);
}

/* A copy of @text that is wiped when the last reference goes. */
static GBytes *
secret_bytes (const char *text)
{
  char *copy = g_strdup (text);

  return g_bytes_new_with_free_func (copy, strlen (copy), wipe_free, copy);
}

static char *
secret_name (gint64 id)
{
  return g_strdup_printf ("webhook:%" G_GINT64_FORMAT, id);
}

/* Start-up only: the secret store may be a keyring on D-Bus, never asked on
 * a request path. */
gboolean
_bourse_desk_webhooks_load (BourseDesk  *self,
                            GError     **error)
{
  BourseSecrets *secrets = bourse_auth_get_secrets (self->auth);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = bourse_store_prepare (self->store, "SELECT id FROM webhooks WHERE revoked_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_autofree char *name = secret_name (id);
      g_autoptr(GError) local_error = NULL;
      GBytes *secret = bourse_secrets_lookup (secrets, name, &local_error);

      if (secret == NULL)
        {
          g_message ("Webhook %" G_GINT64_FORMAT " has no secret (%s): it refuses every signal; revoke it "
                     "and make a new one", id, local_error ? local_error->message : "not stored");
          continue;
        }
      g_hash_table_insert (self->secrets, g_memdup2 (&id, sizeof id), secret);
    }
  if (rc != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      return FALSE;
    }
  return TRUE;
}

BourseWebhook *
bourse_desk_create_webhook (BourseDesk              *self,
                            const char              *name,
                            const BourseDeskCaller  *caller,
                            char                   **secret,
                            GError                 **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(BourseWebhook) webhook = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(GBytes) value = NULL;
  g_autofree char *key_name = NULL;
  g_autofree char *target = NULL;
  g_autofree char *text = NULL;
  guint8 bytes[SECRET_BYTES];
  glong length = name ? g_utf8_strlen (name, -1) : 0;
  gint64 id;

  g_return_val_if_fail (BOURSE_IS_DESK (self), NULL);
  g_return_val_if_fail (caller != NULL && secret != NULL, NULL);

  if (self->stopped)
    {
      g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_STOPPED, _("The engine is stopping"));
      return NULL;
    }
  if (length < 1 || length > NAME_MAX_CHARS)
    {
      _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, "name", _("must be 1 to %d characters"),
                                    NAME_MAX_CHARS);
      return NULL;
    }

  /* The secret is the hex text itself: what a sender pastes is the HMAC key. */
  randombytes_buf (bytes, sizeof bytes);
  text = g_malloc (2 * SECRET_BYTES + 1);
  sodium_bin2hex (text, 2 * SECRET_BYTES + 1, bytes, sizeof bytes);
  sodium_memzero (bytes, sizeof bytes);
  value = secret_bytes (text);

  if (!bourse_store_begin (self->store, error))
    return NULL;
  stmt = bourse_store_prepare (self->store, "INSERT INTO webhooks (name, created_by, created_at) "
                                            "VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    goto fail;
  {
    g_autofree char *now = _bourse_desk_now_text ();

    sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
    if (caller->user_id > 0)
      sqlite3_bind_int64 (stmt, 2, caller->user_id);
    else
      sqlite3_bind_null (stmt, 2);
    sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
    if (sqlite3_step (stmt) != SQLITE_DONE)
      {
        bourse_store_set_error (self->store, error);
        goto fail;
      }
  }
  id = sqlite3_last_insert_rowid (bourse_store_get_db (self->store));
  if ((webhook = webhooks_get (self->store, id, error)) == NULL)
    goto fail;

  key_name = secret_name (id);
  details = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (details, json_object_new ());
  json_object_set_string_member (json_node_get_object (details), "name", name);
  target = g_strdup_printf ("webhook:%" G_GINT64_FORMAT, id);
  if (!bourse_secrets_store (bourse_auth_get_secrets (self->auth), key_name, value, error))
    goto fail;
  if (!_bourse_desk_audit (self, caller, "webhook.create", target, details, error)
      || !bourse_store_commit (self->store, error))
    {
      bourse_secrets_delete (bourse_auth_get_secrets (self->auth), key_name, NULL);
      goto fail;
    }

  g_hash_table_insert (self->secrets, g_memdup2 (&id, sizeof id), g_bytes_ref (value));
  *secret = g_steal_pointer (&text);
  return g_steal_pointer (&webhook);

fail:
  bourse_store_rollback (self->store);
  if (text != NULL)
    sodium_memzero (text, strlen (text));
  return NULL;
}

gboolean
bourse_desk_revoke_webhook (BourseDesk              *self,
                            gint64                   id,
                            const BourseDeskCaller  *caller,
                            GError                 **error)
{
  g_autoptr(BourseWebhook) webhook = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *target = g_strdup_printf ("webhook:%" G_GINT64_FORMAT, id);
  g_autofree char *name = secret_name (id);
  g_autofree char *now = _bourse_desk_now_text ();

  g_return_val_if_fail (BOURSE_IS_DESK (self), FALSE);

  if (self->stopped)
    {
      g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_STOPPED, _("The engine is stopping"));
      return FALSE;
    }
  if (!bourse_store_begin (self->store, error))
    return FALSE;
  if ((webhook = webhooks_get (self->store, id, error)) == NULL)
    goto fail;
  if (webhook->revoked_at != NULL)
    {
      g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_CONFLICT,
                   _("The webhook was revoked at %s already"), webhook->revoked_at);
      goto fail;
    }
  stmt = bourse_store_prepare (self->store, "UPDATE webhooks SET revoked_at = ?1 WHERE id = ?2", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      bourse_store_set_error (self->store, error);
      goto fail;
    }
  if (!_bourse_desk_audit (self, caller, "webhook.revoke", target, NULL, error)
      || !bourse_store_commit (self->store, error))
    goto fail;

  /* Refused from now on whatever happens to the secret store. */
  g_hash_table_remove (self->secrets, &id);
  if (!bourse_secrets_delete (bourse_auth_get_secrets (self->auth), name, &local_error))
    g_message ("The secret of revoked webhook %" G_GINT64_FORMAT " was not deleted: %s", id, local_error->message);
  return TRUE;

fail:
  bourse_store_rollback (self->store);
  return FALSE;
}

/* }}} */

/* Verification {{{ */

/* A (hook, timestamp, signature) seen, remembered until its timestamp can
 * no longer pass the window: at most twice the window after it came. */
typedef struct
{
  gint64 arrival_us;
  char   key[];
} Replay;

static void
prune_replays (BourseDesk *self,
               gint64      now_us,
               gint64      window_s)
{
  Replay *head;

  while ((head = g_queue_peek_head (&self->replay_order)) != NULL
         && head->arrival_us + 2 * window_s * G_USEC_PER_SEC < now_us)
    {
      g_hash_table_remove (self->replays, head->key);
      g_free (g_queue_pop_head (&self->replay_order));
    }
}

static gboolean
unauthenticated (GError     **error,
                 const char  *message)
{
  g_set_error_literal (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_UNAUTHENTICATED, message);
  return FALSE;
}

/* The timestamp, the signature and the replay check; then remembers the pair. */
static gboolean
verify (BourseDesk  *self,
        gint64       id,
        GBytes      *secret,
        const char  *timestamp,
        const char  *signature,
        GBytes      *body,
        gint64      *timestamp_s,
        GError     **error)
{
  g_autofree char *key = NULL;
  guint8 expected[BOURSE_SIGNATURE_BYTES], given[BOURSE_SIGNATURE_BYTES];
  gsize given_length = 0;
  const char *hex_end = NULL;
  gint64 window = bourse_config_get_int (self->config, "webhooks", "replay_window");
  gint64 now_us = g_get_real_time ();
  gint64 ts;
  Replay *replay;

  if (timestamp == NULL || !g_ascii_string_to_signed (timestamp, 10, 0, G_MAXINT64 / G_USEC_PER_SEC, &ts, NULL))
    return unauthenticated (error, _("X-Bourse-Timestamp must be the time of sending in Unix seconds"));
  if (ABS (now_us / G_USEC_PER_SEC - ts) > window)
    return unauthenticated (error, _("X-Bourse-Timestamp is outside the replay window: check the sender’s clock"));

  if (signature == NULL || !g_str_has_prefix (signature, SIGNATURE_PREFIX)
      || strlen (signature) != strlen (SIGNATURE_PREFIX) + 2 * sizeof given
      || sodium_hex2bin (given, sizeof given, signature + strlen (SIGNATURE_PREFIX), 2 * sizeof given, NULL,
                         &given_length, &hex_end) != 0
      || given_length != sizeof given || *hex_end != '\0')
    return unauthenticated (error, _("X-Bourse-Signature must be “sha256=” and the hex HMAC-SHA256 of "
                                     "“<timestamp>.<body>”"));

  bourse_signature_compute (g_bytes_get_data (secret, NULL), g_bytes_get_size (secret), timestamp,
                            g_bytes_get_data (body, NULL), g_bytes_get_size (body), expected);
  /* In constant time: how far a guess matched must not show. */
  if (sodium_memcmp (expected, given, sizeof given) != 0)
    return unauthenticated (error, _("The signature does not match: check the secret and sign the raw body"));

  prune_replays (self, g_get_monotonic_time (), window);
  key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%s", id, ts,
                         signature + strlen (SIGNATURE_PREFIX));
  if (g_hash_table_contains (self->replays, key))
    return unauthenticated (error, _("This signed request was received before (a replay)"));

  replay = g_malloc (sizeof (Replay) + strlen (key) + 1);
  replay->arrival_us = g_get_monotonic_time ();
  strcpy (replay->key, key);
  g_queue_push_tail (&self->replay_order, replay);
  g_hash_table_add (self->replays, replay->key);

  *timestamp_s = ts;
  return TRUE;
}

/* }}} */

/* The alert {{{ */

static gboolean
invalid (GError    **error,
         const char *field,
         const char *message)
{
  _bourse_desk_set_field_error (error, BOURSE_DESK_ERROR_INVALID, field, "%s", message);
  return FALSE;
}

/* An optional string member; FALSE with the error for anything else. */
static gboolean
string_member (JsonObject   *body,
               const char   *field,
               const char  **value,
               GError      **error)
{
  JsonNode *node = json_object_get_member (body, field);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
      && json_node_get_string (node)[0] != '\0')
    {
      *value = json_node_get_string (node);
      return TRUE;
    }
  return invalid (error, field, _("must be a non-empty string"));
}

/* An optional price: a decimal string above zero. */
static gboolean
price_member (JsonObject     *body,
              const char     *field,
              gboolean       *present,
              BourseDecimal  *value,
              GError        **error)
{
  JsonNode *node = json_object_get_member (body, field);
  const char *text = NULL;

  *present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    text = json_node_get_string (node);
  /* A JSON number may have lost digits in the sender's float already. */
  if (text == NULL || !bourse_decimal_parse (text, value, NULL) || value->units <= 0)
    return invalid (error, field, _("must be a price above zero as a decimal string, such as “65000.5” "
                                    "(quote it in the alert template)"));
  *present = TRUE;
  return TRUE;
}

static gboolean
decimal_from_double (double          value,
                     BourseRounding  rounding,
                     BourseDecimal  *out)
{
  double units = value * (double)BOURSE_DECIMAL_UNIT;

  units = rounding == BOURSE_ROUND_FLOOR ? floor (units) : rounding == BOURSE_ROUND_CEILING ? ceil (units)
                                                                                           : round (units);
  if (!isfinite (units) || fabs (units) >= 9.0e18)
    return FALSE;
  out->units = (gint64)units;
  return TRUE;
}

/* The last closed candles of (instrument, interval), for the entry and the ATR. */
static GArray *
recent_candles (BourseDesk              *self,
                const BourseInstrument  *instrument,
                BourseInterval           interval,
                GError                 **error)
{
  BourseTicker ticker;

  if (!bourse_ticker_compute (self->store, instrument, &ticker, error))
    return NULL;
  if (!ticker.has_data)
    return g_array_new (FALSE, TRUE, sizeof (BourseCandle));
  /* The ticker knows the market's time, which a faster simulation or an
   * import keeps apart from the clock's. */
  return _bourse_desk_read_candles (self->store, instrument->id, interval,
                                    bourse_interval_step_back (interval, ticker.time, ATR_CANDLES),
                                    ticker.time, ATR_CANDLES, error);
}

typedef struct
{
  BourseDecision  decision;
  BourseDecimal   entry;
  BourseDecimal   stop_loss;
  BourseDecimal   take_profit;
  double          risk_reward;
  double          atr;            /* 0: not used */
  gint64          window_start;
  gint64          window_end;
  gint64          n_candles;
} Levels;

/*
 * The body's levels, or: the entry at the last close, the stop-loss and
 * take-profit at 2 and 3 ATR(14) from it, as the strategies place them,
 * rounded on the safe side (a BUY's down, a SELL's up).
 */
static gboolean
place_levels (BourseDesk              *self,
              const BourseInstrument  *instrument,
              BourseInterval           interval,
              JsonObject              *body,
              Levels                  *levels,
              GError                 **error)
{
  g_autoptr(GArray) candles = NULL;
  gboolean has_price, has_stop, has_target;
  gboolean buy = levels->decision == BOURSE_DECISION_BUY;
  BourseRounding rounding = buy ? BOURSE_ROUND_FLOOR : BOURSE_ROUND_CEILING;
  BourseDecimal risk, reward;

  if (!price_member (body, "price", &has_price, &levels->entry, error)
      || !price_member (body, "stop_loss", &has_stop, &levels->stop_loss, error)
      || !price_member (body, "take_profit", &has_target, &levels->take_profit, error))
    return FALSE;

  if (!has_price || !has_stop || !has_target)
    {
      if ((candles = recent_candles (self, instrument, interval, error)) == NULL)
        return FALSE;
      if (candles->len > 0)
        {
          levels->window_start = g_array_index (candles, BourseCandle, 0).open_time;
          levels->window_end = g_array_index (candles, BourseCandle, candles->len - 1).open_time;
          levels->n_candles = candles->len;
        }
    }

  if (!has_price)
    {
      if (candles->len == 0)
        return invalid (error, "price", _("is required: there are no closed candles of this symbol and interval "
                                          "to take the last price from"));
      levels->entry = g_array_index (candles, BourseCandle, candles->len - 1).close;
    }
  if (!bourse_decimal_round_to_step (levels->entry, instrument->tick_size, BOURSE_ROUND_HALF_EVEN,
                                     &levels->entry, NULL)
      || levels->entry.units <= 0)
    return invalid (error, "price", _("does not fall on the instrument’s tick grid"));

  if (!has_stop || !has_target)
    {
      g_autoptr(BourseStrategyInput) input = NULL;
      g_autofree double *atr = NULL;
      double entry = bourse_decimal_to_double (levels->entry);

      if (candles->len <= ATR_PERIOD)
        return invalid (error, has_stop ? "take_profit" : "stop_loss",
                        _("is required: there are too few closed candles of this symbol and interval for an "
                          "ATR(14)"));
      input = bourse_strategy_input_new_from_candles ((const BourseCandle *)(gpointer)candles->data, candles->len,
                                                      interval, instrument->tick_size);
      atr = g_new0 (double, candles->len);
      bourse_indicator_atr (input->high, input->low, input->close, candles->len, ATR_PERIOD, atr);
      levels->atr = atr[candles->len - 1];
      if (!(levels->atr > 0))
        return invalid (error, has_stop ? "take_profit" : "stop_loss",
                        _("is required: the candles have no range to place it from"));
      if (!has_stop
          && !decimal_from_double (buy ? entry - STOP_ATR * levels->atr : entry + STOP_ATR * levels->atr,
                                   rounding, &levels->stop_loss))
        return invalid (error, "stop_loss", _("is out of the range of prices"));
      if (!has_target
          && !decimal_from_double (buy ? entry + TARGET_ATR * levels->atr : entry - TARGET_ATR * levels->atr,
                                   rounding, &levels->take_profit))
        return invalid (error, "take_profit", _("is out of the range of prices"));
    }

  if (!bourse_decimal_round_to_step (levels->stop_loss, instrument->tick_size, rounding, &levels->stop_loss, NULL))
    return invalid (error, "stop_loss", _("is out of the range of prices"));
  if (!bourse_decimal_round_to_step (levels->take_profit, instrument->tick_size, rounding, &levels->take_profit,
                                     NULL))
    return invalid (error, "take_profit", _("is out of the range of prices"));

  if (buy ? bourse_decimal_compare (levels->stop_loss, levels->entry) >= 0 || levels->stop_loss.units <= 0
          : bourse_decimal_compare (levels->stop_loss, levels->entry) <= 0)
    return invalid (error, "stop_loss", buy ? _("must be above zero and below the entry for a buy")
                                            : _("must be above the entry for a sell"));
  if (buy ? bourse_decimal_compare (levels->take_profit, levels->entry) <= 0
          : bourse_decimal_compare (levels->take_profit, levels->entry) >= 0 || levels->take_profit.units <= 0)
    return invalid (error, "take_profit", buy ? _("must be above the entry for a buy")
                                              : _("must be above zero and below the entry for a sell"));

  if (!bourse_decimal_sub (levels->entry, levels->stop_loss, &risk, NULL)
      || !bourse_decimal_sub (levels->take_profit, levels->entry, &reward, NULL))
    return invalid (error, "stop_loss", _("is out of the range of prices"));
  levels->risk_reward = fabs (bourse_decimal_to_double (reward)) / fabs (bourse_decimal_to_double (risk));
  return TRUE;
}

gboolean
bourse_desk_receive_webhook (BourseDesk               *self,
                             gint64                    id,
                             const char               *timestamp,
                             const char               *signature,
                             GBytes                   *body,
                             const BourseAuthContext  *context,
                             gint64                   *recommendation_id,
                             gint64                   *approval_id,
                             GError                  **error)
{
  g_autoptr(BourseWebhook) webhook = NULL;
  g_autoptr(BourseInstrument) instrument = NULL;
  g_autoptr(BourseRecommendation) recommendation = NULL;
  g_autoptr(BourseDeskEvents) events = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *actor = NULL;
  const char *symbol, *interval_text, *action, *comment;
  BourseDeskCaller caller;
  BourseInterval interval;
  Levels levels = { 0 };
  JsonObject *object;
  GBytes *secret;
  gint64 ts = 0;

  g_return_val_if_fail (BOURSE_IS_DESK (self), FALSE);
  g_return_val_if_fail (body != NULL, FALSE);

  if (self->stopped)
    {
      g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_STOPPED, _("The engine is stopping"));
      return FALSE;
    }

  /* Unknown, revoked or without a secret: nobody can sign for it. */
  webhook = webhooks_get (self->store, id, &local_error);
  if (webhook == NULL && !g_error_matches (local_error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (webhook == NULL || webhook->revoked_at != NULL
      || (secret = g_hash_table_lookup (self->secrets, &id)) == NULL)
    {
      g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_NOT_FOUND, _("There is no such webhook"));
      return FALSE;
    }

  if (g_bytes_get_size (body) > BOURSE_WEBHOOK_MAX_BODY)
    {
      g_set_error (error, BOURSE_DESK_ERROR, BOURSE_DESK_ERROR_TOO_LARGE,
                   _("A signal’s body may be at most %d bytes"), BOURSE_WEBHOOK_MAX_BODY);
      return FALSE;
    }
  if (!verify (self, id, secret, timestamp, signature, body, &ts, error))
    return FALSE;

  /* Signed: now the content. TradingView sends text/plain, so the body is
   * parsed whatever its type says. */
  root = bourse_json_parse (g_bytes_get_data (body, NULL), g_bytes_get_size (body), 0, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return invalid (error, "body", _("must be a JSON object"));
  object = json_node_get_object (root);

  if (!string_member (object, "symbol", &symbol, error)
      || !string_member (object, "interval", &interval_text, error)
      || !string_member (object, "action", &action, error)
      || !string_member (object, "comment", &comment, error))
    return FALSE;
  if (symbol == NULL)
    return invalid (error, "symbol", _("“symbol” is required"));
  instrument = bourse_instruments_find (self->store, symbol, &local_error);
  if (instrument == NULL)
    {
      if (g_error_matches (local_error, BOURSE_MARKET_ERROR, BOURSE_MARKET_ERROR_NOT_FOUND))
        return invalid (error, "symbol", _("names no instrument"));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!bourse_interval_parse (interval_text ? interval_text : DEFAULT_INTERVAL, &interval, NULL))
    return invalid (error, "interval", _("must be one of 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M"));
  if (action != NULL && g_ascii_strcasecmp (action, "buy") == 0)
    levels.decision = BOURSE_DECISION_BUY;
  else if (action != NULL && g_ascii_strcasecmp (action, "sell") == 0)
    levels.decision = BOURSE_DECISION_SELL;
  else
    return invalid (error, "action", _("must be “buy” or “sell”"));
  if (comment != NULL && g_utf8_strlen (comment, -1) > COMMENT_MAX_CHARS)
    return invalid (error, "comment", _("must be at most 500 characters"));

  levels.window_start = levels.window_end = ts * 1000;
  if (!place_levels (self, instrument, interval, object, &levels, error))
    return FALSE;

  recommendation = bourse_recommendation_new ();
  recommendation->symbol = g_strdup (instrument->symbol);
  recommendation->interval = interval;
  recommendation->strategy = g_strdup ("webhook");
  recommendation->strategy_version = g_strdup ("1");
  recommendation->webhook_id = id;
  recommendation->decision = levels.decision;
  recommendation->entry = levels.entry;
  recommendation->stop_loss = levels.stop_loss;
  recommendation->take_profit = levels.take_profit;
  recommendation->risk_reward = levels.risk_reward;
  /* An alert carries no model's confidence. */
  recommendation->confidence = 0;
  recommendation->reason = comment != NULL ? g_strdup (comment)
                                           : g_strdup_printf (_("Signal from webhook “%s”"), webhook->name);
  json_object_set_string_member (recommendation->metrics, "webhook", webhook->name);
  json_object_set_int_member (recommendation->metrics, "timestamp", ts);
  if (levels.atr > 0)
    json_object_set_double_member (recommendation->metrics, "atr", levels.atr);
  recommendation->window_start = levels.window_start;
  recommendation->window_end = levels.window_end;
  recommendation->window_candles = levels.n_candles;
  recommendation->origin = BOURSE_ORIGIN_WEBHOOK;
  recommendation->simulated = g_strcmp0 (instrument->source, "simulated") == 0;
  actor = g_strdup_printf ("webhook:%" G_GINT64_FORMAT, id);
  recommendation->requester = g_strdup (actor);

  caller = (BourseDeskCaller) { actor, 0, context };
  events = _bourse_desk_events_new ();
  if (!bourse_store_begin (self->store, error))
    return FALSE;
  if (!_bourse_desk_open_recommendation (self, recommendation, BOURSE_POLICY_MANUAL, &caller, events, error)
      || !bourse_store_commit (self->store, error))
    {
      bourse_store_rollback (self->store);
      return FALSE;
    }
  _bourse_desk_publish (self, events);

  *recommendation_id = recommendation->id;
  *approval_id = recommendation->approval_id;
  return TRUE;
}

/* }}} */
