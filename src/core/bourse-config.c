/* bourse-config.c
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "bourse-config"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "bourse-config.h"

/* Every key Bourse understands; docs/CONFIGURATION.md mirrors this table. */
static const BourseConfigKey schema[] = {
  { "server", "bind", BOURSE_CONFIG_TYPE_ADDRESS, "127.0.0.1", 0, 0, NULL, "--bind", FALSE,
    N_("Address the HTTP/WebSocket server listens on") },
  { "server", "port", BOURSE_CONFIG_TYPE_INT, "8470", 0, 65535, NULL, "--port", FALSE,
    N_("TCP port; 0 picks a free one") },
  { "server", "tls_cert", BOURSE_CONFIG_TYPE_PATH, "", 0, 0, NULL, "--tls-cert", FALSE,
    N_("PEM certificate chain; enables HTTPS together with tls_key") },
  { "server", "tls_key", BOURSE_CONFIG_TYPE_PATH, "", 0, 0, NULL, "--tls-key", FALSE,
    N_("PEM private key for tls_cert") },
  { "server", "insecure_bind", BOURSE_CONFIG_TYPE_BOOLEAN, "false", 0, 0, NULL, "--insecure-bind", FALSE,
    N_("Allow a non-loopback address without TLS") },
  { "server", "cors_origins", BOURSE_CONFIG_TYPE_LIST, "", 0, 0, NULL, NULL, FALSE,
    N_("Origins allowed to call the API from a browser, comma separated") },
  { "server", "max_body_bytes", BOURSE_CONFIG_TYPE_INT, "1048576", 1024, 268435456, NULL, NULL, FALSE,
    N_("Largest request body accepted (413 above)") },
  { "server", "ws_queue_limit", BOURSE_CONFIG_TYPE_INT, "256", 4, 65536, NULL, NULL, FALSE,
    N_("Messages queued per WebSocket client before a slow client is closed") },
  { "server", "ws_max_frame_bytes", BOURSE_CONFIG_TYPE_INT, "65536", 1024, 16777216, NULL, NULL, FALSE,
    N_("Largest WebSocket message accepted from a client") },
  { "server", "ws_max_topics", BOURSE_CONFIG_TYPE_INT, "256", 1, 65536, NULL, NULL, FALSE,
    N_("Topics one WebSocket may follow; every instrument's ticker and some candles fit") },
  { "server", "header_timeout", BOURSE_CONFIG_TYPE_INT, "15", 1, 3600, NULL, NULL, FALSE,
    N_("Seconds a connection may take to send a request's headers before it is closed") },
  { "server", "idle_timeout", BOURSE_CONFIG_TYPE_INT, "60", 1, 86400, NULL, NULL, FALSE,
    N_("Seconds an idle keep-alive connection is kept open") },
  { "server", "system_interval", BOURSE_CONFIG_TYPE_INT, "5", 1, 3600, NULL, NULL, FALSE,
    N_("Seconds between periodic system status events") },
  { "server", "shutdown_timeout", BOURSE_CONFIG_TYPE_INT, "10", 0, 600, NULL, NULL, FALSE,
    N_("Seconds to let in-flight requests finish on shutdown") },
  { "store", "data_dir", BOURSE_CONFIG_TYPE_PATH, "", 0, 0, NULL, "--data-dir", FALSE,
    N_("Directory of the database; empty means $XDG_DATA_HOME/bourse") },
  { "auth", "access_token_ttl", BOURSE_CONFIG_TYPE_INT, "900", 60, 86400, NULL, NULL, FALSE,
    N_("Seconds an access token (JWT) stays valid") },
  { "auth", "refresh_token_days", BOURSE_CONFIG_TYPE_INT, "30", 1, 365, NULL, NULL, FALSE,
    N_("Days a session's refresh token stays valid") },
  { "auth", "password_opslimit", BOURSE_CONFIG_TYPE_INT, "0", 0, 64, NULL, NULL, FALSE,
    N_("argon2id passes; 0 is libsodium's interactive setting") },
  { "auth", "password_memlimit_kib", BOURSE_CONFIG_TYPE_INT, "0", 0, 4194304, NULL, NULL, FALSE,
    N_("argon2id memory in KiB; 0 is libsodium's interactive setting") },
  { "auth", "login_free_failures", BOURSE_CONFIG_TYPE_INT, "5", 1, 100, NULL, NULL, FALSE,
    N_("Failed logins in a row before an account must wait between attempts") },
  { "auth", "login_max_delay", BOURSE_CONFIG_TYPE_INT, "300", 1, 86400, NULL, NULL, FALSE,
    N_("Longest wait, in seconds, between attempts after failed logins") },
  { "auth", "secrets_backend", BOURSE_CONFIG_TYPE_ENUM, "auto", 0, 0, "auto|keyring|file", NULL, FALSE,
    N_("Where secrets live: the keyring, a 0600 file in the data directory, or auto") },
  { "rate_limit", "enabled", BOURSE_CONFIG_TYPE_BOOLEAN, "true", 0, 0, NULL, NULL, FALSE,
    N_("Limit API requests per client address and route group (429 with Retry-After)") },
  { "rate_limit", "auth_per_minute", BOURSE_CONFIG_TYPE_INT, "10", 1, 1000000, NULL, NULL, FALSE,
    N_("Requests a minute to sign in, sign up and reset a password (/api/v1/auth/…)") },
  { "rate_limit", "session_per_minute", BOURSE_CONFIG_TYPE_INT, "60", 1, 1000000, NULL, NULL, FALSE,
    N_("Requests a minute to refresh a token or sign out (/api/v1/auth/refresh, …/logout)") },
  { "rate_limit", "orders_per_minute", BOURSE_CONFIG_TYPE_INT, "50", 1, 1000000, NULL, NULL, FALSE,
    N_("Requests a minute to /api/v1/orders… and /api/v1/trades…") },
  { "rate_limit", "market_per_minute", BOURSE_CONFIG_TYPE_INT, "200", 1, 1000000, NULL, NULL, FALSE,
    N_("Requests a minute to /api/v1/market/…") },
  { "rate_limit", "default_per_minute", BOURSE_CONFIG_TYPE_INT, "1000", 1, 1000000, NULL, NULL, FALSE,
    N_("Requests a minute to every other API route") },
  { "rate_limit", "pro_multiplier", BOURSE_CONFIG_TYPE_INT, "5", 1, 1000, NULL, NULL, FALSE,
    N_("How many times the limits a pro-tier account gets") },
  { "rate_limit", "desk_multiplier", BOURSE_CONFIG_TYPE_INT, "20", 1, 1000, NULL, NULL, FALSE,
    N_("How many times the limits a desk-tier account gets") },
  { "log", "level", BOURSE_CONFIG_TYPE_ENUM, "info", 0, 0, "debug|info|message|warning", "--log-level", FALSE,
    N_("Lowest level of messages logged") },
  { "log", "format", BOURSE_CONFIG_TYPE_ENUM, "auto", 0, 0, "auto|text|json|journal", NULL, FALSE,
    N_("auto: journald under systemd, JSON lines when not on a terminal, text otherwise") },
  { "log", "ring_size", BOURSE_CONFIG_TYPE_INT, "5000", 100, 1000000, NULL, NULL, FALSE,
    N_("How many of the newest log messages are kept in memory for the logs page and API") },
  { "health", "check_interval", BOURSE_CONFIG_TYPE_INT, "30", 1, 3600, NULL, NULL, FALSE,
    N_("Seconds between two checks of the components' health") },
  { "health", "disk_warn_mb", BOURSE_CONFIG_TYPE_INT, "1024", 0, 1073741824, NULL, NULL, FALSE,
    N_("Free space of the data directory, in MiB, under which the disk is degraded") },
  { "health", "disk_min_mb", BOURSE_CONFIG_TYPE_INT, "100", 0, 1073741824, NULL, NULL, FALSE,
    N_("Free space of the data directory, in MiB, under which the disk is down") },
  { "simulated", "enabled", BOURSE_CONFIG_TYPE_BOOLEAN, "true", 0, 0, NULL, NULL, FALSE,
    N_("Run the simulated market for the instruments whose source is simulated") },
  { "simulated", "seed", BOURSE_CONFIG_TYPE_INT, "1", 0, 2147483647, NULL, NULL, FALSE,
    N_("Seed of the simulated market: the same seed and start give the same candles") },
  { "simulated", "start", BOURSE_CONFIG_TYPE_STRING, "", 0, 0, NULL, NULL, FALSE,
    N_("RFC 3339 time of the first simulated candle; empty: the backfill days before the first start") },
  { "simulated", "backfill_days", BOURSE_CONFIG_TYPE_INT, "90", 0, 3650, NULL, NULL, FALSE,
    N_("Days of one-minute history the simulated market makes at its first start") },
  { "simulated", "speed", BOURSE_CONFIG_TYPE_INT, "1", 1, 3600, NULL, NULL, FALSE,
    N_("Simulated minutes per minute once live; above 1 the simulated clock runs ahead") },
  { "binance", "base_url", BOURSE_CONFIG_TYPE_URL, "https://api.binance.com", 0, 0, NULL, NULL, FALSE,
    N_("Binance Spot REST base URL") },
  { "binance", "stream_url", BOURSE_CONFIG_TYPE_URL, "wss://stream.binance.com:9443", 0, 0, NULL, NULL, FALSE,
    N_("Binance WebSocket stream base URL") },
  { "binance", "ws_api_url", BOURSE_CONFIG_TYPE_URL, "wss://ws-api.binance.com:443/ws-api/v3", 0, 0, NULL, NULL,
    FALSE, N_("Binance WebSocket API URL; the account's user data stream comes from there") },
  { "binance", "weight_limit", BOURSE_CONFIG_TYPE_INT, "5000", 10, 1000000, NULL, NULL, FALSE,
    N_("Request weight a minute Bourse uses at most on Binance (which allows 6000)") },
  { "binance", "weight_window", BOURSE_CONFIG_TYPE_INT, "60", 1, 3600, NULL, NULL, FALSE,
    N_("Seconds of Binance's request-weight window; change only for a test exchange") },
  { "binance", "request_timeout", BOURSE_CONFIG_TYPE_INT, "30", 1, 600, NULL, NULL, FALSE,
    N_("Seconds a Binance request may take before it is retried") },
  { "binance", "max_retries", BOURSE_CONFIG_TYPE_INT, "5", 0, 100, NULL, NULL, FALSE,
    N_("Retries of a failed Binance request before giving up") },
  { "binance", "retry_base_ms", BOURSE_CONFIG_TYPE_INT, "500", 1, 600000, NULL, NULL, FALSE,
    N_("First back-off in milliseconds; it doubles with each retry, plus jitter") },
  { "binance", "retry_max_ms", BOURSE_CONFIG_TYPE_INT, "30000", 1, 3600000, NULL, NULL, FALSE,
    N_("Longest back-off in milliseconds") },
  { "binance", "retry_after_max", BOURSE_CONFIG_TYPE_INT, "300", 0, 86400, NULL, NULL, FALSE,
    N_("Longest Retry-After (seconds) of a 429 or 418 that is waited out; longer ones fail") },
  { "binance", "recv_window", BOURSE_CONFIG_TYPE_INT, "5000", 1, 60000, NULL, NULL, FALSE,
    N_("Milliseconds after its timestamp that Binance may still accept a signed request") },
  { "binance", "order_limit_10s", BOURSE_CONFIG_TYPE_INT, "80", 1, 100000, NULL, NULL, FALSE,
    N_("Orders sent to Binance in 10 seconds at most; more are refused before sending") },
  { "binance", "order_limit_1d", BOURSE_CONFIG_TYPE_INT, "180000", 1, 100000000, NULL, NULL, FALSE,
    N_("Orders sent to Binance in a day at most; more are refused before sending") },
  { "binance", "stream_lifetime", BOURSE_CONFIG_TYPE_INT, "82800", 1, 86400, NULL, NULL, FALSE,
    N_("Seconds after which a stream connection is renewed (Binance cuts them at 24 hours)") },
  { "binance", "stream_idle_timeout", BOURSE_CONFIG_TYPE_INT, "120", 0, 3600, NULL, NULL, FALSE,
    N_("Seconds without a stream message before reconnecting; 0 never") },
  { "binance", "api_key", BOURSE_CONFIG_TYPE_STRING, "", 0, 0, NULL, NULL, TRUE,
    N_("Binance API key for headless use; the keyring is preferred") },
  { "binance", "api_secret", BOURSE_CONFIG_TYPE_STRING, "", 0, 0, NULL, NULL, TRUE,
    N_("Binance API secret for headless use; the keyring is preferred") },
  { "market", "import_max_bytes", BOURSE_CONFIG_TYPE_INT, "67108864", 1024, 1073741824, NULL, NULL, FALSE,
    N_("Largest CSV file POST /api/v1/market/import accepts (413 above)") },
  { "approvals", "ttl", BOURSE_CONFIG_TYPE_INT, "3600", 60, 604800, NULL, NULL, FALSE,
    N_("Seconds a pending approval waits for a decision before it expires") },
  { "approvals", "four_eyes", BOURSE_CONFIG_TYPE_BOOLEAN, "false", 0, 0, NULL, NULL, FALSE,
    N_("Whoever asked for a recommendation may not approve or reject it themselves") },
  { "approvals", "expiry_check", BOURSE_CONFIG_TYPE_INT, "30", 1, 3600, NULL, NULL, FALSE,
    N_("Seconds between checks for overdue approvals") },
  { "approvals", "execute_on_approve", BOURSE_CONFIG_TYPE_ENUM, "auto", 0, 0, "auto|on|off", NULL, FALSE,
    N_("Whether an approved recommendation becomes an order at once: auto does it for auto-paper approvals on paper") },
  { "paper", "starting_balance", BOURSE_CONFIG_TYPE_DECIMAL, "10000", 0, 10000000000, NULL, NULL, FALSE,
    N_("Cash the paper account starts with, in paper.currency, when it is first created") },
  { "paper", "currency", BOURSE_CONFIG_TYPE_STRING, "USDT", 0, 0, NULL, NULL, FALSE,
    N_("The paper account's currency: the quote asset of the instruments it trades") },
  { "paper", "slippage_bps", BOURSE_CONFIG_TYPE_INT, "2", 0, 10000, NULL, NULL, FALSE,
    N_("Basis points a market order's price moves against it on paper") },
  { "paper", "taker_fee", BOURSE_CONFIG_TYPE_DECIMAL, "0.001", 0, 1, NULL, NULL, FALSE,
    N_("Fee rate of paper fills that take liquidity (market orders, marketable limits)") },
  { "paper", "maker_fee", BOURSE_CONFIG_TYPE_DECIMAL, "0.001", 0, 1, NULL, NULL, FALSE,
    N_("Fee rate of paper fills that rested on the book (limit orders)") },
  { "paper", "allow_short", BOURSE_CONFIG_TYPE_BOOLEAN, "false", 0, 0, NULL, NULL, FALSE,
    N_("Let paper sells go below zero base asset (short positions)") },
  { "paper", "equity_snapshot_s", BOURSE_CONFIG_TYPE_INT, "60", 5, 86400, NULL, NULL, FALSE,
    N_("Seconds between equity snapshots (one is also taken at every fill)") },
  { "trading", "live_max_order_notional", BOURSE_CONFIG_TYPE_DECIMAL, "1000", 0, 1000000000, NULL, NULL, FALSE,
    N_("Largest value of one live order, in the live account's currency, whatever the risk profiles allow") },
  { "risk", "live_confirm_notional", BOURSE_CONFIG_TYPE_DECIMAL, "100", 0, 1000000000, NULL, NULL, FALSE,
    N_("A live manual order worth more than this must be confirmed in a second step") },
  { "webhooks", "replay_window", BOURSE_CONFIG_TYPE_INT, "300", 5, 3600, NULL, NULL, FALSE,
    N_("Seconds a signed webhook's timestamp may be off the clock, either way") },
  { "scheduler", "enabled", BOURSE_CONFIG_TYPE_BOOLEAN, "true", 0, 0, NULL, NULL, FALSE,
    N_("Whether the scheduler runs the heartbeat; housekeeping runs either way") },
  { "scheduler", "heartbeat", BOURSE_CONFIG_TYPE_STRING, "0 2,8,14,20 * * *", 0, 0, NULL, NULL, FALSE,
    N_("When the heartbeat is sent: minute hour day-of-month month day-of-week, in scheduler.time_zone") },
  { "scheduler", "time_zone", BOURSE_CONFIG_TYPE_STRING, "America/Chicago", 0, 0, NULL, NULL, FALSE,
    N_("The IANA time zone the scheduler's times are in, such as Europe/Berlin") },
};

