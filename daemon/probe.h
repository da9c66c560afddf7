/* probe.h — check one target without blocking the event loop.
 *
 * A probe connects (PostgreSQL: non-blocking libpq under the daemon's own
 * timers; SQLite: a worker thread under the probe's own deadline), reads the catalog of the tables it is given and
 * calls back on the loop thread exactly once, unless cancelled first. */
#ifndef SW_PROBE_H
#define SW_PROBE_H

#include <stdbool.h>
#include <stdint.h>
#include <event2/event.h>

#include "catalog.h"

enum probe_status {
	PROBE_OK,		/* catalog read: cat is set */
	PROBE_UNREACHABLE,	/* could not connect / open: error is set */
	PROBE_ERROR,		/* connected, but introspection failed: error is set */
};

struct pgcat_schema;

struct probe_result {
	enum probe_status	 status;
	char			*error;		/* never contains a password */
	struct catalog		*cat;
	/* What the version table records, when the probe was asked to read it. */
	struct cat_version	 version;
	/* With schemas patterns (probe_pg_opts): what was read of each
	 * matching schema, in name order, instead of cat and version
	 * (pgcat.h); per_schema tells "none matched" from "not asked". */
	bool			 per_schema;
	struct pgcat_schema	*schemas;
	int			 nschemas;
	unsigned		 round_trips;	/* queries sent after the connection was made */
	int64_t			 duration_ms;
	/* SQLite: the schema was not re-read, cat is a copy of the last one
	 * read (the file and its schema_version are what they were then). */
	bool			 cat_reused;
};
void	probe_result_free(struct probe_result *);

/* Called on the loop thread; the callee owns the result. */
typedef void (*probe_done_cb)(struct probe_result *, void *arg);

/* What a probe reads: the tables a definition names and its schema-level
 * objects by name (copied by the probe), or (all: scope: schema) every table
 * and object there is, and its version table (NULL: none). */
struct probe_what {
	const struct cat_strv	*tables;
	const struct cat_strv	*objects;
	bool			 all;
	const char		*version_table;
};
/* The channel of sql/ddl-events.postgresql.sql's event trigger. */
#define PROBE_DDL_CHANNEL	"schemawatchd_ddl"

struct probe_pg_opts {
	int64_t	connect_timeout_ms;	/* whole connection handshake */
	int64_t	query_timeout_ms;	/* from sending the query to the last result */
	struct probe_what what;
	const char *target;		/* name for the log (server notices); copied */
	bool	keep;			/* keep the connection for the next check (pgkeep.h) */
	int	max_per_server;		/* connection budget per server; <= 0: none */
	const char *listen;		/* LISTEN on this channel (a plain identifier)
					 * on each new kept connection; NULL: none */
	const struct cat_strv *schemas;	/* glob patterns: read every matching
					 * schema (copied); NULL: the one schema */
};

struct probe;
struct probe	*probe_pg_start(struct event_base *, const char *conninfo,
		    const char *schema, const struct probe_pg_opts *,
		    probe_done_cb, void *arg);
struct probe_sqlite_opts {
	int64_t	open_timeout_ms;	/* opening the file (connect_timeout); 0: none */
	int64_t	busy_timeout_ms;	/* waiting for a lock while reading (query_timeout) */
	struct probe_what what;
	bool	keep;			/* keep the file open for the next check */
};
/* A SQLite open can block without bound (a file on a hung mount, a FIFO):
 * past open_timeout_ms the probe abandons its worker and answers
 * PROBE_UNREACHABLE "timed out opening PATH after 5 s". A read stuck in I/O
 * is given up (PROBE_ERROR) a second after its busy timeout would have
 * ended it. The worker thread may stay blocked; it frees its part itself. */
struct probe	*probe_sqlite_start_opts(struct event_base *, const char *path,
		    const struct probe_sqlite_opts *, probe_done_cb, void *arg);
/* The same with open_timeout_ms = busy_timeout_ms = timeout_ms. */
struct probe	*probe_sqlite_start(struct event_base *, const char *path,
		    int64_t timeout_ms, probe_done_cb, void *arg);
/* Stop a probe that has not called back yet; its callback will not run.
 * Safe to call from any loop callback. */
void		 probe_cancel(struct probe *);

/* Close every kept connection and file that no probe is using (at reload,
 * since targets may have changed, and before exit). */
void		 probe_close_kept(void);

#endif
