/* bourse-audit.h — the tamper-evident audit trail
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "core/bourse-store.h"

G_BEGIN_DECLS

/* One entry; details is a JSON object (secrets must never be put in it:
 * bourse_audit_append drops members named like secrets, see below). */
typedef struct
{
  gint64      id;
  char       *ts;              /* RFC 3339, set by append when NULL */
  char       *actor;           /* "user:42", "api-key:7", "system", "cli:root"… or NULL */
  char       *action;          /* "auth.login", "user.approve", "config.change"… */
  char       *target;          /* "user:43" … or NULL */
  JsonNode   *details;         /* an object, or NULL for {} */
  char       *client_address;
  char       *request_id;
  char       *prev_hash;       /* hex SHA-256 of the previous entry; 64 zeros first */
  char       *hash;            /* hex SHA-256 over prev_hash and the canonical entry */
  /* Read by bourse_audit_list () beside the row, not hashed: what the
   * actor and the target are called now (a username, a strategy's name,
   * "BUY BTCUSDT"), or NULL for none (system, local-owner) or one gone. */
  char       *actor_name;
  char       *target_name;
} BourseAuditEntry;

typedef struct
{
  gboolean ok;
  gint64   checked;
  gint64   first_bad_id;       /* 0 when ok */
} BourseAuditVerdict;

typedef struct
{
  const char *actor;
  const char *action;          /* exact, or a prefix ending in '.' such as "auth." */
  const char *target;
  const char *since;           /* RFC 3339, inclusive */
  const char *until;           /* RFC 3339, exclusive */
  gint64      before_id;       /* cursor: entries with id < before_id; 0 = newest */
  gint64      after_id;        /* entries with id > after_id; 0 = any */
  guint       limit;           /* 1..500 */
} BourseAuditFilter;

/* Appends inside the caller's transaction when one is open (so a state
 * change and its audit entry commit together), else in its own. The entry
 * owns its fields; on success they are replaced by what was stored: ts
 * (now if NULL, normalised to UTC), id, prev_hash, hash and the redacted
 * details (the caller's details node itself is never modified). Members of details whose
 * names contain "password", "secret", "token" or "key" (case-insensitive)
 * are replaced by "[redacted]" before hashing and storing. */
gboolean      bourse_audit_append      (BourseStore              *store,
                                        BourseAuditEntry         *entry,
                                        GError                  **error);
/* Recomputes the chain from the first row: an edited row, a deleted row
 * (the next row's prev_hash no longer matches) or a reordered id shows. */
gboolean      bourse_audit_verify      (BourseStore              *store,
                                        BourseAuditVerdict       *verdict,
                                        GError                  **error);
/* Newest first. Returns a GPtrArray of BourseAuditEntry (owned). */
GPtrArray    *bourse_audit_list        (BourseStore              *store,
                                        const BourseAuditFilter  *filter,
                                        GError                  **error);
JsonNode     *bourse_audit_entry_to_json (const BourseAuditEntry *entry);
/* @func runs on the store's thread once after appends (in an idle: by
 * then the entries are committed, or rolled back with their change, so
 * it reads what is new with after_id). One watch per store, NULL to remove. */
void          bourse_audit_watch       (BourseStore              *store,
                                        GSourceFunc               func,
                                        gpointer                  data);
void          bourse_audit_entry_free  (BourseAuditEntry         *entry);
/* The canonical text hashed for an entry (exposed for tests and tools). */
char         *bourse_audit_canonical   (const BourseAuditEntry   *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseAuditEntry, bourse_audit_entry_free)

G_END_DECLS