typedef struct
{
  char               *value;
  BourseConfigSource  source;
  char               *origin;  /* file path, variable name or flag */
} ConfigValue;

struct _BourseConfig
{
  GObject      parent_instance;
  ConfigValue  values[G_N_ELEMENTS (schema)];
};

G_DEFINE_FINAL_TYPE (BourseConfig, bourse_config, G_TYPE_OBJECT)
G_DEFINE_QUARK (bourse-config-error-quark, bourse_config_error)

const BourseConfigKey *
bourse_config_get_schema (guint *n_keys)
{
  if (n_keys != NULL)
    *n_keys = G_N_ELEMENTS (schema);
  return schema;
}

static int
lookup_index (const char *section,
              const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    if (g_str_equal (schema[i].section, section) && g_str_equal (schema[i].key, key))
      return i;
  return -1;
}

const BourseConfigKey *
bourse_config_lookup_key (const char *section,
                          const char *key)
{
  int i;

  g_return_val_if_fail (section != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  i = lookup_index (section, key);
  return i < 0 ? NULL : &schema[i];
}

const char *
bourse_config_source_to_string (BourseConfigSource source)
{
  switch (source)
    {
    case BOURSE_CONFIG_SOURCE_DEFAULT:      return "default";
    case BOURSE_CONFIG_SOURCE_FILE:         return "file";
    case BOURSE_CONFIG_SOURCE_ENVIRONMENT:  return "environment";
    case BOURSE_CONFIG_SOURCE_COMMAND_LINE: return "command-line";
    default:                                g_return_val_if_reached ("unknown");
    }
}

static void
bourse_config_finalize (GObject *object)
{
  BourseConfig *self = (BourseConfig *)object;

  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      g_clear_pointer (&self->values[i].value, g_free);
      g_clear_pointer (&self->values[i].origin, g_free);
    }

  G_OBJECT_CLASS (bourse_config_parent_class)->finalize (object);
}

