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
#include <glib/gstdio.h>

#include "bourse-config.h"
#include "bourse-cron.h"

/* Every key Bourse understands; docs/CONFIGURATION.md mirrors this table. */
static const BourseConfigKey schema[] = {
  { "server", "bind", BOURSE_CONFIG_TYPE_ADDRESS, "127.0.0.1", 0, 0, NULL, "--bind", FALSE,
    N_("Address the HTTP/WebSocket server listens on"), TRUE },
  { "server", "port", BOURSE_CONFIG_TYPE_INT, "8470", 0, 65535, NULL, "--port", FALSE,
    N_("TCP port; 0 picks a free one"), TRUE },
  { "server", "tls_cert", BOURSE_CONFIG_TYPE_PATH, "", 0, 0, NULL, "--tls-cert", FALSE,
    N_("PEM certificate chain; enables HTTPS together with tls_key"), TRUE },
  { "server", "tls_key", BOURSE_CONFIG_TYPE_PATH, "", 0, 0, NULL, "--tls-key", FALSE,
    N_("PEM private key for tls_cert"), TRUE },
  { "server", "insecure_bind", BOURSE_CONFIG_TYPE_BOOLEAN, "false", 0, 0, NULL, "--insecure-bind", FALSE,
    N_("Allow a non-loopback address without TLS"), TRUE },
  { "server", "cors_origins", BOURSE_CONFIG_TYPE_LIST, "", 0, 0, NULL, NULL, FALSE,
    N_("Origins allowed to call the API from a browser, comma separated"), TRUE },
  { "server", "max_body_bytes", BOURSE_CONFIG_TYPE_INT, "1048576", 1024, 268435456, NULL, NULL, FALSE,
    N_("Largest request body accepted (413 above)"), TRUE },
  { "server", "ws_queue_limit", BOURSE_CONFIG_TYPE_INT, "256", 4, 65536, NULL, NULL, FALSE,
    N_("Messages queued per WebSocket client before a slow client is closed"), TRUE },
  { "server", "ws_max_frame_bytes", BOURSE_CONFIG_TYPE_INT, "65536", 1024, 16777216, NULL, NULL, FALSE,
    N_("Largest WebSocket message accepted from a client") },
  { "server", "ws_max_topics", BOURSE_CONFIG_TYPE_INT, "256", 1, 65536, NULL, NULL, FALSE,
    N_("Topics one WebSocket may follow; every instrument's ticker and some candles fit"), TRUE },
  { "server", "header_timeout", BOURSE_CONFIG_TYPE_INT, "15", 1, 3600, NULL, NULL, FALSE,
    N_("Seconds a connection may take to send a request's headers before it is closed"), TRUE },
  { "server", "idle_timeout", BOURSE_CONFIG_TYPE_INT, "60", 1, 86400, NULL, NULL, FALSE,
    N_("Seconds an idle keep-alive connection is kept open"), TRUE },
  { "server", "system_interval", BOURSE_CONFIG_TYPE_INT, "5", 1, 3600, NULL, NULL, FALSE,
    N_("Seconds between periodic system status events"), TRUE },
  { "server", "shutdown_timeout", BOURSE_CONFIG_TYPE_INT, "10", 0, 600, NULL, NULL, FALSE,
    N_("Seconds to let in-flight requests finish on shutdown") },
  { "store", "data_dir", BOURSE_CONFIG_TYPE_PATH, "", 0, 0, NULL, "--data-dir", FALSE,
    N_("Directory of the database; empty means $XDG_DATA_HOME/bourse"), TRUE },
  { "auth", "access_token_ttl", BOURSE_CONFIG_TYPE_INT, "900", 60, 86400, NULL, NULL, FALSE,
    N_("Seconds an access token (JWT) stays valid") },
  { "auth", "refresh_token_days", BOURSE_CONFIG_TYPE_INT, "30", 1, 365, NULL, NULL, FALSE,
    N_("Days a session's refresh token stays valid") },
  { "auth", "password_opslimit", BOURSE_CONFIG_TYPE_INT, "0", 0, 64, NULL, NULL, FALSE,
    N_("argon2id passes; 0 is libsodium's interactive setting"), TRUE },
  { "auth", "password_memlimit_kib", BOURSE_CONFIG_TYPE_INT, "0", 0, 4194304, NULL, NULL, FALSE,
    N_("argon2id memory in KiB; 0 is libsodium's interactive setting"), TRUE },
  { "auth", "login_free_failures", BOURSE_CONFIG_TYPE_INT, "5", 1, 100, NULL, NULL, FALSE,
    N_("Failed logins in a row before an account must wait between attempts"), TRUE },
  { "auth", "login_max_delay", BOURSE_CONFIG_TYPE_INT, "300", 1, 86400, NULL, NULL, FALSE,
    N_("Longest wait, in seconds, between attempts after failed logins"), TRUE },
  { "auth", "secrets_backend", BOURSE_CONFIG_TYPE_ENUM, "auto", 0, 0, "auto|keyring|file", NULL, FALSE,
    N_("Where secrets live: the keyring, a 0600 file in the data directory, or auto"), TRUE },
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
    N_("auto: journald under systemd, JSON lines when not on a terminal, text otherwise"), TRUE },
  { "log", "ring_size", BOURSE_CONFIG_TYPE_INT, "5000", 100, 1000000, NULL, NULL, FALSE,
    N_("How many of the newest log messages are kept in memory for the logs page and API"), TRUE },
  { "health", "check_interval", BOURSE_CONFIG_TYPE_INT, "30", 1, 3600, NULL, NULL, FALSE,
    N_("Seconds between two checks of the components' health") },
  { "health", "disk_warn_mb", BOURSE_CONFIG_TYPE_INT, "1024", 0, 1073741824, NULL, NULL, FALSE,
    N_("Free space of the data directory, in MiB, under which the disk is degraded") },
  { "health", "disk_min_mb", BOURSE_CONFIG_TYPE_INT, "100", 0, 1073741824, NULL, NULL, FALSE,
    N_("Free space of the data directory, in MiB, under which the disk is down") },
  { "simulated", "enabled", BOURSE_CONFIG_TYPE_BOOLEAN, "true", 0, 0, NULL, NULL, FALSE,
    N_("Run the simulated market for the instruments whose source is simulated"), TRUE },
  { "simulated", "seed", BOURSE_CONFIG_TYPE_INT, "1", 0, 2147483647, NULL, NULL, FALSE,
    N_("Seed of the simulated market: the same seed and start give the same candles"), TRUE },
  { "simulated", "start", BOURSE_CONFIG_TYPE_STRING, "", 0, 0, NULL, NULL, FALSE,
    N_("RFC 3339 time of the first simulated candle; empty: the backfill days before the first start"), TRUE },
  { "simulated", "backfill_days", BOURSE_CONFIG_TYPE_INT, "90", 0, 3650, NULL, NULL, FALSE,
    N_("Days of one-minute history the simulated market makes at its first start"), TRUE },
  { "simulated", "speed", BOURSE_CONFIG_TYPE_INT, "1", 1, 3600, NULL, NULL, FALSE,
    N_("Simulated minutes per minute once live; above 1 the simulated clock runs ahead"), TRUE },
  { "binance", "base_url", BOURSE_CONFIG_TYPE_URL, "https://api.binance.com", 0, 0, NULL, NULL, FALSE,
    N_("Binance Spot REST base URL"), TRUE },
  { "binance", "stream_url", BOURSE_CONFIG_TYPE_URL, "wss://stream.binance.com:9443", 0, 0, NULL, NULL, FALSE,
    N_("Binance WebSocket stream base URL"), TRUE },
  { "binance", "ws_api_url", BOURSE_CONFIG_TYPE_URL, "wss://ws-api.binance.com:443/ws-api/v3", 0, 0, NULL, NULL,
    FALSE, N_("Binance WebSocket API URL; the account's user data stream comes from there"), TRUE },
  { "binance", "weight_limit", BOURSE_CONFIG_TYPE_INT, "5000", 10, 1000000, NULL, NULL, FALSE,
    N_("Request weight a minute Bourse uses at most on Binance (which allows 6000)"), TRUE },
  { "binance", "weight_window", BOURSE_CONFIG_TYPE_INT, "60", 1, 3600, NULL, NULL, FALSE,
    N_("Seconds of Binance's request-weight window; change only for a test exchange"), TRUE },
  { "binance", "request_timeout", BOURSE_CONFIG_TYPE_INT, "30", 1, 600, NULL, NULL, FALSE,
    N_("Seconds a Binance request may take before it is retried"), TRUE },
  { "binance", "max_retries", BOURSE_CONFIG_TYPE_INT, "5", 0, 100, NULL, NULL, FALSE,
    N_("Retries of a failed Binance request before giving up"), TRUE },
  { "binance", "retry_base_ms", BOURSE_CONFIG_TYPE_INT, "500", 1, 600000, NULL, NULL, FALSE,
    N_("First back-off in milliseconds; it doubles with each retry, plus jitter"), TRUE },
  { "binance", "retry_max_ms", BOURSE_CONFIG_TYPE_INT, "30000", 1, 3600000, NULL, NULL, FALSE,
    N_("Longest back-off in milliseconds"), TRUE },
  { "binance", "retry_after_max", BOURSE_CONFIG_TYPE_INT, "300", 0, 86400, NULL, NULL, FALSE,
    N_("Longest Retry-After (seconds) of a 429 or 418 that is waited out; longer ones fail"), TRUE },
  { "binance", "recv_window", BOURSE_CONFIG_TYPE_INT, "5000", 1, 60000, NULL, NULL, FALSE,
    N_("Milliseconds after its timestamp that Binance may still accept a signed request"), TRUE },
  { "binance", "order_limit_10s", BOURSE_CONFIG_TYPE_INT, "80", 1, 100000, NULL, NULL, FALSE,
    N_("Orders sent to Binance in 10 seconds at most; more are refused before sending"), TRUE },
  { "binance", "order_limit_1d", BOURSE_CONFIG_TYPE_INT, "180000", 1, 100000000, NULL, NULL, FALSE,
    N_("Orders sent to Binance in a day at most; more are refused before sending"), TRUE },
  { "binance", "stream_lifetime", BOURSE_CONFIG_TYPE_INT, "82800", 1, 86400, NULL, NULL, FALSE,
    N_("Seconds after which a stream connection is renewed (Binance cuts them at 24 hours)"), TRUE },
  { "binance", "stream_idle_timeout", BOURSE_CONFIG_TYPE_INT, "120", 0, 3600, NULL, NULL, FALSE,
    N_("Seconds without a stream message before reconnecting; 0 never"), TRUE },
  { "binance", "api_key", BOURSE_CONFIG_TYPE_STRING, "", 0, 0, NULL, NULL, TRUE,
    N_("Binance API key for headless use; the keyring is preferred"), TRUE },
  { "binance", "api_secret", BOURSE_CONFIG_TYPE_STRING, "", 0, 0, NULL, NULL, TRUE,
    N_("Binance API secret for headless use; the keyring is preferred"), TRUE },
  { "market", "import_max_bytes", BOURSE_CONFIG_TYPE_INT, "67108864", 1024, 1073741824, NULL, NULL, FALSE,
    N_("Largest CSV file POST /api/v1/market/import accepts (413 above)"), TRUE },
  { "approvals", "ttl", BOURSE_CONFIG_TYPE_INT, "3600", 60, 604800, NULL, NULL, FALSE,
    N_("Seconds a pending approval waits for a decision before it expires") },
  { "approvals", "four_eyes", BOURSE_CONFIG_TYPE_BOOLEAN, "false", 0, 0, NULL, NULL, FALSE,
    N_("Whoever asked for a recommendation may not approve or reject it themselves") },
  { "approvals", "expiry_check", BOURSE_CONFIG_TYPE_INT, "30", 1, 3600, NULL, NULL, FALSE,
    N_("Seconds between checks for overdue approvals"), TRUE },
  { "approvals", "execute_on_approve", BOURSE_CONFIG_TYPE_ENUM, "auto", 0, 0, "auto|on|off", NULL, FALSE,
    N_("Whether an approved recommendation becomes an order at once: auto does it for auto-paper approvals on paper") },
  { "paper", "starting_balance", BOURSE_CONFIG_TYPE_DECIMAL, "10000", 0, 10000000000, NULL, NULL, FALSE,
    N_("Cash the paper account starts with, in paper.currency, when it is first created"), TRUE },
  { "paper", "currency", BOURSE_CONFIG_TYPE_STRING, "USDT", 0, 0, NULL, NULL, FALSE,
    N_("The paper account's currency: the quote asset of the instruments it trades"), TRUE },
  { "paper", "slippage_bps", BOURSE_CONFIG_TYPE_INT, "2", 0, 10000, NULL, NULL, FALSE,
    N_("Basis points a market order's price moves against it on paper"), TRUE },
  { "paper", "taker_fee", BOURSE_CONFIG_TYPE_DECIMAL, "0.001", 0, 1, NULL, NULL, FALSE,
    N_("Fee rate of paper fills that take liquidity (market orders, marketable limits)"), TRUE },
  { "paper", "maker_fee", BOURSE_CONFIG_TYPE_DECIMAL, "0.001", 0, 1, NULL, NULL, FALSE,
    N_("Fee rate of paper fills that rested on the book (limit orders)"), TRUE },
  { "paper", "allow_short", BOURSE_CONFIG_TYPE_BOOLEAN, "false", 0, 0, NULL, NULL, FALSE,
    N_("Let paper sells go below zero base asset (short positions)"), TRUE },
  { "paper", "equity_snapshot_s", BOURSE_CONFIG_TYPE_INT, "60", 5, 86400, NULL, NULL, FALSE,
    N_("Seconds between equity snapshots (one is also taken at every fill)"), TRUE },
  { "trading", "live_max_order_notional", BOURSE_CONFIG_TYPE_DECIMAL, "1000", 0, 1000000000, NULL, NULL, FALSE,
    N_("Largest value of one live order, in the live account's currency, whatever the risk profiles allow") },
  { "risk", "live_confirm_notional", BOURSE_CONFIG_TYPE_DECIMAL, "100", 0, 1000000000, NULL, NULL, FALSE,
    N_("A live manual order worth more than this must be confirmed in a second step") },
  { "webhooks", "replay_window", BOURSE_CONFIG_TYPE_INT, "300", 5, 3600, NULL, NULL, FALSE,
    N_("Seconds a signed webhook's timestamp may be off the clock, either way") },
  { "scheduler", "enabled", BOURSE_CONFIG_TYPE_BOOLEAN, "true", 0, 0, NULL, NULL, FALSE,
    N_("Whether the scheduler runs the heartbeat; housekeeping runs either way") },
  { "scheduler", "heartbeat", BOURSE_CONFIG_TYPE_CRON, "0 2,8,14,20 * * *", 0, 0, NULL, NULL, FALSE,
    N_("When the heartbeat is sent: minute hour day-of-month month day-of-week, in scheduler.time_zone") },
  { "scheduler", "time_zone", BOURSE_CONFIG_TYPE_TIME_ZONE, "America/Chicago", 0, 0, NULL, NULL, FALSE,
    N_("The IANA time zone the scheduler's times are in, such as Europe/Berlin") },
  { "notify", "email_transport", BOURSE_CONFIG_TYPE_ENUM, "none", 0, 0, "smtp|brevo|none", NULL, FALSE,
    N_("How email is sent: an SMTP server, Brevo's API, or not at all") },
  { "notify", "smtp_host", BOURSE_CONFIG_TYPE_STRING, "", 0, 0, NULL, NULL, FALSE,
    N_("SMTP server's host name") },
  { "notify", "smtp_port", BOURSE_CONFIG_TYPE_INT, "587", 1, 65535, NULL, NULL, FALSE,
    N_("SMTP server's port") },
  { "notify", "smtp_security", BOURSE_CONFIG_TYPE_ENUM, "starttls", 0, 0, "starttls|tls|none", NULL, FALSE,
    N_("STARTTLS, TLS from the start, or none (loopback only)") },
  { "notify", "smtp_username", BOURSE_CONFIG_TYPE_STRING, "", 0, 0, NULL, NULL, FALSE,
    N_("SMTP user name; empty: no authentication") },
  { "notify", "smtp_password", BOURSE_CONFIG_TYPE_STRING, "", 0, 0, NULL, NULL, TRUE,
    N_("SMTP password") },
  { "notify", "from_address", BOURSE_CONFIG_TYPE_STRING, "", 0, 0, NULL, NULL, FALSE,
    N_("Sender address of notification email") },
  { "notify", "brevo_url", BOURSE_CONFIG_TYPE_URL, "https://api.brevo.com/v3/smtp/email", 0, 0, NULL, NULL, FALSE,
    N_("Brevo's transactional email endpoint") },
  { "notify", "brevo_api_key", BOURSE_CONFIG_TYPE_STRING, "", 0, 0, NULL, NULL, TRUE,
    N_("Brevo API key") },
  { "notify", "fcm_project_id", BOURSE_CONFIG_TYPE_STRING, "", 0, 0, NULL, NULL, FALSE,
    N_("Firebase project of push notifications") },
  { "notify", "fcm_service_account", BOURSE_CONFIG_TYPE_STRING, "", 0, 0, NULL, NULL, TRUE,
    N_("Firebase service account's JSON key") },
  { "notify", "fcm_url", BOURSE_CONFIG_TYPE_URL, "https://fcm.googleapis.com", 0, 0, NULL, NULL, FALSE,
    N_("Firebase Cloud Messaging base URL") },
  { "notify", "fcm_token_url", BOURSE_CONFIG_TYPE_URL, "https://oauth2.googleapis.com/token", 0, 0, NULL, NULL,
    FALSE, N_("OAuth token endpoint the service account's access tokens come from") },
  { "notify", "ntfy_url", BOURSE_CONFIG_TYPE_URL, "https://ntfy.sh", 0, 0, NULL, NULL, FALSE,
    N_("ntfy server") },
  { "notify", "ntfy_topic", BOURSE_CONFIG_TYPE_STRING, "", 0, 0, NULL, NULL, FALSE,
    N_("ntfy topic of users who chose none") },
  { "notify", "ntfy_token", BOURSE_CONFIG_TYPE_STRING, "", 0, 0, NULL, NULL, TRUE,
    N_("ntfy access token; empty: none") },
  { "notify", "webhook_url", BOURSE_CONFIG_TYPE_STRING, "", 0, 0, NULL, NULL, FALSE,
    N_("URL notifications are posted to; empty: none") },
  { "notify", "webhook_secret", BOURSE_CONFIG_TYPE_STRING, "", 0, 0, NULL, NULL, TRUE,
    N_("Secret the webhook's signature is made with") },
  { "notify", "max_attempts", BOURSE_CONFIG_TYPE_INT, "8", 1, 100, NULL, NULL, FALSE,
    N_("Attempts of a delivery before it fails") },
  { "notify", "retry_base_s", BOURSE_CONFIG_TYPE_INT, "30", 1, 86400, NULL, NULL, FALSE,
    N_("First wait in seconds before a failed delivery is retried; it doubles each time") },
  { "notify", "retry_max_s", BOURSE_CONFIG_TYPE_INT, "3600", 1, 604800, NULL, NULL, FALSE,
    N_("Longest wait in seconds between attempts of a delivery") },
  { "notify", "public_url", BOURSE_CONFIG_TYPE_STRING, "", 0, 0, NULL, NULL, FALSE,
    N_("The web UI's address in links; empty: the server's own") },
};

