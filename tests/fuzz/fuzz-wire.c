/* fuzz-wire.c — a blocking HTTP/1.1 and WebSocket client for the harnesses
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain sockets rather than SoupSession: the server runs on a thread of its
 * own (fuzz-engine.c), so the harness may block, and it writes exactly the
 * bytes and frames it means to, fragments included.
 */

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz-util.h"
#include "fuzz-wire.h"

/* A server that does not answer within this long is hung: a finding. */
#define TIMEOUT_S 20

struct _BourseFuzzWire
{
  guint16     port;
  int         fd;       /* -1 when closed */
  GByteArray *in;       /* read, not yet consumed */
  guint32     ping_id;
  void      (*connect_func) (gboolean connecting,
                             gpointer data);
  gpointer    connect_data;
};

G_GNUC_NORETURN static void
die (const char *what)
{
  g_printerr ("fuzz-wire: %s: %s\n", what, g_strerror (errno));
  abort ();
}

static void
wire_close (BourseFuzzWire *self)
{
  if (self->fd >= 0)
    close (self->fd);
  self->fd = -1;
  g_byte_array_set_size (self->in, 0);
}

static void
wire_connect (BourseFuzzWire *self)
{
  struct sockaddr_in address = { 0 };
  struct timeval timeout = { TIMEOUT_S, 0 };
  int one = 1;

  wire_close (self);
  self->fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (self->fd < 0)
    die ("socket");
  setsockopt (self->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt (self->fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt (self->fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  address.sin_family = AF_INET;
  address.sin_port = g_htons (self->port);
  address.sin_addr.s_addr = g_htonl (INADDR_LOOPBACK);
  if (connect (self->fd, (struct sockaddr *)&address, sizeof address) != 0)
    {
      struct pollfd pending = { self->fd, POLLOUT, 0 };
      int failure = 0;
      socklen_t size = sizeof failure;

      /* libFuzzer's timer (SIGALRM) may interrupt it: the connection
       * goes on, and says how it ended once it is writable. */
      if (errno != EINTR)
        die ("connect to the server");
      while (poll (&pending, 1, TIMEOUT_S * 1000) < 0 && errno == EINTR)
        ;
      if (getsockopt (self->fd, SOL_SOCKET, SO_ERROR, &failure, &size) != 0 || failure != 0
          || !(pending.revents & POLLOUT))
        {
          errno = failure ? failure : ETIMEDOUT;
          die ("connect to the server");
        }
    }
}

BourseFuzzWire *
bourse_fuzz_wire_new (guint16 port)
{
  BourseFuzzWire *self = g_new0 (BourseFuzzWire, 1);

  self->port = port;
  self->fd = -1;
  self->in = g_byte_array_new ();
  return self;
}

void
bourse_fuzz_wire_set_connect_func (BourseFuzzWire  *self,
                                   void           (*func) (gboolean connecting,
                                                           gpointer data),
                                   gpointer         data)
{
  self->connect_func = func;
  self->connect_data = data;
}

static void
connecting (BourseFuzzWire *self,
            gboolean        begin)
{
  if (self->connect_func != NULL)
    self->connect_func (begin, self->connect_data);
}

void
bourse_fuzz_wire_free (BourseFuzzWire *self)
{
  wire_close (self);
  g_byte_array_unref (self->in);
  g_free (self);
}

/* FALSE when the server has closed the connection. */
static gboolean
send_all (BourseFuzzWire *self,
          const void     *data,
          gsize           length)
{
  const guint8 *p = data;

  while (length > 0)
    {
      gssize n = send (self->fd, p, length, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EPIPE || errno == ECONNRESET))
        return FALSE;
      if (n < 0)
        die ("send (the server does not read)");
      p += n, length -= n;
    }
  return TRUE;
}

/* Reads more into self->in; FALSE at the end of the connection. */
static gboolean
fill (BourseFuzzWire *self)
{
  guint8 buffer[65536];
  gssize n;

  do
    n = recv (self->fd, buffer, sizeof buffer, 0);
  while (n < 0 && errno == EINTR);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    die ("recv (the server does not answer)");
  if (n <= 0)
    return FALSE;
  g_byte_array_append (self->in, buffer, n);
  return TRUE;
}

static gboolean
need (BourseFuzzWire *self,
      gsize           length)
{
  while (self->in->len < length)
    if (!fill (self))
      return FALSE;
  return TRUE;
}

static void
consume (BourseFuzzWire *self,
         gsize           length)
{
  g_byte_array_remove_range (self->in, 0, length);
}

/* The head of an answer, up to and with its blank line; NULL at the end of
 * the connection. */
static char *
read_head (BourseFuzzWire *self)
{
  for (;;)
    {
      const char *data = (const char *)self->in->data;
      const char *end = self->in->len ? g_strstr_len (data, self->in->len, "\r\n\r\n") : NULL;

      if (end != NULL)
        {
          gsize length = end - data + 4;
          char *head = g_strndup (data, length);

          consume (self, length);
          return head;
        }
      if (self->in->len > 1024 * 1024)
        {
          errno = EPROTO;
          die ("an answer's head of more than 1 MiB");
        }
      if (!fill (self))
        return NULL;
    }
}

static const char *
head_header (char      **lines,
             const char *name)
{
  for (guint i = 1; lines[i] != NULL; i++)
    {
      gsize n = strlen (name);

      if (g_ascii_strncasecmp (lines[i], name, n) == 0 && lines[i][n] == ':')
        return g_strchug (lines[i] + n + 1);
    }
  return NULL;
}

static gboolean
read_body (BourseFuzzWire *self,
           char          **lines,
           const char     *method,
           guint           status,
           GByteArray     *body)
{
  const char *length_text = head_header (lines, "Content-Length");
  const char *encoding = head_header (lines, "Transfer-Encoding");

  if (g_str_equal (method, "HEAD") || status == 204 || status == 304 || status < 200)
    return TRUE;

  if (encoding != NULL && g_ascii_strncasecmp (encoding, "chunked", 7) == 0)
    for (;;)
      {
        const char *data;
        const char *eol;
        guint64 size;

        while ((eol = self->in->len ? g_strstr_len ((const char *)self->in->data, self->in->len, "\r\n") : NULL)
               == NULL)
          if (!fill (self))
            return FALSE;
        data = (const char *)self->in->data;
        size = g_ascii_strtoull (data, NULL, 16);
        consume (self, eol - data + 2);
        if (!need (self, size + 2))
          return FALSE;
        g_byte_array_append (body, self->in->data, size);
        consume (self, size + 2);
        if (size == 0)
          return TRUE;
      }

  if (length_text != NULL)
    {
      guint64 length = g_ascii_strtoull (length_text, NULL, 10);

      if (!need (self, length))
        return FALSE;
      g_byte_array_append (body, self->in->data, length);
      consume (self, length);
      return TRUE;
    }

  /* Neither: the body runs to the end of the connection. */
  while (fill (self))
    ;
  g_byte_array_append (body, self->in->data, self->in->len);
  wire_close (self);
  return TRUE;
}

/* A new connection for requests, on which the server has answered a
 * first one (GET /live), so that it has been accepted. */
static void
wire_connect_http (BourseFuzzWire *self)
{
  g_autofree char *request = g_strdup_printf ("GET /live HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n\r\n", self->port);
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autofree char *head = NULL;
  g_auto(GStrv) lines = NULL;

  connecting (self, TRUE);
  wire_connect (self);
  if (!send_all (self, request, strlen (request)) || (head = read_head (self)) == NULL)
    {
      errno = ECONNRESET;
      die ("the server closed a new connection");
    }
  lines = g_strsplit (head, "\r\n", -1);
  if (!read_body (self, lines, "GET", 200, body))
    {
      errno = ECONNRESET;
      die ("the server closed a new connection");
    }
  connecting (self, FALSE);
}

void
bourse_fuzz_answer_free (BourseFuzzAnswer *answer)
{
  g_free (answer->content_type);
  g_byte_array_unref (answer->body);
  g_free (answer);
}

BourseFuzzAnswer *
bourse_fuzz_wire_request (BourseFuzzWire     *self,
                          const char         *method,
                          const char         *target,
                          const char * const *headers,
                          const void         *body,
                          gsize               length)
{
  g_autoptr(GString) request = g_string_new (NULL);

  g_string_append_printf (request, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n", method, target, self->port);
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    g_string_append_printf (request, "%s: %s\r\n", headers[i], headers[i + 1]);
  if (body != NULL)
    g_string_append_printf (request, "Content-Length: %" G_GSIZE_FORMAT "\r\n", length);
  g_string_append (request, "\r\n");
  if (body != NULL)
    g_string_append_len (request, body, length);

  /* A kept-alive connection the server closed in the meantime fails on
   * the first try only: then once more on a new one. */
  for (guint attempt = 0; attempt < 2; attempt++)
    {
      BourseFuzzAnswer *answer;
      g_autofree char *head = NULL;
      g_auto(GStrv) lines = NULL;
      const char *connection;

      if (self->fd < 0)
        wire_connect_http (self);
      if (!send_all (self, request->str, request->len) || (head = read_head (self)) == NULL)
        {
          wire_close (self);
          continue;
        }

      lines = g_strsplit (head, "\r\n", -1);
      if (!g_str_has_prefix (lines[0], "HTTP/1.1 ") && !g_str_has_prefix (lines[0], "HTTP/1.0 "))
        {
          g_printerr ("fuzz-wire: not an HTTP answer: %s\n", lines[0]);
          abort ();
        }
      answer = g_new0 (BourseFuzzAnswer, 1);
      answer->status = g_ascii_strtoull (lines[0] + 9, NULL, 10);
      answer->content_type = g_strdup (head_header (lines, "Content-Type"));
      answer->body = g_byte_array_new ();
      if (!read_body (self, lines, method, answer->status, answer->body))
        {
          g_printerr ("fuzz-wire: the connection ended inside an answer (%u)\n", answer->status);
          abort ();
        }
      connection = head_header (lines, "Connection");
      if (connection != NULL && g_ascii_strcasecmp (connection, "close") == 0)
        wire_close (self);
      return answer;
    }

  errno = ECONNRESET;
  die ("the server closed two connections without answering");
}

/* WebSocket {{{ */

gboolean
bourse_fuzz_wire_ws_open (BourseFuzzWire *self,
                          const char     *target,
                          guint          *status)
{
  g_autoptr(GString) request = g_string_new (NULL);
  g_autofree char *head = NULL;
  g_auto(GStrv) lines = NULL;
  guint8 nonce[16];

  for (guint i = 0; i < sizeof nonce; i++)
    nonce[i] = g_random_int_range (0, 256);
  {
    g_autofree char *key = g_base64_encode (nonce, sizeof nonce);

    g_string_append_printf (request,
                            "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nUpgrade: websocket\r\n"
                            "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
                            target, self->port, key);
  }

  connecting (self, TRUE);
  wire_connect (self);
  if (!send_all (self, request->str, request->len) || (head = read_head (self)) == NULL)
    {
      errno = ECONNRESET;
      die ("the server closed the connection instead of answering an upgrade");
    }
  lines = g_strsplit (head, "\r\n", -1);
  *status = strlen (lines[0]) > 9 ? g_ascii_strtoull (lines[0] + 9, NULL, 10) : 0;
  if (*status != 101)
    {
      g_autoptr(GByteArray) body = g_byte_array_new ();

      read_body (self, lines, "GET", *status, body);
      wire_close (self);
    }
  connecting (self, FALSE);
  return *status == 101;
}

static gboolean
send_frame (BourseFuzzWire *self,
            gboolean        fin,
            guint           opcode,
            const guint8   *payload,
            gsize           length)
{
  g_autoptr(GByteArray) frame = g_byte_array_sized_new (length + 14);
  guint8 mask[4];
  guint8 byte;

  byte = (fin ? 0x80 : 0) | (opcode & 0x0f);
  g_byte_array_append (frame, &byte, 1);
  if (length < 126)
    {
      byte = 0x80 | length;
      g_byte_array_append (frame, &byte, 1);
    }
  else if (length <= G_MAXUINT16)
    {
      guint8 extended[3] = { 0x80 | 126, length >> 8, length & 0xff };

      g_byte_array_append (frame, extended, sizeof extended);
    }
  else
    {
      guint8 extended[9] = { 0x80 | 127 };

      for (guint i = 0; i < 8; i++)
        extended[1 + i] = ((guint64)length >> (56 - 8 * i)) & 0xff;
      g_byte_array_append (frame, extended, sizeof extended);
    }

  /* Clients mask every frame (RFC 6455 §5.3). */
  for (guint i = 0; i < sizeof mask; i++)
    mask[i] = g_random_int_range (0, 256);
  g_byte_array_append (frame, mask, sizeof mask);
  for (gsize i = 0; i < length; i++)
    {
      byte = payload[i] ^ mask[i % 4];
      g_byte_array_append (frame, &byte, 1);
    }
  return send_all (self, frame->data, frame->len);
}

gboolean
bourse_fuzz_wire_ws_exchange (BourseFuzzWire  *self,
                              guint            opcode,
                              const void      *data,
                              gsize            length,
                              guint            n_fragments,
                              void           (*on_message) (const char *text,
                                                            gsize       length),
                              guint           *close_code)
{
  g_autoptr(GByteArray) message = g_byte_array_new ();
  const guint8 *p = data;
  gsize fragment = n_fragments > 1 ? MAX (length / n_fragments, 1) : length;
  guint8 ping[4];
  gboolean first = TRUE;

  *close_code = 0;
  g_assert (self->fd >= 0);

  /* The message in fragments: the first carries the opcode, the others
   * are continuations (0), the last has FIN. */
  do
    {
      gsize n = MIN (fragment, length);
      gboolean last = n == length;

      if (!send_frame (self, last, first ? opcode : 0, p, n))
        goto closed;
      p += n, length -= n, first = FALSE;
    }
  while (length > 0);

  self->ping_id++;
  memcpy (ping, &self->ping_id, sizeof ping);
  if (!send_frame (self, TRUE, 0x9, ping, sizeof ping))
    goto closed;

  for (;;)
    {
      guint8 head, opcode_in;
      guint64 size;
      gsize header = 2;

      if (!need (self, 2))
        goto closed;
      head = self->in->data[0];
      opcode_in = head & 0x0f;
      size = self->in->data[1] & 0x7f;
      if (self->in->data[1] & 0x80)
        {
          errno = EPROTO;
          die ("a masked frame from the server");
        }
      if (size == 126)
        {
          if (!need (self, 4))
            goto closed;
          size = (self->in->data[2] << 8) | self->in->data[3];
          header = 4;
        }
      else if (size == 127)
        {
          if (!need (self, 10))
            goto closed;
          size = 0;
          for (guint i = 0; i < 8; i++)
            size = (size << 8) | self->in->data[2 + i];
          header = 10;
        }
      if (!need (self, header + size))
        goto closed;

      switch (opcode_in)
        {
        case 0x8:
          *close_code = size >= 2 ? (self->in->data[header] << 8) | self->in->data[header + 1] : 1005;
          wire_close (self);
          return FALSE;

        case 0x9:
          if (!send_frame (self, TRUE, 0xA, self->in->data + header, size))
            goto closed;
          break;

        case 0xA:
          if (size == sizeof ping && memcmp (self->in->data + header, ping, sizeof ping) == 0)
            {
              consume (self, header + size);
              return TRUE;
            }
          break;

        default:
          g_byte_array_append (message, self->in->data + header, size);
          if ((head & 0x80) && on_message != NULL)
            on_message ((const char *)message->data, message->len);
          if (head & 0x80)
            g_byte_array_set_size (message, 0);
          break;
        }
      consume (self, header + size);
    }

closed:
  *close_code = 1006;
  wire_close (self);
  return FALSE;
}

/* }}} */
