/* bourse-config.h
 *
 * Copyright 2026 The Bourse Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "bourse-decimal.h"

G_BEGIN_DECLS

#define BOURSE_CONFIG_ERROR (bourse_config_error_quark ())

typedef enum
{
  BOURSE_CONFIG_ERROR_UNKNOWN_KEY = 1,
  BOURSE_CONFIG_ERROR_INVALID_VALUE,
  BOURSE_CONFIG_ERROR_FILE,
} BourseConfigError;

/* Where the effective value of a key came from, lowest precedence first. */
typedef enum
{
  BOURSE_CONFIG_SOURCE_DEFAULT,
  BOURSE_CONFIG_SOURCE_FILE,
  BOURSE_CONFIG_SOURCE_ENVIRONMENT,
  BOURSE_CONFIG_SOURCE_COMMAND_LINE,
  BOURSE_CONFIG_SOURCE_RUNTIME,       /* the API or an import; also written back to the file */
  BOURSE_CONFIG_N_SOURCES,
} BourseConfigSource;

typedef enum
{
  BOURSE_CONFIG_TYPE_STRING,
  BOURSE_CONFIG_TYPE_INT,
  BOURSE_CONFIG_TYPE_BOOLEAN,
  BOURSE_CONFIG_TYPE_ENUM,
  BOURSE_CONFIG_TYPE_LIST,
  BOURSE_CONFIG_TYPE_PATH,
  BOURSE_CONFIG_TYPE_URL,
  BOURSE_CONFIG_TYPE_ADDRESS,   /* an IPv4 or IPv6 address, or "localhost" */
  BOURSE_CONFIG_TYPE_DECIMAL,   /* a non-negative decimal, at most 8 decimals; min/max in whole units */
  BOURSE_CONFIG_TYPE_CRON,      /* a schedule "minute hour day-of-month month day-of-week" (bourse-cron.h) */
  BOURSE_CONFIG_TYPE_TIME_ZONE, /* an IANA time zone name */
} BourseConfigType;

/* One entry of the schema of every key Bourse understands. */
typedef struct
{
  const char       *section;
  const char       *key;
  BourseConfigType  type;
  const char       *default_value;
  gint64            min;            /* ints only */
  gint64            max;            /* ints only */
  const char       *allowed;        /* enums only: values separated by '|' */
  const char       *flag;           /* the command-line flag, or NULL */
  gboolean          secret;
  const char       *description;
  gboolean          restart_required; /* read at start only: a change waits for a restart */
} BourseConfigKey;

/* Something wrong with a set of changes or a file: field is "section.key",
 * or "line N" in a file. */
typedef struct
{
  char *field;
  char *message;
} BourseConfigProblem;

/* One change of an effective value; the values are as stored (booleans
 * "true"/"false"). */
typedef struct
{
  const BourseConfigKey *spec;
  char                  *field;       /* "section.key" */
  char                  *old_value;
  char                  *new_value;
} BourseConfigChange;

/* Whether the secret @spec has a value, for exports (the secrets store
 * lives above core). */
typedef gboolean (*BourseConfigSecretFunc) (const BourseConfigKey *spec,
                                            gpointer               user_data);

#define BOURSE_TYPE_CONFIG (bourse_config_get_type ())

G_DECLARE_FINAL_TYPE (BourseConfig, bourse_config, BOURSE, CONFIG, GObject)

GQuark                 bourse_config_error_quark      (void);
const BourseConfigKey *bourse_config_get_schema       (guint              *n_keys);
const BourseConfigKey *bourse_config_lookup_key       (const char         *section,
                                                       const char         *key);
/* The key named "section.key", or NULL. */
const BourseConfigKey *bourse_config_lookup_field     (const char         *field);
const char            *bourse_config_source_to_string (BourseConfigSource  source);
const char            *bourse_config_type_to_string   (BourseConfigType    type);
void                   bourse_config_problem_free     (BourseConfigProblem *problem);
void                   bourse_config_change_free      (BourseConfigChange  *change);

