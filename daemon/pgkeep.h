/* pgkeep.h — kept PostgreSQL connections and the connection budget per server.
 *
 * A check of a PostgreSQL target costs the server a backend fork (~6 ms of
 * CPU) when it connects anew, and ~0.6 ms when it reuses an open connection.
 * So probe_pg.c keeps its connection here between checks, under a budget:
 * at most `budget` connections (busy, connecting or idle) to one server at
 * any time. A probe asks for a slot first; it gets its own idle connection
 * back, or a slot to connect with (an idle connection of another target is
 * closed to make room), or waits in a FIFO queue until one is released
 * ("targets beyond the budget take turns"). Waiting is not a network step:
 * each holder of a slot is itself under its connect/query timers.
 *
 * Everything runs on the loop thread; a grant to a waiter is delivered from
 * the next loop pass, never from inside another probe's release. */
#ifndef SW_PGKEEP_H
#define SW_PGKEEP_H

#include <stdbool.h>
#include <event2/event.h>
#include <libpq-fe.h>

enum pgkeep_got {
	PGKEEP_KEPT,	/* *conn is this key's idle connection: use it */
	PGKEEP_SLOT,	/* a slot is yours: connect */
	PGKEEP_FULL,	/* no slot now: wait with pgkeep_wait() */
};

/* Try to take a slot on `server` for the connection `key` (one per target).
 * budget <= 0 means no limit. */
enum pgkeep_got	 pgkeep_take(const char *server, const char *key, int budget,
		    PGconn **conn);

/* The grant of a queued request, on the loop thread: conn is a kept
 * connection of the same key (rare) or NULL: connect with the slot. */
typedef void (*pgkeep_grant_cb)(PGconn *conn, void *arg);
struct pgkeep_waiter;
struct pgkeep_waiter *pgkeep_wait(struct event_base *, const char *server,
		    const char *key, pgkeep_grant_cb, void *arg);
/* Leave the queue; a grant not yet delivered is given back. */
void		 pgkeep_wait_cancel(struct pgkeep_waiter *);

/* Give the slot back with a healthy connection (idle, no transaction) to
 * keep for the next check of `key`; it is closed instead when someone waits
 * for the server. While idle the connection is watched on `base`: when the
 * server closes it (idle_session_timeout, pg_terminate_backend, a restart)
 * its slot is freed at once; notifications that arrive on it (LISTEN), and
 * those that arrived during the check, go to the notify callback. */
void		 pgkeep_put(struct event_base *, const char *server, const char *key,
		    PGconn *);

/* Who hears the notifications of kept connections: cb(arg, key, channel,
 * payload) on the loop thread. NULL: nobody (they are dropped). */
typedef void (*pgkeep_notify_cb)(void *arg, const char *key, const char *channel,
		    const char *payload);
void		 pgkeep_on_notify(pgkeep_notify_cb, void *arg);
/* Give the slot back without a connection (closed, or never made). */
void		 pgkeep_drop(const char *server);

/* Close every idle connection (reload: targets may have changed). */
void		 pgkeep_close_idle(void);
/* Connections open to `server` now (busy + idle): for tests and metrics. */
int		 pgkeep_open(const char *server);
/* Close everything; nothing may be waiting. */
void		 pgkeep_fini(void);

#endif
