/* cfg_value.h — the values of the key table's types: text to field, compare,
 * free, defaults.
 *
 * Part of the configuration module (cfg.h is its facade; only its parts
 * include this). A value lives in the field a key names (cfg_keys.h), inside
 * a struct config, cfg_target or cfg_group given as `base`. Nothing here
 * knows YAML: the binder (cfg_yaml.c) hands over text, and a default is the
 * same kind of text, so both go through the one conversion. */
#ifndef SW_CFG_VALUE_H
#define SW_CFG_VALUE_H

#include <stdbool.h>

#include "cfg_keys.h"

/* Set the field of a scalar key (duration, string, path, bool, integer)
 * from text, replacing what was there. A relative path is resolved against
 * basedir (NULL: kept as written, as defaults are). Returns NULL, or a
 * malloc'd complaint like "expected a duration like 30s, got \"x\"" that
 * the caller places (it does not name the key). */
char	*cfg_value_from_text(const struct cfg_key *, const char *basedir, const char *text,
	    void *base);

/* Free a key's field and leave it unset (NULL, 0, false); lists of targets
 * and groups are freed with everything in them. */
void	 cfg_value_release(const struct cfg_key *, void *base);
/* The same for every key of a scope: frees a whole struct's contents. */
void	 cfg_value_release_scope(enum cfg_scope, void *base);

/* Set every key of a scope that has a default to it. */
void	 cfg_value_defaults(enum cfg_scope, void *base);

/* Whether a key's field holds the same value in a and b. Lists of targets
 * and groups are not compared (a reload may change them): false. */
bool	 cfg_value_equal(const struct cfg_key *, const void *a, const void *b);

#endif