/* Each layer's value of a key; the effective value is the highest layer's. */
typedef struct
{
  char *values[BOURSE_CONFIG_N_SOURCES];   /* NULL where a layer says nothing; the default always set */
  char *origins[BOURSE_CONFIG_N_SOURCES];  /* file path, variable name or flag */
  char *started;                           /* before the first change at run time */
} ConfigValue;

struct _BourseConfig
{
  GObject      parent_instance;
  char        *path;
  ConfigValue  values[G_N_ELEMENTS (schema)];
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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

/* "section.key" → its index, or -1. */
static int
lookup_field (const char *field)
{
  const char *dot = strchr (field, '.');
  g_autofree char *section = NULL;

  if (dot == NULL)
    return -1;
  section = g_strndup (field, dot - field);
  return lookup_index (section, dot + 1);
}

static char *
field_of (const BourseConfigKey *spec)
{
  return g_strdup_printf ("%s.%s", spec->section, spec->key);
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

const BourseConfigKey *
bourse_config_lookup_field (const char *field)
{
  int i;

  g_return_val_if_fail (field != NULL, NULL);

  i = lookup_field (field);
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
    case BOURSE_CONFIG_SOURCE_RUNTIME:      return "runtime";
    case BOURSE_CONFIG_N_SOURCES:
    default:                                g_return_val_if_reached ("unknown");
    }
}

const char *
bourse_config_type_to_string (BourseConfigType type)
{
  switch (type)
    {
    case BOURSE_CONFIG_TYPE_STRING:  return "string";
    case BOURSE_CONFIG_TYPE_INT:     return "integer";
    case BOURSE_CONFIG_TYPE_BOOLEAN: return "boolean";
    case BOURSE_CONFIG_TYPE_ENUM:    return "enum";
    case BOURSE_CONFIG_TYPE_LIST:    return "list";
    case BOURSE_CONFIG_TYPE_PATH:    return "path";
    case BOURSE_CONFIG_TYPE_URL:     return "url";
    case BOURSE_CONFIG_TYPE_ADDRESS: return "address";
    case BOURSE_CONFIG_TYPE_DECIMAL: return "decimal";
    case BOURSE_CONFIG_TYPE_CRON:    return "cron";
    case BOURSE_CONFIG_TYPE_TIME_ZONE: return "time_zone";
    default:                         g_return_val_if_reached ("string");
    }
}

void
bourse_config_problem_free (BourseConfigProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->field);
  g_free (problem->message);
  g_free (problem);
}

