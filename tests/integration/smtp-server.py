#!/usr/bin/env python3
# tests/integration/smtp-server.py — a real SMTP server on loopback for
# test-notify-email (Debian's python3-aiosmtpd).
#
# Prints "PORT <n>" once it listens, then serves until its stdin closes. Each message
# it accepts is stored as <dir>/msg-<n>.eml (the bytes as received) and
# <dir>/msg-<n>.json (the envelope, and the message as Python's own email
# parser reads it: decoded headers and every MIME part's decoded text).
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import asyncio
import email
import email.policy
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, directory, rcpt_reply):
        self.directory = directory
        self.rcpt_reply = rcpt_reply
        self.count = 0
        self.mechanism = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        raw = envelope.original_content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        parts = []
        for part in message.walk():
            if part.is_multipart():
                continue
            parts.append({
                "type": part.get_content_type(),
                "charset": part.get_content_charset(),
                "encoding": part.get("Content-Transfer-Encoding"),
                "text": part.get_content().replace("\r\n", "\n"),
            })
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "login": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
            "mechanism": self.mechanism,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "raw_subject": email.message_from_bytes(raw)["Subject"],
            "date": str(message["Date"]),
            "message_id": str(message["Message-ID"]),
            "delivery": str(message["X-Bourse-Delivery"]),
            "content_type": message.get_content_type(),
            "parts": parts,
            "defects": [str(d) for d in message.defects],
        }
        base = os.path.join(self.directory, "msg-%d" % self.count)
        with open(base + ".eml", "wb") as f:
            f.write(raw)
        with open(base + ".json", "w") as f:
            json.dump(record, f)
        return "250 2.0.0 Ok: queued as %d" % self.count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--mode", choices=["none", "starttls", "tls"], default="none")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--auth", help="user:password; AUTH is then required")
    parser.add_argument("--login-only", action="store_true", help="offer AUTH LOGIN, not PLAIN")
    parser.add_argument("--rcpt-reply", help="the answer to every RCPT, e.g. '450 4.2.0 Busy'")
    args = parser.parse_args()

    context = None
    if args.mode != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        user, _, password = args.auth.partition(":")
        if (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
                and auth_data.password == password.encode()):
            handler.mechanism = mechanism
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)

    handler = Handler(args.dir, args.rcpt_reply)

    def factory():
        options = {"hostname": "bourse-test", "decode_data": False}
        if args.mode == "starttls":
            options.update(tls_context=context, require_starttls=True)
        if args.auth:
            options.update(authenticator=authenticator, auth_required=True,
                           # aiosmtpd counts only STARTTLS as TLS.
                           auth_require_tls=args.mode == "starttls")
            if args.login_only:
                options.update(auth_exclude_mechanism=["PLAIN"])
        return SMTP(handler, **options)

    async def serve():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(factory, host="127.0.0.1", port=0,
                                          ssl=context if args.mode == "tls" else None)
        # The test holds our stdin: its end, however the test ends, is ours.
        stdin_closed = loop.create_future()
        loop.add_reader(sys.stdin.fileno(),
                        lambda: os.read(sys.stdin.fileno(), 4096) or
                        (stdin_closed.done() or stdin_closed.set_result(None)))
        print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
        await stdin_closed

    asyncio.run(serve())


if __name__ == "__main__":
    sys.exit(main())
