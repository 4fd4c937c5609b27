/* test-resources.c — a real boursed keeps its descriptors and memory bounded
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case counts the daemon's descriptors (/proc/PID/fd) and resident memory
 * (VmRSS) before and after a wave of clients, and the server's sockets left in
 * CLOSE-WAIT (/proc/net/tcp, as `ss` shows them). The clients are plain
 * blocking sockets: the server is another process.
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "boursed-test-util.h"

#define PASSWORD "correct horse battery staple"

/* A descriptor or two may come and go (the database's journal, a log file). */
#define FD_SLACK 6
/* How long the daemon has to let go of what the clients left, once they are
 * gone. Only a bound: every wait polls and ends as soon as it can. */
#define SETTLE_TIMEOUT_S 30
/* Each blocking read or write; a server that stops answering fails the test. */
#define SOCKET_TIMEOUT_S 30

#if defined(__SANITIZE_ADDRESS__)
# define UNDER_ASAN 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define UNDER_ASAN 1
# endif
#endif

/* Growth of the resident set allowed over a whole wave. A leak of a
 * connection's state (several KiB each) over thousands of clients is far
 * above it; the allocator keeping a few arenas is below. AddressSanitizer
 * keeps freed memory in quarantine (bounded below) and adds its shadow. */
#ifdef UNDER_ASAN
# define RSS_BOUND_KIB (64 * 1024)
#else
# define RSS_BOUND_KIB (24 * 1024)
#endif

/* Sanitizer builds: leak checking is the other suites' business, and full
 * unwinding at every malloc would make 10,000 requests take minutes; a small
 * quarantine keeps the resident set meaningful. */
static char *
asan_options (void)
{
  const char *inherited = g_getenv ("ASAN_OPTIONS");

  return g_strdup_printf ("ASAN_OPTIONS=%s%sdetect_leaks=0:fast_unwind_on_malloc=1:quarantine_size_mb=16",
                          inherited ? inherited : "", inherited && *inherited ? ":" : "");
}

/* --- a blocking HTTP/1.1 client ---------------------------------------------- */

typedef struct
{
  GSocketConnection *connection;
  GSocket           *socket;
  GString           *buffer;   /* received, not yet consumed */
} Raw;

static Raw *
raw_connect (guint    port,
             GError **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  Raw *raw;

  g_socket_client_set_timeout (client, SOCKET_TIMEOUT_S);
  raw = g_new0 (Raw, 1);
  raw->connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, error);
  if (raw->connection == NULL)
    {
      g_free (raw);
      return NULL;
    }
  raw->socket = g_socket_connection_get_socket (raw->connection);
  g_socket_set_timeout (raw->socket, SOCKET_TIMEOUT_S);
  raw->buffer = g_string_new (NULL);
  return raw;
}

/* Closes our end at once: no shutdown handshake, as a client that is done. */
static void
raw_close (Raw *raw)
{
  if (raw == NULL)
    return;
  g_socket_close (raw->socket, NULL);
  g_object_unref (raw->connection);
  g_string_free (raw->buffer, TRUE);
  g_free (raw);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Raw, raw_close)

static gboolean
raw_send (Raw         *raw,
          const void  *data,
          gsize        length,
          GError     **error)
{
  const char *p = data;

  while (length > 0)
    {
      gssize n = g_socket_send (raw->socket, p, length, NULL, error);

      if (n < 0)
        return FALSE;
      p += n;
      length -= n;
    }
  return TRUE;
}

/* Reads more into the buffer; FALSE with no error at end of stream. */
static gboolean
raw_fill (Raw     *raw,
          GError **error)
{
  char chunk[16384];
  gssize n = g_socket_receive (raw->socket, chunk, sizeof chunk, NULL, error);

  if (n <= 0)
    return FALSE;
  g_string_append_len (raw->buffer, chunk, n);
  return TRUE;
}