static void
bourse_config_class_init (BourseConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bourse_config_finalize;
}

static void
bourse_config_init (BourseConfig *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      self->values[i].value = g_strdup (schema[i].default_value);
      self->values[i].source = BOURSE_CONFIG_SOURCE_DEFAULT;
      self->values[i].origin = g_strdup ("built-in");
    }
}

BourseConfig *
bourse_config_new (void)
{
  return g_object_new (BOURSE_TYPE_CONFIG, NULL);
}

BourseConfig *
bourse_config_copy (BourseConfig *self)
{
  BourseConfig *copy;

  g_return_val_if_fail (BOURSE_IS_CONFIG (self), NULL);

  copy = bourse_config_new ();
  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      g_free (copy->values[i].value);
      g_free (copy->values[i].origin);
      copy->values[i].value = g_strdup (self->values[i].value);
      copy->values[i].origin = g_strdup (self->values[i].origin);
      copy->values[i].source = self->values[i].source;
    }
  return copy;
}

char *
bourse_config_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "bourse", "bourse.conf", NULL);
}

static char *
describe_origin (BourseConfigSource  source,
                 const char         *origin)
{
  return g_strdup_printf ("%s %s", bourse_config_source_to_string (source), origin);
}

/* Checks a value against its key's type and range; the message names the
 * key, where the value came from and what is allowed. */
