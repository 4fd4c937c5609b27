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
} BourseConfigKey;

#define BOURSE_TYPE_CONFIG (bourse_config_get_type ())

G_DECLARE_FINAL_TYPE (BourseConfig, bourse_config, BOURSE, CONFIG, GObject)

GQuark                 bourse_config_error_quark      (void);
const BourseConfigKey *bourse_config_get_schema       (guint              *n_keys);
const BourseConfigKey *bourse_config_lookup_key       (const char         *section,
                                                       const char         *key);
const char            *bourse_config_source_to_string (BourseConfigSource  source);

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

G_END_DECLS