static gboolean
raw_fill_to (Raw     *raw,
             gsize    length,
             GError **error)
{
  while (raw->buffer->len < length)
    if (!raw_fill (raw, error))
      {
        if (error != NULL && *error == NULL)
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "the server closed the connection");
        return FALSE;
      }
  return TRUE;
}

/* Reads one response with a Content-Length (every answer of ours has one);
 * returns its status, or 0 with error set; the body in *body if wanted. */
static guint
raw_read_response (Raw     *raw,
                   char   **body,
                   GError **error)
{
  const char *end, *length_header;
  gsize header_length, content_length = 0;
  g_autofree char *head = NULL;
  guint status;

  while ((end = strstr (raw->buffer->str, "\r\n\r\n")) == NULL)
    if (!raw_fill_to (raw, raw->buffer->len + 1, error))
      return 0;

  header_length = end + 4 - raw->buffer->str;
  head = g_ascii_strdown (raw->buffer->str, header_length);
  if (!g_str_has_prefix (head, "http/1.1 "))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not an HTTP/1.1 answer: %s", head);
      return 0;
    }
  status = (guint)g_ascii_strtoull (head + 9, NULL, 10);
  if ((length_header = strstr (head, "\r\ncontent-length:")) != NULL)
    content_length = g_ascii_strtoull (length_header + strlen ("\r\ncontent-length:"), NULL, 10);
  else if (strstr (head, "\r\ntransfer-encoding:") != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "a chunked answer: %s", head);
      return 0;
    }

  if (!raw_fill_to (raw, header_length + content_length, error))
    return 0;
  if (body != NULL)
    *body = g_strndup (raw->buffer->str + header_length, content_length);
  g_string_erase (raw->buffer, 0, header_length + content_length);
  return status;
}

/* One request on a new connection that the server closes after answering
 * (so that no keep-alive connection of ours stays in the counts). */
static char *
raw_request_once (guint       port,
                  const char *method,
                  const char *path,
                  const char *token,
                  const char *json,
                  guint       expected_status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Raw) raw = raw_connect (port, &error);
  g_autofree char *request = NULL;
  g_autofree char *authorization = token ? g_strdup_printf ("Authorization: Bearer %s\r\n", token) : g_strdup ("");
  g_autofree char *content = json ? g_strdup_printf ("Content-Type: application/json\r\n"
                                                     "Content-Length: %" G_GSIZE_FORMAT "\r\n", strlen (json))
                                  : g_strdup ("");
  char *body = NULL;
  guint status;

  g_assert_no_error (error);
  request = g_strdup_printf ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%sConnection: close\r\n\r\n%s",
                             method, path, authorization, content, json ? json : "");
  raw_send (raw, request, strlen (request), &error);
  g_assert_no_error (error);
  status = raw_read_response (raw, &body, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, expected_status);
  /* The server hangs up first: were it us, its end would sit in CLOSE-WAIT
   * for a moment and muddle the counts. */
  while (raw_fill (raw, &error))
    ;
  g_assert_no_error (error);
  g_assert_cmpuint (raw->buffer->len, ==, 0);
  return body;
}

static char *
raw_get_once (guint       port,
              const char *path,
              const char *token,
              guint       expected_status)
{
  return raw_request_once (port, "GET", path, token, NULL, expected_status);
}

/* --- what the daemon holds ---------------------------------------------------------- */

typedef struct
{
  BoursedDaemon *daemon;
  guint          max_fds;
  const char    *token;      /* to ask for websocket_clients, or NULL */
} Settled;

static guint
n_websocket_clients (BoursedDaemon *daemon,
                     const char    *token)
{
  g_autofree char *body = raw_get_once (daemon->port, "/api/v1/system/status", token, 200);
  g_autoptr(JsonNode) node = json_from_string (body, NULL);
  JsonObject *server;

  g_assert_nonnull (node);
  server = json_object_get_object_member (json_node_get_object (node), "server");
  return (guint)json_object_get_int_member (server, "websocket_clients");
}