static gboolean
validate_value (const BourseConfigKey  *spec,
                const char             *value,
                BourseConfigSource      source,
                const char             *origin,
                GError                **error)
{
  g_autofree char *where = describe_origin (source, origin);
  /* A value may be any bytes (a file, the environment); messages stay UTF-8. */
  g_autofree char *shown = g_utf8_make_valid (value, -1);

  switch (spec->type)
    {
    case BOURSE_CONFIG_TYPE_INT:
      {
        char *end = NULL;
        gint64 number;

        errno = 0;
        number = g_ascii_strtoll (value, &end, 10);
        if (*value == '\0' || end == NULL || *end != '\0' || errno != 0
            || number < spec->min || number > spec->max)
          {
            /* Numbers formatted first: xgettext cannot see through G_GINT64_FORMAT. */
            g_autofree char *min = g_strdup_printf ("%" G_GINT64_FORMAT, spec->min);
            g_autofree char *max = g_strdup_printf ("%" G_GINT64_FORMAT, spec->max);

            g_set_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_INVALID_VALUE,
                         _("Invalid value “%s” for %s.%s (from %s): expected an integer from %s to %s"),
                         shown, spec->section, spec->key, where, min, max);
            return FALSE;
          }
        return TRUE;
      }

    case BOURSE_CONFIG_TYPE_BOOLEAN:
      {
        static const char * const accepted[] = { "true", "false", "yes", "no", "1", "0", "on", "off", NULL };

        if (!g_strv_contains (accepted, value))
          {
            g_set_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_INVALID_VALUE,
                         _("Invalid value “%s” for %s.%s (from %s): expected true or false"),
                         shown, spec->section, spec->key, where);
            return FALSE;
          }
        return TRUE;
      }

    case BOURSE_CONFIG_TYPE_ENUM:
      {
        g_auto(GStrv) allowed = g_strsplit (spec->allowed, "|", -1);

        if (!g_strv_contains ((const char * const *)allowed, value))
          {
            g_autofree char *list = g_strjoinv (", ", allowed);
            g_set_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_INVALID_VALUE,
                         _("Invalid value “%s” for %s.%s (from %s): expected one of %s"),
                         shown, spec->section, spec->key, where, list);
            return FALSE;
          }
        return TRUE;
      }

    case BOURSE_CONFIG_TYPE_URL:
      {
        g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
        const char *scheme = uri ? g_uri_get_scheme (uri) : NULL;

        if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
            || !(g_str_equal (scheme, "http") || g_str_equal (scheme, "https")
                 || g_str_equal (scheme, "ws") || g_str_equal (scheme, "wss")))
          {
            g_set_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_INVALID_VALUE,
                         _("Invalid value “%s” for %s.%s (from %s): expected an http(s) or ws(s) URL"),
                         shown, spec->section, spec->key, where);
            return FALSE;
          }
        return TRUE;
      }

    case BOURSE_CONFIG_TYPE_ADDRESS:
      {
        g_autoptr(GInetAddress) address = g_inet_address_new_from_string (value);

        if (address == NULL && !g_str_equal (value, "localhost"))
          {
            g_set_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_INVALID_VALUE,
                         _("Invalid value “%s” for %s.%s (from %s): expected an IPv4 or IPv6 address"),
                         shown, spec->section, spec->key, where);
            return FALSE;
          }
        return TRUE;
      }

    case BOURSE_CONFIG_TYPE_DECIMAL:
      {
        BourseDecimal number, min, max;

        if (!bourse_decimal_parse (value, &number, NULL)
            || !bourse_decimal_from_int (spec->min, &min, NULL)
            || !bourse_decimal_from_int (spec->max, &max, NULL)
            || bourse_decimal_compare (number, min) < 0
            || bourse_decimal_compare (number, max) > 0)
          {
            g_autofree char *low = g_strdup_printf ("%" G_GINT64_FORMAT, spec->min);
            g_autofree char *high = g_strdup_printf ("%" G_GINT64_FORMAT, spec->max);

            g_set_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_INVALID_VALUE,
                         _("Invalid value “%s” for %s.%s (from %s): expected a decimal number from %s to %s with at most 8 decimals"),
                         shown, spec->section, spec->key, where, low, high);
            return FALSE;
          }
        return TRUE;
      }

    case BOURSE_CONFIG_TYPE_STRING:
    case BOURSE_CONFIG_TYPE_PATH:
    case BOURSE_CONFIG_TYPE_LIST:
      if (!g_utf8_validate (value, -1, NULL) || strchr (value, '\n') != NULL)
        {
          g_set_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_INVALID_VALUE,
                       _("Invalid value for %s.%s (from %s): expected a single line of UTF-8 text"),
                       spec->section, spec->key, where);
          return FALSE;
        }
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

