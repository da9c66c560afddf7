/* cfg.h — the configuration: parsed from YAML by libyaml, validated, immutable.
 *
 * Every top-level and target key lives in one table in cfg.c (name, type,
 * default, whether a reload may change it, one line of help); parsing,
 * --check-config and the schemawatchd.yaml(5) page all come from it.
 * Errors name the place: "FILE:LINE:COLUMN: message" (1-based).
 *
 * Relative paths in a configuration file (socket, state_dir, sql_dir, a
 * target's sqlite) are resolved against the directory holding that file, made
 * absolute, so they do not depend on the daemon's working directory. For
 * cfg_load_string() the directory of `name` is used: a name without a slash
 * (e.g. a built-in default) means the working directory. */
#ifndef SW_CFG_H
#define SW_CFG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define EX_CONFIG_STATUS 78	/* sysexits.h EX_CONFIG */

enum cfg_target_kind {
	CFG_PG,
	CFG_SQLITE,
};

struct cfg_target {
	char			*name;
	enum cfg_target_kind	 kind;
	char			*conninfo;	/* postgresql: as written (may hold a password) */
	char			*conninfo_safe;	/* postgresql: password removed, for logs/status */
	char			*path;		/* sqlite */
	char			*schema;	/* postgresql; default "public" */
	bool			 auto_apply;
	int64_t			 interval_ms;	/* 0: the global interval */
	int			 line;		/* where it was defined, for messages */
};

struct cfg_group {
	char	 *name;
	char	**members;
	int	  nmembers;
	int	  line;
};

struct config {
	char			*file;
	int64_t			 interval_ms;		/* interval: 60s */
	char			*socket_path;		/* socket */
	char			*state_dir;		/* state_dir: /var/lib/schemawatchd */
	char			*admin_group;		/* admin_group: NULL = root and own uid only */
	int			 max_concurrent;	/* max_concurrent_checks: 4 */
	int64_t			 connect_timeout_ms;	/* connect_timeout: 10s */
	int64_t			 query_timeout_ms;	/* query_timeout: 30s */
	int64_t			 backoff_max_ms;	/* retry_backoff_max: 10m */
	int64_t			 lock_timeout_ms;	/* apply_lock_timeout: 5s */
	int64_t			 statement_timeout_ms;	/* apply_statement_timeout: 60s */
	char			*sql_dir;		/* sql_dir: $(datadir)/schemawatchd */
	char			*revision_v7;		/* revision: prompter_v7 */
	char			*revision_prev;		/* previous_revision: prompter_v6 ("" = none) */
	char			**alert_command;	/* alert_command: argv, NULL-terminated; NULL = none */
	int64_t			 alert_timeout_ms;	/* alert_timeout: 10s */
	char			*metrics_listen;	/* metrics: "127.0.0.1:9187"; NULL = off */
	struct cfg_target	*targets;
	int			 ntargets;
	struct cfg_group	*groups;
	int			 ngroups;
};

/* Load and validate a file. On failure returns NULL and *err is
 * "FILE:LINE:COLUMN: message" (caller frees). */
struct config		*cfg_load(const char *path, char **err);
/* Same from a string; `name` stands in for the file name in messages. */
struct config		*cfg_load_string(const char *name, const char *text, char **err);
void			 cfg_free(struct config *);

const struct cfg_target	*cfg_find_target(const struct config *, const char *name);
const struct cfg_group	*cfg_find_group(const struct config *, const char *name);

/* A libpq connection string or URI with any password replaced by "********".
 * Used for everything shown to people. Caller frees. */
char			*cfg_conninfo_redact(const char *conninfo);

/* Keys that a reload cannot change take effect only at restart; returns a
 * malloc'd comma-separated list of such keys that differ, or NULL. */
char			*cfg_restart_needed(const struct config *old, const struct config *new);

/* Print the key table as man(7) source (for schemawatchd.yaml(5)). */
void			 cfg_print_keys_man(FILE *);

#endif