static gboolean
settled (gpointer data)
{
  Settled *s = data;

  if (boursed_count_fds (s->daemon->pid) > s->max_fds)
    return FALSE;
  if (boursed_count_close_wait (s->daemon->port) > 0)
    return FALSE;
  return s->token == NULL || n_websocket_clients (s->daemon, s->token) == 0;
}

static gboolean
no_websockets (gpointer data)
{
  Settled *s = data;

  return n_websocket_clients (s->daemon, s->token) == 0;
}

/* Waits for the daemon to let go, then checks descriptors, CLOSE-WAIT and
 * RSS; what is wrong goes to failures, so that one report says it all. */
static void
check_released (BoursedDaemon *daemon,
                const char    *what,
                guint          fds_before,
                guint64        rss_before,
                const char    *token,
                GString       *failures)
{
  Settled s = { daemon, fds_before + FD_SLACK, token };
  gint64 started = g_get_monotonic_time ();
  gboolean ok = boursed_poll (settled, &s, SETTLE_TIMEOUT_S);
  guint fds = boursed_count_fds (daemon->pid);
  guint close_wait = boursed_count_close_wait (daemon->port);
  guint64 rss = boursed_rss_kib (daemon->pid);

  g_test_message ("%s: %s after %.1f s; descriptors %u → %u, CLOSE-WAIT %u, RSS %" G_GUINT64_FORMAT
                  " → %" G_GUINT64_FORMAT " KiB", what, ok ? "settled" : "still not settled",
                  (g_get_monotonic_time () - started) / 1e6,
                  fds_before, fds, close_wait, rss_before, rss);

  if (close_wait > 0)
    g_string_append_printf (failures, "; %u of the server's connections are still in CLOSE-WAIT %d s after their "
                            "clients closed them (the libsoup 3.2 leak)", close_wait, SETTLE_TIMEOUT_S);
  if (fds > fds_before + FD_SLACK)
    g_string_append_printf (failures, "; the daemon holds %u descriptors, %u before (at most %u more allowed)",
                            fds, fds_before, FD_SLACK);
  if (rss > rss_before + RSS_BOUND_KIB)
    g_string_append_printf (failures, "; the daemon's resident memory grew from %" G_GUINT64_FORMAT " to %"
                            G_GUINT64_FORMAT " KiB (at most %u KiB more allowed)", rss_before, rss, RSS_BOUND_KIB);
  if (token != NULL && n_websocket_clients (daemon, token) > 0)
    g_string_append_printf (failures, "; the hub still counts %u WebSocket clients",
                            n_websocket_clients (daemon, token));
}

static void
report (const char *what,
        GString    *failures)
{
  if (failures->len > 0)
    g_test_fail_printf ("%s%s", what, failures->str);
}

static void
describe_failure (BoursedDaemon *daemon,
                  const char    *what,
                  guint          done,
                  const GError  *error)
{
  g_error ("%s failed after %u: %s (the daemon holds %u descriptors, %u connections in CLOSE-WAIT)", what, done,
           error->message, boursed_count_fds (daemon->pid), boursed_count_close_wait (daemon->port));
}

/* --- keep-alive ------------------------------------------------------------------------ */

/* Requests on keep-alive connections that the client closes after 1 to 7
 * requests; returns how many requests were made. */
static guint
keep_alive_wave (BoursedDaemon *daemon,
                 guint          n_requests)
{
  static const char * const requests[] = {
    "GET /live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
    "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: test-resources\r\n\r\n",
  };
  guint done = 0;

  for (guint c = 0; done < n_requests; c++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(Raw) raw = raw_connect (daemon->port, &error);
      guint per_connection = MIN (c % 7 + 1, n_requests - done);

      if (raw == NULL)
        describe_failure (daemon, "connecting", done, error);
      for (guint r = 0; r < per_connection; r++, done++)
        {
          const char *request = requests[(c + r) % G_N_ELEMENTS (requests)];
          guint status;

          if (!raw_send (raw, request, strlen (request), &error)
              || (status = raw_read_response (raw, NULL, &error)) == 0)
            describe_failure (daemon, "a keep-alive request", done, error);
          g_assert_cmpuint (status, ==, 200);
        }
      /* The client hangs up; the connection was idle, waiting for more. */
    }
  return done;
}

