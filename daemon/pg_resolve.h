/* pg_resolve.h — the blocking first steps of a libpq connection, off the loop.
 *
 * libpq resolves a host NAME with a blocking getaddrinfo() inside
 * PQconnectStartParams/PQconnectPoll, and with a connection service it reads
 * pg_service.conf there too. probe_pg.c hands those steps to this module,
 * which runs them on a worker thread (worker.c) and answers on the loop:
 *
 *   pg_resolve_hosts()    looks up the names of a host= list and answers a
 *                         hostaddr= list (one numeric address per entry);
 *   pg_resolve_connect()  calls PQconnectStartParams itself (service file,
 *                         first host lookup, non-blocking connect() started)
 *                         and answers the PGconn, which the loop then polls.
 *
 * A PGconn may move between threads as long as no two use it at once; here
 * only one ever holds it (worker.c orders the handoff). The caller bounds the
 * whole step with its own connect timer and cancels on time-out: the worker
 * is never waited for, and frees the job (and a connection started for
 * nobody) when it returns. */
#ifndef SW_PG_RESOLVE_H
#define SW_PG_RESOLVE_H

#include <stdbool.h>

#include <event2/event.h>
#include <libpq-fe.h>

struct addrinfo;
struct pg_resolve;

/* On the loop thread; the callee owns every field. Exactly one is set:
 * error (one line, libpq's wording for a name that does not resolve), conn
 * (pg_resolve_connect) or hostaddr (pg_resolve_hosts; empty entries for
 * sockets and default hosts). */
struct pg_resolve_answer {
	char	*error;
	PGconn	*conn;
	char	*hostaddr;
};
typedef void	(*pg_resolve_done_fn)(struct pg_resolve_answer *, void *arg);

/* Resolve the names of host (a comma-separated host= list). */
struct pg_resolve *pg_resolve_hosts(struct event_base *, const char *host,
		    pg_resolve_done_fn, void *arg);
/* PQconnectStartParams(keys, vals, 0) on a worker, which takes the three
 * (parsed) arrays over: keys/vals point into copts. */
struct pg_resolve *pg_resolve_connect(struct event_base *, PQconninfoOption *copts,
		    const char **keys, const char **vals, pg_resolve_done_fn, void *arg);
/* Stop listening: done will not run. Loop thread, not from inside done. */
void		 pg_resolve_cancel(struct pg_resolve *);
/* What the job is doing, for a time-out message: "resolving host db1" or
 * "starting the connection". */
char		*pg_resolve_doing(const struct pg_resolve *);

/* True when a host= value (a comma-separated list) has an entry that is a
 * name to look up: not empty, not a socket path ('/' or '@'), not an IP literal. */
bool		 pg_resolve_needs_lookup(const char *host);

/* Seams for tests, swapped before any job starts. The resolver the lookup
 * calls (getaddrinfo), and what the connection start calls
 * (PQconnectStartParams), e.g. a slow one. */
extern int	(*pg_resolve_getaddrinfo)(const char *, const char *,
		    const struct addrinfo *, struct addrinfo **);
extern PGconn	*(*pg_resolve_connect_start)(const char *const *keys,
		    const char *const *vals, int expand_dbname);
/* Jobs not freed yet: a cancelled one lives until its worker returns. */
int		 pg_resolve_jobs_live(void);

#endif
