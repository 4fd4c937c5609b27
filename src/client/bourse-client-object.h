/* bourse-client-object.h — a record the API serves, as a GObject
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The client's typed models are named BourseClient… (BourseClientStrategy,
 * BourseClientApproval…): the local build links the engine too, whose own
 * types are Bourse… (BourseStrategy, BourseApproval…).
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  BOURSE_CLIENT_FIELD_STRING,   /* char *; null or missing: NULL */
  BOURSE_CLIENT_FIELD_INT64,    /* gint64; null or missing: 0 (ids) */
  BOURSE_CLIENT_FIELD_BOOLEAN,  /* gboolean */
  BOURSE_CLIENT_FIELD_DOUBLE,   /* double; decimals arrive as strings, never here */
  BOURSE_CLIENT_FIELD_OBJECT,   /* JsonObject *, never NULL once updated */
  BOURSE_CLIENT_FIELD_STRV,     /* char **, the strings of an array */
  BOURSE_CLIENT_FIELD_RECORD,   /* BourseClientObject * of record_type, or NULL: a record
                                 * embedded in another (an approval's recommendation) */
  BOURSE_CLIENT_FIELD_TEXT,     /* char *, never NULL once updated: a member of any scalar
                                 * type as text (a configuration value): a boolean as
                                 * true or false, an integer in decimal, a string as
                                 * given; null, missing or anything else "" */
} BourseClientFieldType;

/* A property read from the JSON member of the same name with '_' for '-'
 * ("last_signal_at" is the property last-signal-at), kept in the instance
 * at @offset. */
typedef struct
{
  const char            *member;
  BourseClientFieldType  type;
  gsize                  offset;
  GType                (*record_type) (void);  /* a RECORD's, else NULL */
} BourseClientField;

#define BOURSE_TYPE_CLIENT_OBJECT (bourse_client_object_get_type ())

G_DECLARE_DERIVABLE_TYPE (BourseClientObject, bourse_client_object, BOURSE, CLIENT_OBJECT, GObject)

struct _BourseClientObjectClass
{
  GObjectClass parent_class;

  /*< private >*/
  const char              *key_member;
  const BourseClientField *fields;
  guint                    n_fields;
  GParamSpec             **pspecs;

  /*< public >*/
  /* Whether @object may replace what @self holds: FALSE for older news
   * (an approval decided here, pending in a late event). NULL: always. */
  gboolean               (*accepts) (BourseClientObject *self,
                                     JsonObject         *object);

  /*< private >*/
  gpointer                 padding[7];
};

/* In a subclass's class_init: the member naming an item ("id", "symbol")
 * and its fields, each installed as a read-only property with notify. */
void                bourse_client_object_class_install (BourseClientObjectClass  *klass,
                                                        const char               *key_member,
                                                        const BourseClientField  *fields,
                                                        guint                     n_fields);

/* NULL when @object has no key. */
BourseClientObject *bourse_client_object_new_from_json (GType                     type,
                                                        JsonObject               *object);
/* Takes what @object says; a property notifies only when it changed.
 * FALSE (nothing taken) when @object names another item, or is older news
 * than what @self holds (BourseClientObjectClass.accepts). */
gboolean            bourse_client_object_update        (BourseClientObject       *self,
                                                        JsonObject               *object);
/* The key as text: an id in decimal, or the symbol. */
const char         *bourse_client_object_get_key       (BourseClientObject       *self);
/* The key of @object as bourse_client_object_get_key () would give it, or NULL. */
char               *bourse_client_object_dup_key_of    (GType                     type,
                                                        JsonObject               *object);
/* The object as last served, members the type does not know included. */
JsonObject         *bourse_client_object_get_json      (BourseClientObject       *self);

G_END_DECLS