BourseConfig *bourse_config_new                (void);
BourseConfig *bourse_config_copy               (BourseConfig        *self);
char         *bourse_config_default_path       (void);
gboolean      bourse_config_load_file          (BourseConfig        *self,
                                                const char          *path,
                                                GError             **error);
gboolean      bourse_config_load_environment   (BourseConfig        *self,
                                                const char * const  *envp,
                                                GError             **error);
gboolean      bourse_config_set                (BourseConfig        *self,
                                                const char          *section,
                                                const char          *key,
                                                const char          *value,
                                                BourseConfigSource   source,
                                                GError             **error);
const char   *bourse_config_get_string         (BourseConfig        *self,
                                                const char          *section,
                                                const char          *key);
gint64        bourse_config_get_int            (BourseConfig        *self,
                                                const char          *section,
                                                const char          *key);
BourseDecimal bourse_config_get_decimal        (BourseConfig        *self,
                                                const char          *section,
                                                const char          *key);
gboolean      bourse_config_get_boolean        (BourseConfig        *self,
                                                const char          *section,
                                                const char          *key);
char        **bourse_config_dup_list           (BourseConfig        *self,
                                                const char          *section,
                                                const char          *key);
BourseConfigSource bourse_config_get_source    (BourseConfig        *self,
                                                const char          *section,
                                                const char          *key);
const char   *bourse_config_get_origin         (BourseConfig        *self,
                                                const char          *section,
                                                const char          *key);
char         *bourse_config_dup_data_dir       (BourseConfig        *self);
char         *bourse_config_to_display_string  (BourseConfig        *self);

/* The file the configuration was loaded from and changes are written back
 * to; load_file sets it, boursed sets the default path when it read none.
 * NULL: changes stay in memory (embedded engines of tests). */
const char   *bourse_config_get_path           (BourseConfig        *self);
void          bourse_config_set_path           (BourseConfig        *self,
                                                const char          *path);
/* A restart-required key whose value changed since the engine started. */
gboolean      bourse_config_is_pending_restart (BourseConfig        *self,
                                                const char          *section,
                                                const char          *key);
/* @changes: "section.key" → value, or NULL for the default. Every problem
 * (unknown key, bad value), in schema order; an empty array when none. */
GPtrArray    *bourse_config_check              (BourseConfig        *self,
                                                GHashTable          *changes);
/* What applying @changes would change (BourseConfigChange), without
 * applying them; keys whose effective value stays are left out. */
GPtrArray    *bourse_config_diff               (BourseConfig        *self,
                                                GHashTable          *changes);
/* All or nothing: checks every change (the problems in *problems, nothing
 * changed), writes them back to the file when there is one (an error,
 * nothing changed), then sets them as runtime values (NULL clears the key's
 * runtime and file values) and emits "changed" with the fields whose
 * effective value changed. Returns those changes. */
GPtrArray    *bourse_config_apply              (BourseConfig        *self,
                                                GHashTable          *changes,
                                                GPtrArray          **problems,
                                                GError             **error);
/* Parses a configuration file's text as load_file does, with every
 * problem named by its line; returns "section.key" → value, or NULL with
 * the problems in @problems. */
GHashTable   *bourse_config_parse_text         (const char          *text,
                                                gsize                length,
                                                GPtrArray           *problems);
/* Re-reads the file with the same validation: a bad file changes nothing
 * (the error names its line). Else the file's values replace the old ones
 * (environment and command line still win; a runtime value stays only
 * while the file agrees with it), "changed" is emitted, and *changes says
 * what changed. */
gboolean      bourse_config_reload             (BourseConfig        *self,
                                                GPtrArray          **changes,
                                                GError             **error);
/* A configuration file of every value that is not the default, each secret
 * only as a comment saying whether it is set (@is_set, or whether it has a
 * value here when NULL). `boursed config check` accepts it. */
char         *bourse_config_export             (BourseConfig        *self,
                                                BourseConfigSecretFunc is_set,
                                                gpointer             user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseConfigProblem, bourse_config_problem_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BourseConfigChange, bourse_config_change_free)

G_END_DECLS