void
bourse_config_change_free (BourseConfigChange *change)
{
  if (change == NULL)
    return;
  g_free (change->field);
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change);
}

static void
add_problem (GPtrArray  *problems,
             char       *field,
             const char *message)
{
  BourseConfigProblem *problem = g_new0 (BourseConfigProblem, 1);

  problem->field = field;
  problem->message = g_strdup (message);
  g_ptr_array_add (problems, problem);
}

static BourseConfigSource
effective_source (const ConfigValue *v)
{
  for (int s = BOURSE_CONFIG_N_SOURCES - 1; s > BOURSE_CONFIG_SOURCE_DEFAULT; s--)
    if (v->values[s] != NULL)
      return s;
  return BOURSE_CONFIG_SOURCE_DEFAULT;
}

static const char *
effective_value (const ConfigValue *v)
{
  return v->values[effective_source (v)];
}

static void
set_layer (ConfigValue        *v,
           BourseConfigSource  source,
           const char         *value,
           const char         *origin)
{
  g_free (v->values[source]);
  g_free (v->origins[source]);
  v->values[source] = g_strdup (value);
  v->origins[source] = value != NULL ? g_strdup (origin) : NULL;
}

static void
bourse_config_finalize (GObject *object)
{
  BourseConfig *self = (BourseConfig *)object;

  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      for (guint s = 0; s < BOURSE_CONFIG_N_SOURCES; s++)
        {
          g_clear_pointer (&self->values[i].values[s], g_free);
          g_clear_pointer (&self->values[i].origins[s], g_free);
        }
      g_clear_pointer (&self->values[i].started, g_free);
    }
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (bourse_config_parent_class)->finalize (object);
}

