/* dbargs.h — DATABASE arguments (and DB_URL) as targets of a configuration.
 *
 * `schemawatchd --once DATABASE...` and `--apply DATABASE` take databases as
 * developers name them (see dburl.h) instead of target names of a
 * configuration file. Each becomes a target: an SQLite path is made absolute
 * against the working directory (so messages name the real file), the name
 * is the file's base name or [host-]dbname, made unique. */
#ifndef SW_DBARGS_H
#define SW_DBARGS_H

#include "cfg.h"

/* A configuration with every built-in default and no target (no file is
 * read). NULL and *err on failure (it cannot fail unless the defaults are
 * broken). */
struct config	*dbargs_config(char **err);

/* Append the database `text` to cfg as a new target. On success returns the
 * new target (its name is unique in cfg); else NULL and *err, which starts
 * with `label` (e.g. "DB_URL", "argument 2") and never quotes `text` when it
 * could hold a password. */
const struct cfg_target *dbargs_add(struct config *cfg, const char *text, const char *label,
		    char **err);

#endif
