/* fuzz-websocket.c — messages to /api/v1/ws over a real WebSocket
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An engine and its server run in this process (fuzz-engine.c); the harness
 * keeps a WebSocket open to it, signed in with ?token=, and sends each
 * input as one message, in as many fragments as the input says.
 *
 * Input: a flags byte (bits 0–1: 3 for a binary message, else text;
 * bits 2–4: fragments − 1; bit 5: as a trader rather than an
 * administrator), then the message. The server must answer every message
 * (the harness waits for the pong of a ping sent after it), with JSON
 * objects only, and close the socket only for a reason of the protocol: a
 * message too big or too deep (1009) or a policy (1008). A text that is
 * not UTF-8 goes as a binary message.
 */

#include "config.h"

#include <string.h>

#include "core/bourse-json.h"

#include "fuzz-engine.h"
#include "fuzz-util.h"
#include "fuzz-wire.h"

static BourseFuzzEngine *engine;
static BourseFuzzWire *wire;
static char *trader_token;
static int connected_as = -1;   /* 0 administrator, 1 trader, -1 closed */

/* libsoup's leak on each accepted connection is not ours to find. */
static void
connect_cb (gboolean connecting,
            gpointer data)
{
  bourse_fuzz_server_ignore_leaks (engine, connecting);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  static const char body[] = "{\"username\":\"trader\",\"email\":\"trader@example.org\","
                             "\"password\":\"a long and winding road 42\",\"role\":\"trader\"}";
  static const char login[] = "{\"username\":\"trader\",\"password\":\"a long and winding road 42\"}";
  g_autofree char *bearer = NULL;
  g_autoptr(BourseFuzzAnswer) created = NULL;
  g_autoptr(BourseFuzzAnswer) answer = NULL;
  g_autoptr(JsonNode) root = NULL;

  bourse_fuzz_init_logging ();
  engine = bourse_fuzz_server_new (NULL);
  wire = bourse_fuzz_wire_new (engine->port);
  bourse_fuzz_wire_set_connect_func (wire, connect_cb, NULL);

  bearer = g_strconcat ("Bearer ", engine->token, NULL);
  {
    const char * const headers[] = { "Authorization", bearer, "Content-Type", "application/json", NULL };
    const char * const anonymous[] = { "Content-Type", "application/json", NULL };

    created = bourse_fuzz_wire_request (wire, "POST", "/api/v1/users", headers, body, strlen (body));
    answer = bourse_fuzz_wire_request (wire, "POST", "/api/v1/auth/login", anonymous, login, strlen (login));
  }
  root = bourse_json_parse ((const char *)answer->body->data, answer->body->len, 0, NULL);
  if (created->status != 201 || answer->status != 200 || root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    g_error ("Set-up: cannot sign a trader in (%u, %u)", created->status, answer->status);
  trader_token = g_strdup (json_object_get_string_member (json_node_get_object (root), "access_token"));
  return 0;
}

static void
check_message (const char *text,
               gsize       length)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  /* What the server sends is sent as a C string. */
  FUZZ_CHECK (length > 0);
  if (text[length - 1] == '\0')
    length--;
  FUZZ_CHECK (g_utf8_validate_len (text, length, NULL));
  root = bourse_json_parse (text, length, 0, &error);
  if (root == NULL)
    g_printerr ("The server sent %.*s: %s\n", (int)length, text, error->message);
  FUZZ_CHECK (root != NULL && JSON_NODE_HOLDS_OBJECT (root));
  FUZZ_CHECK (json_object_get_string_member_with_default (json_node_get_object (root), "type", NULL) != NULL);
}

static void
connect_as (int who)
{
  g_autofree char *target = NULL;
  g_autofree char *escaped = NULL;
  guint status = 0;

  escaped = g_uri_escape_string (who == 0 ? engine->token : trader_token, NULL, FALSE);
  target = g_strconcat ("/api/v1/ws?token=", escaped, NULL);
  if (!bourse_fuzz_wire_ws_open (wire, target, &status))
    {
      g_printerr ("The WebSocket was refused: %u\n", status);
      abort ();
    }
  connected_as = who;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  guint opcode, fragments, close_code = 0;
  int who;

  if (size < 1)
    return 0;
  opcode = (data[0] & 3) == 3 ? 2 : 1;
  fragments = ((data[0] >> 2) & 7) + 1;
  who = (data[0] >> 5) & 1;

  if (connected_as != who)
    connect_as (who);
  /* A text that is not UTF-8 is libsoup's to refuse (close 1007), and a
   * new socket each time would slow everything down: it goes as binary. */
  if (opcode == 1 && !g_utf8_validate_len ((const char *)data + 1, size - 1, NULL))
    opcode = 2;

  if (!bourse_fuzz_wire_ws_exchange (wire, opcode, data + 1, size - 1, fragments, check_message, &close_code))
    {
      if (close_code != 1008 && close_code != 1009)
        g_printerr ("The server closed the WebSocket with %u\n", close_code);
      FUZZ_CHECK (close_code == 1008 || close_code == 1009);
      connected_as = -1;
    }
  return 0;
}