static void
bourse_config_class_init (BourseConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bourse_config_finalize;

  /* Parts that keep a value they read (the log level) follow it here;
   * @fields are the "section.key" names whose effective value changed. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV);
}

static void
bourse_config_init (BourseConfig *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    set_layer (&self->values[i], BOURSE_CONFIG_SOURCE_DEFAULT, schema[i].default_value, "built-in");
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
  copy->path = g_strdup (self->path);
  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    for (guint s = 0; s < BOURSE_CONFIG_N_SOURCES; s++)
      set_layer (&copy->values[i], s, self->values[i].values[s], self->values[i].origins[s]);
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

    case BOURSE_CONFIG_TYPE_CRON:
    case BOURSE_CONFIG_TYPE_TIME_ZONE:
      {
        /* The scheduler's own parser, so what passes here runs there. */
        g_autoptr(GError) reason = NULL;
        g_autoptr(BourseSchedule) schedule = NULL;
        g_autoptr(GTimeZone) zone = NULL;

        if (spec->type == BOURSE_CONFIG_TYPE_CRON)
          schedule = bourse_schedule_parse (value, &reason);
        else
          zone = bourse_time_zone_new (value, &reason);
        if (reason != NULL)
          {
            g_set_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_INVALID_VALUE,
                         _("Invalid value “%s” for %s.%s (from %s): %s"),
                         shown, spec->section, spec->key, where, reason->message);
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

/* Booleans are stored in one spelling so getters stay trivial. */
static char *
normalize (const BourseConfigKey *spec,
           const char            *value)
{
  static const char * const truthy[] = { "true", "yes", "1", "on", NULL };

  if (spec->type == BOURSE_CONFIG_TYPE_BOOLEAN)
    return g_strdup (g_strv_contains (truthy, value) ? "true" : "false");
  return g_strdup (value);
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

  normalized = normalize (&schema[i], value);
  set_layer (&self->values[i], source, normalized, origin);
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
  else if (source == BOURSE_CONFIG_SOURCE_RUNTIME)
    origin = g_strdup ("api");
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

  bourse_config_set_path (self, path);
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

  return effective_value (get_value (self, section, key));
}

gint64
bourse_config_get_int (BourseConfig *self,
                       const char   *section,
                       const char   *key)
{
  g_return_val_if_fail (BOURSE_IS_CONFIG (self), 0);

  return g_ascii_strtoll (effective_value (get_value (self, section, key)), NULL, 10);
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

  return g_str_equal (effective_value (get_value (self, section, key)), "true");
}

char **
bourse_config_dup_list (BourseConfig *self,
                        const char   *section,
                        const char   *key)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (BOURSE_IS_CONFIG (self), NULL);

  parts = g_strsplit (effective_value (get_value (self, section, key)), ",", -1);
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

  return effective_source (get_value (self, section, key));
}

