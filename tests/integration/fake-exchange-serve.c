/* fake-exchange-serve.c — the fake exchange as a process of its own, for suites outside C
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API contract suite (tests/api) runs a real boursed, which needs a
 * Binance that answers to reach the key, check and reconcile operations.
 * This starts a FakeExchange with what the command line asks for, prints
 * its addresses as one JSON line on stdout, and serves until stdin closes
 * (its parent went away, however it ended) or SIGTERM/SIGINT comes:
 *
 *   fake-exchange-serve --key KEY:SECRET --balance USDT=10000
 *                       --symbol BTCUSDT:BTC:USDT:40000 --klines-delay-ms 600000
 *   {"url":"http://127.0.0.1:…","stream_url":"ws://127.0.0.1:…","ws_api_url":"ws://…/ws-api/v3"}
 */

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <unistd.h>

#include "core/bourse-json.h"

#include "fake-exchange.h"
#include "fake-exchange-orders.h"
#include "fake-exchange-user-stream.h"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* Whatever stdin brings is read and dropped; its end (or an error) is the
 * signal to stop. */
static gboolean
stdin_cb (int          fd,
          GIOCondition condition,
          gpointer     data)
{
  char buffer[256];
  gssize n = read (fd, buffer, sizeof buffer);

  if (n > 0 || (n < 0 && errno == EINTR))
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* "A:B:C" split in exactly @n parts, or NULL. */
static char **
split_exactly (const char *text,
               guint       n)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", n);

  if (g_strv_length (parts) != n)
    return NULL;
  for (guint i = 0; i < n; i++)
    if (parts[i][0] == '\0')
      return NULL;
  return g_steal_pointer (&parts);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *key_option = NULL;
  g_auto(GStrv) balances = NULL;
  g_auto(GStrv) symbols = NULL;
  g_auto(GStrv) key = NULL;
  int klines_delay_ms = 0;
  const GOptionEntry entries[] = {
    { "key", 0, 0, G_OPTION_ARG_STRING, &key_option,
      "An HMAC key that can trade and cannot withdraw", "KEY:SECRET" },
    { "balance", 0, 0, G_OPTION_ARG_STRING_ARRAY, &balances, "A free balance of the key's account", "ASSET=AMOUNT" },
    { "symbol", 0, 0, G_OPTION_ARG_STRING_ARRAY, &symbols, "A symbol and its last price", "SYMBOL:BASE:QUOTE:PRICE" },
    { "klines-delay-ms", 0, 0, G_OPTION_ARG_INT, &klines_delay_ms,
      "How long every good klines answer waits (a download still runs when it is cancelled)", "MS" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— a fake Binance on 127.0.0.1");
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) addresses = NULL;
  g_autofree char *line = NULL;
  FakeExchange *exchange;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (key_option != NULL && (key = split_exactly (key_option, 2)) == NULL)
    {
      g_printerr ("--key: KEY:SECRET expected, not %s\n", key_option);
      return 2;
    }
  if (balances != NULL && key == NULL)
    {
      g_printerr ("--balance needs --key: a balance belongs to a key's account\n");
      return 2;
    }
  if (klines_delay_ms < 0)
    {
      g_printerr ("--klines-delay-ms: %d is below zero\n", klines_delay_ms);
      return 2;
    }

  exchange = fake_exchange_new ();
  if (key != NULL)
    fake_exchange_add_key (exchange, key[0], key[1], TRUE, FALSE);
  for (guint i = 0; balances != NULL && balances[i] != NULL; i++)
    {
      g_auto(GStrv) balance = g_strsplit (balances[i], "=", 2);

      if (g_strv_length (balance) != 2 || balance[0][0] == '\0' || balance[1][0] == '\0')
        {
          g_printerr ("--balance: ASSET=AMOUNT expected, not %s\n", balances[i]);
          fake_exchange_free (exchange);
          return 2;
        }
      fake_exchange_set_balance (exchange, key[0], balance[0], balance[1]);
    }
  for (guint i = 0; symbols != NULL && symbols[i] != NULL; i++)
    {
      g_auto(GStrv) symbol = split_exactly (symbols[i], 4);

      if (symbol == NULL)
        {
          g_printerr ("--symbol: SYMBOL:BASE:QUOTE:PRICE expected, not %s\n", symbols[i]);
          fake_exchange_free (exchange);
          return 2;
        }
      fake_exchange_add_symbol (exchange, symbol[0], symbol[1], symbol[2], symbol[3]);
    }
  fake_exchange_set_delay_ms (exchange, (guint)klines_delay_ms);

  json_builder_begin_object (builder);
  bourse_json_builder_add_string (builder, "url", fake_exchange_get_url (exchange));
  bourse_json_builder_add_string (builder, "stream_url", fake_exchange_get_stream_url (exchange));
  bourse_json_builder_add_string (builder, "ws_api_url", fake_exchange_get_ws_api_url (exchange));
  json_builder_end_object (builder);
  addresses = json_builder_get_root (builder);
  line = json_to_string (addresses, FALSE);
  g_print ("%s\n", line);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, stdin_cb, loop);
  g_main_loop_run (loop);

  fake_exchange_free (exchange);
  return 0;
}