static gboolean
set_value (BourseConfig        *self,
           int                  i,
           const char          *value,
           BourseConfigSource   source,
           const char          *origin,
           GError             **error)
{
  g_autofree char *normalized = NULL;

  if (!validate_value (&schema[i], value, source, origin, error))
    return FALSE;

  /* Booleans are stored in one spelling so getters stay trivial. */
  if (schema[i].type == BOURSE_CONFIG_TYPE_BOOLEAN)
    {
      static const char * const truthy[] = { "true", "yes", "1", "on", NULL };
      normalized = g_strdup (g_strv_contains (truthy, value) ? "true" : "false");
    }
  else
    normalized = g_strdup (value);

  g_free (self->values[i].value);
  g_free (self->values[i].origin);
  self->values[i].value = g_steal_pointer (&normalized);
  self->values[i].source = source;
  self->values[i].origin = g_strdup (origin);

  return TRUE;
}

static char *
environment_name (const BourseConfigKey *spec)
{
  g_autofree char *name = g_strdup_printf ("BOURSE_%s_%s", spec->section, spec->key);
  return g_ascii_strup (name, -1);
}

gboolean
bourse_config_set (BourseConfig        *self,
                   const char          *section,
                   const char          *key,
                   const char          *value,
                   BourseConfigSource   source,
                   GError             **error)
{
  g_autofree char *origin = NULL;
  const BourseConfigKey *spec;
  int i;

  g_return_val_if_fail (BOURSE_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (section != NULL && key != NULL && value != NULL, FALSE);

  if ((i = lookup_index (section, key)) < 0)
    {
      g_set_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_UNKNOWN_KEY,
                   _("Unknown configuration key %s.%s"), section, key);
      return FALSE;
    }

  spec = &schema[i];
  if (source == BOURSE_CONFIG_SOURCE_COMMAND_LINE && spec->flag != NULL)
    origin = g_strdup (spec->flag);
  else if (source == BOURSE_CONFIG_SOURCE_ENVIRONMENT)
    origin = environment_name (spec);
  else
    origin = g_strdup_printf ("%s.%s", section, key);

  return set_value (self, i, value, source, origin, error);
}