const char *
bourse_config_get_origin (BourseConfig *self,
                          const char   *section,
                          const char   *key)
{
  const ConfigValue *v;

  g_return_val_if_fail (BOURSE_IS_CONFIG (self), NULL);

  v = get_value (self, section, key);
  return v->origins[effective_source (v)];
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
      BourseConfigSource source = effective_source (v);
      const char *shown = v->values[source];

      if (section == NULL || !g_str_equal (section, schema[i].section))
        {
          section = schema[i].section;
          g_string_append_printf (out, "%s[%s]\n", out->len ? "\n" : "", section);
        }

      if (schema[i].secret && shown[0] != '\0')
        shown = "********";

      g_string_append_printf (out, "%s=%s\t# %s: %s\n",
                              schema[i].key, shown,
                              bourse_config_source_to_string (source), v->origins[source]);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

const char *
bourse_config_get_path (BourseConfig *self)
{
  g_return_val_if_fail (BOURSE_IS_CONFIG (self), NULL);

  return self->path;
}

void
bourse_config_set_path (BourseConfig *self,
                        const char   *path)
{
  g_return_if_fail (BOURSE_IS_CONFIG (self));

  if (path != self->path)
    {
      g_free (self->path);
      self->path = g_strdup (path);
    }
}

gboolean
bourse_config_is_pending_restart (BourseConfig *self,
                                  const char   *section,
                                  const char   *key)
{
  const ConfigValue *v;
  int i;

  g_return_val_if_fail (BOURSE_IS_CONFIG (self), FALSE);

  if ((i = lookup_index (section, key)) < 0 || !schema[i].restart_required)
    return FALSE;
  v = &self->values[i];
  return v->started != NULL && !g_str_equal (v->started, effective_value (v));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

GPtrArray *
bourse_config_check (BourseConfig *self,
                     GHashTable   *changes)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_config_problem_free);
  g_autoptr(GPtrArray) unknown = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer field;

  g_return_val_if_fail (BOURSE_IS_CONFIG (self), NULL);
  g_return_val_if_fail (changes != NULL, NULL);

  /* In the schema's order, so that answers are the same every time. */
  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      g_autofree char *name = field_of (&schema[i]);
      g_autoptr(GError) error = NULL;
      gpointer value;

      if (g_hash_table_lookup_extended (changes, name, NULL, &value) && value != NULL
          && !validate_value (&schema[i], value, BOURSE_CONFIG_SOURCE_RUNTIME, "update", &error))
        add_problem (problems, g_steal_pointer (&name), error->message);
    }

  g_hash_table_iter_init (&iter, changes);
  while (g_hash_table_iter_next (&iter, &field, NULL))
    if (lookup_field (field) < 0)
      g_ptr_array_add (unknown, field);
  g_ptr_array_sort (unknown, compare_strings);
  for (guint i = 0; i < unknown->len; i++)
    {
      /* Names may be any bytes a client sent; messages stay UTF-8. */
      g_autofree char *shown = g_utf8_make_valid (unknown->pdata[i], -1);
      g_autofree char *message = g_strdup_printf (_("Unknown configuration key %s"), shown);

      add_problem (problems, g_strdup (shown), message);
    }

  return g_steal_pointer (&problems);
}

