/* cfg.h — the configuration: parsed from YAML by libyaml, validated, immutable.
 *
 * Every top-level and target key lives in one table in cfg_keys.c (name, type,
 * default, whether a reload may change it, one line of help); parsing,
 * --check-config and the schemawatchd.yaml(5) page all come from it.
 * Errors name the place: "FILE:LINE:COLUMN: message" (1-based).
 *
 * Relative paths in a configuration file (socket, state_dir, sql_dir, a
 * target's sqlite) are resolved against the directory holding that file, made
 * absolute, so they do not depend on the daemon's working directory. For
 * cfg_load_string() the directory of `name` is used: a name without a slash
 * (e.g. a built-in default) means the working directory.
 *
 * This is the facade of the configuration module; its parts, each below it:
 * cfg_yaml.c (the YAML binder), cfg_value.c (each type of value: from text,
 * compare, free), cfg_keys.c (the key table and the man page), and the
 * structures in cfg_types.h. Connection strings: conninfo.h. */
#ifndef SW_CFG_H
#define SW_CFG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cfg_types.h"

#define EX_CONFIG_STATUS 78	/* sysexits.h EX_CONFIG */

/* Load and validate a file. On failure returns NULL and *err is
 * "FILE:LINE:COLUMN: message" (caller frees). */
struct config		*cfg_load(const char *path, char **err);
/* Same from a string; `name` stands in for the file name in messages. */
struct config		*cfg_load_string(const char *name, const char *text, char **err);
void			 cfg_free(struct config *);

const struct cfg_target	*cfg_find_target(const struct config *, const char *name);
const struct cfg_group	*cfg_find_group(const struct config *, const char *name);

/* A libpq connection string or URI with any password replaced by "********".
 * Used for everything shown to people. Caller frees. Same as conninfo_redact(). */
char			*cfg_conninfo_redact(const char *conninfo);

/* Keys that a reload cannot change take effect only at restart; returns a
 * malloc'd comma-separated list of such keys that differ, or NULL. */
char			*cfg_restart_needed(const struct config *old, const struct config *new);

/* Print the key table as man(7) source (for schemawatchd.yaml(5)). */
void			 cfg_print_keys_man(FILE *);

#endif