gboolean
bourse_config_load_file (BourseConfig  *self,
                         const char    *path,
                         GError       **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (BOURSE_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &local_error))
    {
      g_autofree char *reason = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_FILE,
                   _("Cannot read configuration file %s: %s"), path, reason);
      return FALSE;
    }

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (keyfile, groups[g], NULL, NULL);

      for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
        {
          g_autofree char *value = NULL;
          g_autofree char *origin = NULL;
          int i = lookup_index (groups[g], keys[k]);

          /* A typo in a configuration file must not be silently ignored. */
          if (i < 0)
            {
              /* A file may hold any bytes; messages stay UTF-8. */
              g_autofree char *group_shown = g_utf8_make_valid (groups[g], -1);
              g_autofree char *key_shown = g_utf8_make_valid (keys[k], -1);

              g_set_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_UNKNOWN_KEY,
                           _("Unknown configuration key %s.%s in %s"),
                           group_shown, key_shown, path);
              return FALSE;
            }

          value = g_key_file_get_string (keyfile, groups[g], keys[k], &local_error);
          if (value == NULL)
            {
              /* GKeyFile quotes a value that is not UTF-8 as it is. */
              g_autofree char *reason = g_utf8_make_valid (local_error->message, -1);

              g_set_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_INVALID_VALUE,
                           _("Invalid value for %s.%s in %s: %s"),
                           groups[g], keys[k], path, reason);
              return FALSE;
            }

          g_strstrip (value);
          origin = g_strdup (path);
          if (!set_value (self, i, value, BOURSE_CONFIG_SOURCE_FILE, origin, error))
            return FALSE;
        }
    }

  return TRUE;
}