/* The effective value once @normalized is set at run time, or (NULL) once
 * the key's runtime and file values are dropped. */
static const char *
value_after (const ConfigValue *v,
             const char        *normalized)
{
  if (normalized != NULL)
    return normalized;
  for (int s = BOURSE_CONFIG_SOURCE_COMMAND_LINE; s > BOURSE_CONFIG_SOURCE_FILE; s--)
    if (v->values[s] != NULL)
      return v->values[s];
  return v->values[BOURSE_CONFIG_SOURCE_DEFAULT];
}

static BourseConfigChange *
change_new (int         i,
            const char *old_value,
            const char *new_value)
{
  BourseConfigChange *change = g_new0 (BourseConfigChange, 1);

  change->spec = &schema[i];
  change->field = field_of (&schema[i]);
  change->old_value = g_strdup (old_value);
  change->new_value = g_strdup (new_value);
  return change;
}

GPtrArray *
bourse_config_diff (BourseConfig *self,
                    GHashTable   *changes)
{
  GPtrArray *diff = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_config_change_free);

  g_return_val_if_fail (BOURSE_IS_CONFIG (self), diff);

  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      g_autofree char *name = field_of (&schema[i]);
      g_autofree char *normalized = NULL;
      const ConfigValue *v = &self->values[i];
      const char *after;
      gpointer value;

      if (!g_hash_table_lookup_extended (changes, name, NULL, &value))
        continue;
      normalized = value != NULL ? normalize (&schema[i], value) : NULL;
      after = value_after (v, normalized);
      if (!g_str_equal (after, effective_value (v)))
        g_ptr_array_add (diff, change_new (i, effective_value (v), after));
    }

  return diff;
}