static void
test_keep_alive (BoursedFixture *f,
                 gconstpointer   data)
{
  g_autofree char *asan = asan_options ();
  /* Long timeouts: only noticing the hang-up may release these connections. */
  const char *env[] = { asan, "BOURSE_SERVER_IDLE_TIMEOUT=60", "BOURSE_SERVER_HEADER_TIMEOUT=60", NULL };
  const char *args[] = { "serve", "--port", "0", "--data-dir", f->data_dir, NULL };
  g_autoptr(BoursedDaemon) daemon = boursed_daemon_start (f, env, args);
  g_autofree char *ignored = raw_get_once (daemon->port, "/health", NULL, 200);
  guint fds_before = boursed_count_fds (daemon->pid);
  guint64 rss_before;
  gint64 started;
  g_autoptr(GString) failures = g_string_new (NULL);

  /* The allocator's arenas and libsoup's pools fill first; then the wave. */
  keep_alive_wave (daemon, 1000);
  rss_before = boursed_rss_kib (daemon->pid);

  started = g_get_monotonic_time ();
  g_assert_cmpuint (keep_alive_wave (daemon, 10000), ==, 10000);
  g_test_message ("10,000 keep-alive requests in %.1f s", (g_get_monotonic_time () - started) / 1e6);

  check_released (daemon, "10,000 keep-alive requests", fds_before, rss_before, NULL, failures);
  report ("10,000 keep-alive requests", failures);
  boursed_daemon_stop (daemon, SIGTERM);
}

/* --- WebSockets ----------------------------------------------------------------------- */

/* A masked client frame (RFC 6455 §5.2). */
static gboolean
ws_send_frame (Raw         *raw,
               guint8       opcode,
               const char  *payload,
               gsize        length,
               GError     **error)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  guint8 head[4] = { 0x80 | opcode, 0, 0, 0 };
  const guint8 mask[4] = { 0x1b, 0x0e, 0x2c, 0x73 };

  g_assert_cmpuint (length, <, 65536);
  if (length < 126)
    {
      head[1] = 0x80 | length;
      g_byte_array_append (frame, head, 2);
    }
  else
    {
      head[1] = 0x80 | 126;
      head[2] = length >> 8;
      head[3] = length & 0xff;
      g_byte_array_append (frame, head, 4);
    }
  g_byte_array_append (frame, mask, 4);
  for (gsize i = 0; i < length; i++)
    {
      guint8 byte = payload[i] ^ mask[i % 4];
      g_byte_array_append (frame, &byte, 1);
    }
  return raw_send (raw, frame->data, frame->len, error);
}

/* Reads one server frame; returns its opcode, or -1 with error set. */
static int
ws_read_frame (Raw     *raw,
               char   **payload,
               GError **error)
{
  guint8 *p;
  guint64 length;
  gsize offset = 2;
  int opcode;

  if (!raw_fill_to (raw, 2, error))
    return -1;
  p = (guint8 *)raw->buffer->str;
  opcode = p[0] & 0x0f;
  length = p[1] & 0x7f;
  if (p[1] & 0x80)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a masked frame from the server");
      return -1;
    }
  if (length == 126)
    {
      if (!raw_fill_to (raw, 4, error))
        return -1;
      p = (guint8 *)raw->buffer->str;
      length = (p[2] << 8) | p[3];
      offset = 4;
    }
  else if (length == 127)
    {
      if (!raw_fill_to (raw, 10, error))
        return -1;
      p = (guint8 *)raw->buffer->str;
      length = 0;
      for (guint i = 0; i < 8; i++)
        length = (length << 8) | p[2 + i];
      offset = 10;
    }
  if (!raw_fill_to (raw, offset + length, error))
    return -1;
  if (payload != NULL)
    *payload = g_strndup (raw->buffer->str + offset, length);
  g_string_erase (raw->buffer, 0, offset + length);
  return opcode;
}