gboolean
bourse_config_load_environment (BourseConfig        *self,
                                const char * const  *envp,
                                GError             **error)
{
  g_return_val_if_fail (BOURSE_IS_CONFIG (self), FALSE);

  if (envp == NULL)
    return TRUE;

  /* Only variables naming a known key are read: BOURSE_* is a namespace
   * other tools (and our test suites) may share. */
  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      g_autofree char *name = environment_name (&schema[i]);
      const char *value = g_environ_getenv ((char **)envp, name);

      if (value != NULL && !set_value (self, i, value, BOURSE_CONFIG_SOURCE_ENVIRONMENT, name, error))
        return FALSE;
    }

  return TRUE;
}

static const ConfigValue *
get_value (BourseConfig *self,
           const char   *section,
           const char   *key)
{
  int i = lookup_index (section, key);

  /* Asking for a key that is not in the schema is a programming error. */
  if (i < 0)
    g_error ("Configuration key %s.%s is not in the schema", section, key);

  return &self->values[i];
}

const char *
bourse_config_get_string (BourseConfig *self,
                          const char   *section,
                          const char   *key)
{
  g_return_val_if_fail (BOURSE_IS_CONFIG (self), NULL);

  return get_value (self, section, key)->value;
}

gint64
bourse_config_get_int (BourseConfig *self,
                       const char   *section,
                       const char   *key)
{
  g_return_val_if_fail (BOURSE_IS_CONFIG (self), 0);

  return g_ascii_strtoll (get_value (self, section, key)->value, NULL, 10);
}

