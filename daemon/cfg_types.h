/* cfg_types.h — what a loaded configuration is: the structures of cfg.h.
 *
 * Kept apart from cfg.h so that the parts of the configuration module (the
 * key table, the values, the YAML binder) can describe and fill these
 * structures without including cfg.h, whose functions are built on them:
 * includes go one way, from the facade down. Everyone else includes cfg.h,
 * which includes this. */
#ifndef SW_CFG_TYPES_H
#define SW_CFG_TYPES_H

#include <stdbool.h>
#include <stdint.h>

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
	char			*url;		/* url: as written (may hold a password); kind
						   and conninfo or path are made from it */
	char			*schema;	/* postgresql; default "public" */
	char			**schemas;	/* postgresql: glob patterns (schemas:), NULL-
						   terminated; NULL: the one schema above */
	int			 nschemas;
	bool			 auto_apply;
	bool			 ddl_events;	/* postgresql: LISTEN for the DDL event trigger */
	int64_t			 interval_ms;	/* 0: the global interval */
	char			*definition;	/* definition: NULL = the top-level one */
	char			*expect;	/* expect: NULL = the last revision */
	int			 expect_line;	/* where expect's value is (1-based), */
	int			 expect_col;	/* for a message when it is not in the chain */
	char			*scope;		/* scope: "definition" */
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
	char			*definition;		/* definition: NULL = the shipped one */
	char			*revision_v7;		/* revision: deprecated, NULL = unset */
	char			*revision_prev;		/* previous_revision: deprecated, NULL = unset */
	char			**alert_command;	/* alert_command: argv, NULL-terminated; NULL = none */
	int64_t			 alert_timeout_ms;	/* alert_timeout: 10s */
	char			*metrics_listen;	/* metrics: "127.0.0.1:9187"; NULL = off */
	bool			 keep_connections;	/* keep_connections: true */
	int			 max_conn_per_server;	/* max_connections_per_server: 10 */
	struct cfg_target	*targets;
	int			 ntargets;
	struct cfg_group	*groups;
	int			 ngroups;
};

#endif