static gboolean
ensure_parent (const char  *path,
               GError     **error)
{
  g_autofree char *parent = g_path_get_dirname (path);

  if (g_mkdir_with_parents (parent, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Cannot create the directory %s: %s"), parent, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* Into the file, keeping its comments and order; atomically, so a crash
 * leaves the old file or the new one, never half of it. */
static gboolean
write_back (BourseConfig  *self,
            GHashTable    *changes,
            GError       **error)
{
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *data = NULL;
  GStatBuf info;
  int mode = 0600;
  gsize length;

  if (g_stat (self->path, &info) == 0)
    {
      /* Whoever made the file chose who may read it. */
      mode = info.st_mode & 0777;
      if (!g_key_file_load_from_file (keyfile, self->path,
                                      G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS, error))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      g_autofree char *name = field_of (&schema[i]);
      gpointer value;

      if (!g_hash_table_lookup_extended (changes, name, NULL, &value))
        continue;
      if (value != NULL)
        {
          g_autofree char *normalized = normalize (&schema[i], value);

          g_key_file_set_string (keyfile, schema[i].section, schema[i].key, normalized);
        }
      else
        g_key_file_remove_key (keyfile, schema[i].section, schema[i].key, NULL);
    }

  data = g_key_file_to_data (keyfile, &length, NULL);
  return ensure_parent (self->path, error)
         && g_file_set_contents_full (self->path, data, length, G_FILE_SET_CONTENTS_CONSISTENT, mode, error);
}

static void
emit_changed (BourseConfig *self,
              GPtrArray    *diff)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) fields = NULL;

  if (diff->len == 0)
    return;
  for (guint i = 0; i < diff->len; i++)
    g_strv_builder_add (builder, ((BourseConfigChange *)diff->pdata[i])->field);
  fields = g_strv_builder_end (builder);
  g_signal_emit (self, signals[CHANGED], 0, fields);
}

/* What the parts read at start stays what they run with: remembered before
 * the first change, for pending_restart. */
static void
remember_start (ConfigValue *v)
{
  if (v->started == NULL)
    v->started = g_strdup (effective_value (v));
}

GPtrArray *
bourse_config_apply (BourseConfig  *self,
                     GHashTable    *changes,
                     GPtrArray    **problems,
                     GError       **error)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) diff = NULL;
  g_autoptr(GHashTable) effective = NULL;

  g_return_val_if_fail (BOURSE_IS_CONFIG (self), NULL);
  g_return_val_if_fail (changes != NULL, NULL);

  found = bourse_config_check (self, changes);
  if (found->len > 0)
    {
      if (problems != NULL)
        *problems = g_steal_pointer (&found);
      g_set_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_INVALID_VALUE,
                   _("The configuration was not changed: it has invalid values"));
      return NULL;
    }

  /* Only what changes is set and written: importing an export must not
   * copy every value the environment gave into the file. */
  diff = bourse_config_diff (self, changes);
  effective = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < diff->len; i++)
    {
      const char *field = ((BourseConfigChange *)diff->pdata[i])->field;

      g_hash_table_insert (effective, (gpointer)field, g_hash_table_lookup (changes, field));
    }
  if (self->path != NULL && diff->len > 0 && !write_back (self, effective, error))
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      g_autofree char *name = field_of (&schema[i]);
      g_autofree char *normalized = NULL;
      ConfigValue *v = &self->values[i];
      gpointer value;

      if (!g_hash_table_lookup_extended (effective, name, NULL, &value))
        continue;
      remember_start (v);
      normalized = value != NULL ? normalize (&schema[i], value) : NULL;
      set_layer (v, BOURSE_CONFIG_SOURCE_RUNTIME, normalized, "api");
      /* The file now holds the value too (or no longer holds the key). */
      if (self->path != NULL || normalized == NULL)
        set_layer (v, BOURSE_CONFIG_SOURCE_FILE, normalized, self->path);
    }

  emit_changed (self, diff);
  return g_steal_pointer (&diff);
}

/* The line of each "section.key" in @text, and the lines that are neither
 * a group, a key=value pair nor a comment (problems). */
static GHashTable *
scan_lines (const char *text,
            gsize       length,
            GPtrArray  *problems)
{
  GHashTable *lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *copy = g_strndup (text, length);
  g_auto(GStrv) split = g_strsplit (copy, "\n", -1);
  g_autofree char *group = NULL;

  for (guint n = 0; split[n] != NULL; n++)
    {
      char *line = g_strstrip (split[n]);
      char *equals = strchr (line, '=');

      if (*line == '\0' || *line == '#')
        continue;
      if (*line == '[' && line[strlen (line) - 1] == ']')
        {
          g_free (group);
          group = g_strndup (line + 1, strlen (line) - 2);
        }
      else if (equals != NULL && group != NULL && equals != line)
        {
          *equals = '\0';
          g_hash_table_insert (lines, g_strdup_printf ("%s.%s", group, g_strchomp (line)),
                               GUINT_TO_POINTER (n + 1));
        }
      else
        add_problem (problems, g_strdup_printf ("line %u", n + 1),
                     group == NULL && equals != NULL
                     ? _("A key before the first [section]")
                     : _("Not a [section], a key=value line or a # comment"));
    }

  return lines;
}