BourseDecimal
bourse_config_get_decimal (BourseConfig *self,
                           const char   *section,
                           const char   *key)
{
  BourseDecimal value = BOURSE_DECIMAL_ZERO;

  /* Validated when set: it parses. */
  bourse_decimal_parse (bourse_config_get_string (self, section, key), &value, NULL);
  return value;
}

gboolean
bourse_config_get_boolean (BourseConfig *self,
                           const char   *section,
                           const char   *key)
{
  g_return_val_if_fail (BOURSE_IS_CONFIG (self), FALSE);

  return g_str_equal (get_value (self, section, key)->value, "true");
}

char **
bourse_config_dup_list (BourseConfig *self,
                        const char   *section,
                        const char   *key)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (BOURSE_IS_CONFIG (self), NULL);

  parts = g_strsplit (get_value (self, section, key)->value, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        g_strv_builder_add (builder, parts[i]);
    }

  return g_strv_builder_end (builder);
}

BourseConfigSource
bourse_config_get_source (BourseConfig *self,
                          const char   *section,
                          const char   *key)
{
  g_return_val_if_fail (BOURSE_IS_CONFIG (self), BOURSE_CONFIG_SOURCE_DEFAULT);

  return get_value (self, section, key)->source;
}

const char *
bourse_config_get_origin (BourseConfig *self,
                          const char   *section,
                          const char   *key)
{
  g_return_val_if_fail (BOURSE_IS_CONFIG (self), NULL);

  return get_value (self, section, key)->origin;
}

char *
bourse_config_dup_data_dir (BourseConfig *self)
{
  const char *dir;

  g_return_val_if_fail (BOURSE_IS_CONFIG (self), NULL);

  dir = bourse_config_get_string (self, "store", "data_dir");
  if (dir[0] != '\0')
    return g_strdup (dir);

  return g_build_filename (g_get_user_data_dir (), "bourse", NULL);
}

/* What `boursed config show` prints: a key file, each value annotated with
 * its source, secrets masked so the output is safe to paste in a bug report. */
char *
bourse_config_to_display_string (BourseConfig *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *section = NULL;

  g_return_val_if_fail (BOURSE_IS_CONFIG (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      const ConfigValue *v = &self->values[i];
      const char *shown = v->value;

      if (section == NULL || !g_str_equal (section, schema[i].section))
        {
          section = schema[i].section;
          g_string_append_printf (out, "%s[%s]\n", out->len ? "\n" : "", section);
        }

      if (schema[i].secret && v->value[0] != '\0')
        shown = "********";

      g_string_append_printf (out, "%s=%s\t# %s: %s\n",
                              schema[i].key, shown,
                              bourse_config_source_to_string (v->source), v->origin);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