/* Opens a WebSocket with the token and subscribes it to a few topics. */
static Raw *
ws_open (BoursedDaemon *daemon,
         const char    *token,
         guint          i)
{
  static const char subscribe[] = "{\"type\":\"subscribe\",\"topics\":[\"system\",\"jobs\",\"approvals\"]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(Raw) raw = raw_connect (daemon->port, &error);
  g_autofree char *request = NULL;
  const char *end;
  gboolean subscribed = FALSE;

  if (raw == NULL)
    describe_failure (daemon, "connecting", i, error);
  request = g_strdup_printf ("GET /api/v1/ws?token=%s HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                             "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n\r\n", token);
  if (!raw_send (raw, request, strlen (request), &error))
    describe_failure (daemon, "a WebSocket handshake", i, error);
  while ((end = strstr (raw->buffer->str, "\r\n\r\n")) == NULL)
    if (!raw_fill_to (raw, raw->buffer->len + 1, &error))
      describe_failure (daemon, "a WebSocket handshake", i, error);
  if (!g_str_has_prefix (raw->buffer->str, "HTTP/1.1 101"))
    g_error ("WebSocket %u refused: %s", i, raw->buffer->str);
  g_string_erase (raw->buffer, 0, end + 4 - raw->buffer->str);

  if (!ws_send_frame (raw, 0x1, subscribe, strlen (subscribe), &error))
    describe_failure (daemon, "a subscription", i, error);
  while (!subscribed)
    {
      g_autofree char *payload = NULL;
      int opcode = ws_read_frame (raw, &payload, &error);

      if (opcode < 0)
        describe_failure (daemon, "a subscription", i, error);
      g_assert_cmpint (opcode, ==, 0x1);
      subscribed = strstr (payload, "\"type\":\"subscribed\"") != NULL;
    }
  return g_steal_pointer (&raw);
}

/* Half the clients say goodbye properly; the others just vanish. */
static void
ws_finish (BoursedDaemon *daemon,
           Raw           *raw,
           guint          i)
{
  g_autoptr(GError) error = NULL;

  if (i % 2 == 0)
    {
      static const char normal_close[] = { 0x03, (char)0xe8 };  /* 1000 */
      int opcode = 0;

      if (!ws_send_frame (raw, 0x8, normal_close, sizeof normal_close, &error))
        describe_failure (daemon, "a close", i, error);
      while (opcode != 0x8)
        if ((opcode = ws_read_frame (raw, NULL, &error)) < 0)
          describe_failure (daemon, "waiting for the server's close frame", i, error);
    }
  raw_close (raw);
}

/* Opens @n sockets side by side, then closes them all. */
static void
ws_round (BoursedDaemon *daemon,
          const char    *token,
          guint          n)
{
  g_autoptr(GPtrArray) sockets = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (sockets, ws_open (daemon, token, i));
  for (guint i = 0; i < n; i++)
    ws_finish (daemon, g_ptr_array_index (sockets, i), i);
}

#define WS_ROUNDS    5
#define WS_PER_ROUND 200

static void
test_websockets (BoursedFixture *f,
                 gconstpointer   data)
{
  g_autofree char *asan = asan_options ();
  const char *env[] = { asan, NULL };
  const char *args[] = { "serve", "--port", "0", "--data-dir", f->data_dir, NULL };
  g_autoptr(BoursedDaemon) daemon = NULL;
  g_autoptr(JsonNode) tokens = NULL;
  g_autoptr(GString) failures = g_string_new (NULL);
  g_autofree char *answer = NULL;
  const char *token;
  guint fds_before;
  guint64 rss_before;
  gint64 started;

  boursed_add_user (f, "owner", "admin", PASSWORD);
  daemon = boursed_daemon_start (f, env, args);
  answer = raw_request_once (daemon->port, "POST", "/api/v1/auth/login", NULL,
                             "{\"username\":\"owner\",\"password\":\"" PASSWORD "\"}", 200);
  tokens = json_from_string (answer, NULL);
  token = json_object_get_string_member (json_node_get_object (tokens), "access_token");
  ws_round (daemon, token, 1);
  if (!boursed_poll (no_websockets, &(Settled) { daemon, 0, token }, SETTLE_TIMEOUT_S))
    g_error ("the first WebSocket was not let go");
  fds_before = boursed_count_fds (daemon->pid);

  /* A first round fills the allocator's arenas; the memory a leak takes
   * grows with every round after it. */
  ws_round (daemon, token, WS_PER_ROUND);
  if (!boursed_poll (no_websockets, &(Settled) { daemon, 0, token }, SETTLE_TIMEOUT_S))
    g_error ("the first round of WebSockets was not let go");
  rss_before = boursed_rss_kib (daemon->pid);

  started = g_get_monotonic_time ();
  for (guint round = 0; round < WS_ROUNDS; round++)
    ws_round (daemon, token, WS_PER_ROUND);
  g_test_message ("%u rounds of %u WebSockets in %.1f s", WS_ROUNDS, WS_PER_ROUND,
                  (g_get_monotonic_time () - started) / 1e6);

  check_released (daemon, "1,000 WebSocket open/close cycles", fds_before, rss_before, token, failures);
  report ("1,000 WebSocket open/close cycles", failures);
  boursed_daemon_stop (daemon, SIGTERM);
}

/* --- slowloris ------------------------------------------------------------------------ */

#define HEADER_TIMEOUT_S  2
#define IDLE_TIMEOUT_S    2
#define N_STALLED         200
#define N_TRICKLING       20
#define N_IDLE            50
/* How long, past its time-out, a connection may stay open. */
#define CLOSE_MARGIN_S    30

typedef struct
{
  Raw      *raw;
  gboolean  closed;
  gboolean  trickles;
} Slow;

/* TRUE once the server has closed (or reset) the connection; an answer
 * such as 408 before the close is read and dropped. */
static gboolean
slow_is_closed (Slow *slow)
{
  while (!slow->closed)
    {
      g_autoptr(GError) error = NULL;
      char chunk[4096];
      gssize n;

      g_socket_set_blocking (slow->raw->socket, FALSE);
      n = g_socket_receive (slow->raw->socket, chunk, sizeof chunk, NULL, &error);
      g_socket_set_blocking (slow->raw->socket, TRUE);
      if (n > 0)
        continue;
      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return FALSE;
      slow->closed = TRUE;
    }
  return TRUE;
}

typedef struct
{
  GArray *slow;
  guint   open;
  guint   open_stalled;
  guint   open_idle;
  guint   open_trickling;
  gint64  next_trickle;
} SlowWave;

static gboolean
all_closed (gpointer data)
{
  SlowWave *wave = data;
  gboolean trickle = g_get_monotonic_time () >= wave->next_trickle;

  wave->open = wave->open_stalled = wave->open_idle = wave->open_trickling = 0;
  for (guint i = 0; i < wave->slow->len; i++)
    {
      Slow *slow = &g_array_index (wave->slow, Slow, i);

      if (slow_is_closed (slow))
        continue;
      /* A header line a byte at a time: activity must not extend the deadline. */
      if (slow->trickles && trickle)
        g_socket_send (slow->raw->socket, "a", 1, NULL, NULL);
      wave->open++;
      if (slow->trickles)
        wave->open_trickling++;
      else if (i < N_STALLED)
        wave->open_stalled++;
      else
        wave->open_idle++;
    }
  if (trickle)
    wave->next_trickle = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  return wave->open == 0;
}

static void
test_slowloris (BoursedFixture *f,
                gconstpointer   data)
{
  g_autofree char *asan = asan_options ();
  g_autofree char *header_timeout = g_strdup_printf ("BOURSE_SERVER_HEADER_TIMEOUT=%d", HEADER_TIMEOUT_S);
  g_autofree char *idle_timeout = g_strdup_printf ("BOURSE_SERVER_IDLE_TIMEOUT=%d", IDLE_TIMEOUT_S);
  const char *env[] = { asan, header_timeout, idle_timeout, NULL };
  const char *args[] = { "serve", "--port", "0", "--data-dir", f->data_dir, NULL };
  static const char partial[] = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
  static const char whole[] = "GET /live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  g_autoptr(BoursedDaemon) daemon = boursed_daemon_start (f, env, args);
  g_autofree char *ignored = raw_get_once (daemon->port, "/health", NULL, 200);
  g_autofree char *answered = NULL;
  guint fds_before = boursed_count_fds (daemon->pid);
  guint64 rss_before = boursed_rss_kib (daemon->pid);
  SlowWave wave = { g_array_new (FALSE, TRUE, sizeof (Slow)), 0 };
  g_autoptr(GString) failures = g_string_new (NULL);
  gint64 started;
  gboolean ok;

  /* Unfinished headers, some of them growing a byte at a time… */
  for (guint i = 0; i < N_STALLED + N_TRICKLING; i++)
    {
      g_autoptr(GError) error = NULL;
      Slow slow = { raw_connect (daemon->port, &error), FALSE, i >= N_STALLED };

      if (slow.raw == NULL || !raw_send (slow.raw, partial, strlen (partial), &error))
        describe_failure (daemon, "opening a slow connection", i, error);
      g_array_append_val (wave.slow, slow);
    }
  /* …and keep-alive connections that fall silent after one answer. */
  for (guint i = 0; i < N_IDLE; i++)
    {
      g_autoptr(GError) error = NULL;
      Slow slow = { raw_connect (daemon->port, &error), FALSE, FALSE };

      if (slow.raw == NULL || !raw_send (slow.raw, whole, strlen (whole), &error)
          || raw_read_response (slow.raw, NULL, &error) != 200)
        describe_failure (daemon, "an idle keep-alive connection", i, error);
      g_array_append_val (wave.slow, slow);
    }
  started = g_get_monotonic_time ();
  g_test_message ("%u slow connections open, the daemon holds %u descriptors", wave.slow->len,
                  boursed_count_fds (daemon->pid));

  /* Meanwhile everyone else is served. */
  answered = raw_get_once (daemon->port, "/health", NULL, 200);

  ok = boursed_poll (all_closed, &wave, MAX (HEADER_TIMEOUT_S, IDLE_TIMEOUT_S) + CLOSE_MARGIN_S);
  g_test_message ("after %.1f s: %u stalled, %u trickling and %u idle connections still open",
                  (g_get_monotonic_time () - started) / 1e6, wave.open_stalled, wave.open_trickling, wave.open_idle);
  if (!ok)
    g_string_append_printf (failures, "; %u of %u connections with unfinished headers and %u of %u trickling ones "
                            "are still open %d s after server.header_timeout=%d; %u of %u idle keep-alive "
                            "connections %d s after server.idle_timeout=%d", wave.open_stalled, N_STALLED,
                            wave.open_trickling, N_TRICKLING, CLOSE_MARGIN_S, HEADER_TIMEOUT_S, wave.open_idle,
                            N_IDLE, CLOSE_MARGIN_S, IDLE_TIMEOUT_S);

  for (guint i = 0; i < wave.slow->len; i++)
    raw_close (g_array_index (wave.slow, Slow, i).raw);
  g_array_unref (wave.slow);

  check_released (daemon, "a slowloris wave", fds_before, rss_before, NULL, failures);
  report ("a slowloris wave", failures);
  boursed_daemon_stop (daemon, SIGTERM);
}

#define add_test(path, func) \
  g_test_add (path, BoursedFixture, NULL, boursed_fixture_set_up, func, boursed_fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (boursed_test_init () == NULL)
    return 1;

  add_test ("/resources/keep-alive", test_keep_alive);
  add_test ("/resources/websockets", test_websockets);
  add_test ("/resources/slowloris", test_slowloris);

  return g_test_run ();
}