GHashTable *
bourse_config_parse_text (const char *text,
                          gsize       length,
                          GPtrArray  *problems)
{
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) lines = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) groups = NULL;
  guint before = problems->len;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  lines = scan_lines (text != NULL ? text : "", length, problems);
  if (problems->len > before)
    return NULL;
  if (!g_key_file_load_from_data (keyfile, text != NULL ? text : "", length, G_KEY_FILE_NONE, &error))
    {
      g_autofree char *reason = g_utf8_make_valid (error->message, -1);

      add_problem (problems, g_strdup ("file"), reason);
      return NULL;
    }

  groups = g_key_file_get_groups (keyfile, NULL);
  for (guint g = 0; groups[g] != NULL; g++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (keyfile, groups[g], NULL, NULL);

      for (guint k = 0; keys != NULL && keys[k] != NULL; k++)
        {
          g_autofree char *name = g_strdup_printf ("%s.%s", groups[g], keys[k]);
          g_autofree char *where = g_strdup_printf ("line %u", GPOINTER_TO_UINT (g_hash_table_lookup (lines, name)));
          g_autofree char *value = NULL;
          g_autoptr(GError) invalid = NULL;
          int i = lookup_index (groups[g], keys[k]);

          if (i < 0)
            {
              g_autofree char *shown = g_utf8_make_valid (name, -1);
              g_autofree char *message = g_strdup_printf (_("Unknown configuration key %s"), shown);

              add_problem (problems, g_steal_pointer (&where), message);
              continue;
            }
          value = g_key_file_get_string (keyfile, groups[g], keys[k], &invalid);
          if (value == NULL)
            {
              g_autofree char *reason = g_utf8_make_valid (invalid->message, -1);

              add_problem (problems, g_steal_pointer (&where), reason);
              continue;
            }
          g_strstrip (value);
          if (!validate_value (&schema[i], value, BOURSE_CONFIG_SOURCE_FILE, where, &invalid))
            {
              add_problem (problems, g_steal_pointer (&where), invalid->message);
              continue;
            }
          g_hash_table_insert (values, g_steal_pointer (&name), normalize (&schema[i], value));
        }
    }

  if (problems->len > before)
    return NULL;
  return g_steal_pointer (&values);
}

gboolean
bourse_config_reload (BourseConfig  *self,
                      GPtrArray    **changes,
                      GError       **error)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_config_problem_free);
  g_autoptr(GPtrArray) diff = g_ptr_array_new_with_free_func ((GDestroyNotify)bourse_config_change_free);
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  g_return_val_if_fail (BOURSE_IS_CONFIG (self), FALSE);

  if (self->path == NULL)
    {
      g_set_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_FILE,
                   _("There is no configuration file to reload"));
      return FALSE;
    }
  /* A file that went away leaves every key to the other layers. */
  if (!g_file_get_contents (self->path, &text, &length, &local_error)
      && !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_FILE,
                   _("Cannot read configuration file %s: %s"), self->path, local_error->message);
      return FALSE;
    }

  if ((values = bourse_config_parse_text (text, length, problems)) == NULL)
    {
      BourseConfigProblem *first = problems->pdata[0];

      g_set_error (error, BOURSE_CONFIG_ERROR, BOURSE_CONFIG_ERROR_FILE,
                   "%s: %s: %s", self->path, first->field, first->message);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      g_autofree char *name = field_of (&schema[i]);
      g_autofree char *before = NULL;
      const char *value = g_hash_table_lookup (values, name);
      ConfigValue *v = &self->values[i];

      if (g_strcmp0 (v->values[BOURSE_CONFIG_SOURCE_FILE], value) == 0)
        continue;
      remember_start (v);
      before = g_strdup (effective_value (v));
      set_layer (v, BOURSE_CONFIG_SOURCE_FILE, value, self->path);
      /* An edit of the file is newer than what was set at run time. */
      if (g_strcmp0 (v->values[BOURSE_CONFIG_SOURCE_RUNTIME], value) != 0)
        set_layer (v, BOURSE_CONFIG_SOURCE_RUNTIME, NULL, NULL);
      if (!g_str_equal (before, effective_value (v)))
        g_ptr_array_add (diff, change_new (i, before, effective_value (v)));
    }

  emit_changed (self, diff);
  if (changes != NULL)
    *changes = g_steal_pointer (&diff);
  return TRUE;
}

char *
bourse_config_export (BourseConfig           *self,
                      BourseConfigSecretFunc  is_set,
                      gpointer                user_data)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) section = g_string_new (NULL);
  g_autoptr(GKeyFile) scratch = g_key_file_new ();

  g_return_val_if_fail (BOURSE_IS_CONFIG (self), NULL);

  g_string_append (out, "# Bourse configuration: the values that are not the defaults.\n"
                        "# Secrets stay in the secrets store; each is only said to be set or not.\n");
  for (guint i = 0; i < G_N_ELEMENTS (schema); i++)
    {
      const char *value = effective_value (&self->values[i]);

      if (schema[i].secret)
        {
          gboolean set = is_set != NULL ? is_set (&schema[i], user_data) : value[0] != '\0';

          g_string_append_printf (section, "# %s: secret, %s\n", schema[i].key, set ? "set" : "not set");
        }
      else if (!g_str_equal (value, schema[i].default_value))
        {
          g_autofree char *escaped = NULL;

          /* GKeyFile's escapes, so the value reads back the same. */
          g_key_file_set_string (scratch, "x", "x", value);
          escaped = g_key_file_get_value (scratch, "x", "x", NULL);
          g_string_append_printf (section, "%s=%s\n", schema[i].key, escaped);
        }

      if (i + 1 == G_N_ELEMENTS (schema)
          || !g_str_equal (schema[i + 1].section, schema[i].section))
        {
          if (section->len > 0)
            g_string_append_printf (out, "\n[%s]\n%s", schema[i].section, section->str);
          g_string_truncate (section, 0);
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
