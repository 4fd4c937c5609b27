/* bourse-smtp-client.h — an asynchronous SMTP submission client
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  BOURSE_SMTP_SECURITY_STARTTLS,  /* plain connection upgraded by STARTTLS, which the server must offer */
  BOURSE_SMTP_SECURITY_TLS,       /* TLS from the first byte ("implicit TLS", port 465) */
  BOURSE_SMTP_SECURITY_NONE,      /* plain text: for a relay on loopback */
} BourseSmtpSecurity;

#define BOURSE_TYPE_SMTP_CLIENT (bourse_smtp_client_get_type ())

G_DECLARE_FINAL_TYPE (BourseSmtpClient, bourse_smtp_client, BOURSE, SMTP_CLIENT, GObject)

/* Parses "starttls", "tls" or "none"; FALSE for anything else. */
gboolean          bourse_smtp_security_from_string (const char          *string,
                                                    BourseSmtpSecurity  *security);

BourseSmtpClient *bourse_smtp_client_new          (const char          *host,
                                                   guint16              port,
                                                   BourseSmtpSecurity   security);
/* AUTH PLAIN, or LOGIN when the server offers only that; NULL username: no AUTH. */
void              bourse_smtp_client_set_credentials (BourseSmtpClient *self,
                                                      const char       *username,
                                                      const char       *password);
/* Certificates are checked against the system's trust store unless a
 * database is given (a private CA, or a test's self-signed certificate);
 * never skipped. */
void              bourse_smtp_client_set_tls_database (BourseSmtpClient *self,
                                                       GTlsDatabase     *database);
/* Seconds any one network operation may take (30 by default). */
void              bourse_smtp_client_set_timeout  (BourseSmtpClient    *self,
                                                   guint                seconds);
/* Sends one message (RFC 5322, CRLF line ends; dot-stuffed here) in one
 * session: connect, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, QUIT. Runs on
 * the caller's thread-default main context. */
void              bourse_smtp_client_send_async   (BourseSmtpClient    *self,
                                                   const char          *from,
                                                   const char * const  *recipients,
                                                   GBytes              *message,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
/* The server's answer to the DATA ("250 2.0.0 Ok: queued as …"), or NULL
 * with a BOURSE_NOTIFIER_ERROR: TEMPORARY for a 4xx answer or a network
 * failure, PERMANENT for a 5xx answer or a server that cannot do what the
 * settings ask (no STARTTLS, no AUTH). */
char             *bourse_smtp_client_send_finish  (BourseSmtpClient    *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* The message with every line that starts with "." given one more, bare LFs
 * made CRLF, and the ending "\r\n.\r\n" (RFC 5321 4.5.2). */
GBytes           *bourse_smtp_dot_stuff           (GBytes              *message);

G_END_DECLS
