/* pgkeep.c — kept PostgreSQL connections and the per-server budget (pgkeep.h).
 *
 * Servers are few (a handful per daemon) and a server's idle list is at most
 * its budget long, so plain linked lists searched linearly are enough. */
#include "config.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "pgkeep.h"
#include "pgprep.h"
#include "util.h"

struct pk_idle {
	struct pk_idle	*next;
	struct pk_server *srv;
	char		*key;
	PGconn		*conn;
	struct event	*ev;		/* readable while idle: a notification or EOF */
};

struct pgkeep_waiter {
	struct pgkeep_waiter	*next;
	struct pk_server	*srv;
	char			*key;
	struct event		*ev;		/* activated on grant */
	PGconn			*conn;		/* handed over with the grant */
	bool			 granted;
	pgkeep_grant_cb		 cb;
	void			*arg;
};

struct pk_server {
	struct pk_server	*next;
	char			*name;
	int			 open;		/* slots taken: busy + idle */
	struct pk_idle		*idle;		/* most recently used first */
	struct pgkeep_waiter	*wait_head, *wait_tail;
};

static struct pk_server	*pk_servers;
static pgkeep_notify_cb	 pk_notify;
static void		*pk_notify_arg;

void
pgkeep_on_notify(pgkeep_notify_cb cb, void *arg)
{
	pk_notify = cb;
	pk_notify_arg = arg;
}

/* Hand on what libpq has queued; the callback may do anything but touch
 * this connection. */
static void
pk_dispatch(PGconn *conn, const char *key)
{
	PGnotify *n;

	while ((n = PQnotifies(conn)) != NULL) {
		if (pk_notify != NULL)
			pk_notify(pk_notify_arg, key, n->relname, n->extra);
		PQfreemem(n);
	}
}

static struct pk_server *
pk_server(const char *name)
{
	struct pk_server *s;

	for (s = pk_servers; s != NULL; s = s->next)
		if (strcmp(s->name, name) == 0)
			return s;
	s = xcalloc(1, sizeof *s);
	s->name = xstrdup(name);
	s->next = pk_servers;
	pk_servers = s;
	return s;
}

static void
pk_idle_close(struct pk_idle *i)
{
	if (i->ev != NULL)
		event_free(i->ev);
	pgprep_forget(i->key, i->conn);
	PQfinish(i->conn);
	free(i->key);
	free(i);
}

/* An idle connection may have been closed by the server meanwhile
 * (pg_terminate_backend, restart, idle_session_timeout): the socket is then
 * readable. Read what is there without waiting; notifications on an idle
 * connection are harmless and dropped here. False: the connection is dead. */
static bool
pk_alive(PGconn *conn)
{
	struct pollfd pfd = { .fd = PQsocket(conn), .events = POLLIN };
	PGnotify *n;

	if (PQstatus(conn) != CONNECTION_OK || pfd.fd < 0)
		return false;
	if (poll(&pfd, 1, 0) <= 0)
		return true;
	if (!PQconsumeInput(conn))
		return false;
	while ((n = PQnotifies(conn)) != NULL)
		PQfreemem(n);	/* the check about to run sees the change anyway */
	return PQstatus(conn) == CONNECTION_OK &&
	    PQtransactionStatus(conn) == PQTRANS_IDLE;
}

/* Remove this key's idle entry from the list and return it, or NULL. */
static struct pk_idle *
pk_idle_take(struct pk_server *s, const char *key)
{
	struct pk_idle **pp, *i;

	for (pp = &s->idle; (i = *pp) != NULL; pp = &i->next)
		if (strcmp(i->key, key) == 0) {
			*pp = i->next;
			return i;
		}
	return NULL;
}

/* Close the least recently used idle connection: true when there was one. */
static bool
pk_evict_one(struct pk_server *s)
{
	struct pk_idle **pp, *i;

	if (s->idle == NULL)
		return false;
	for (pp = &s->idle; (*pp)->next != NULL; pp = &(*pp)->next)
		;
	i = *pp;
	*pp = NULL;
	pk_idle_close(i);
	s->open--;
	return true;
}

enum pgkeep_got
pgkeep_take(const char *server, const char *key, int budget, PGconn **conn)
{
	struct pk_server *s = pk_server(server);
	struct pk_idle *i;

	*conn = NULL;
	if ((i = pk_idle_take(s, key)) != NULL) {
		if (i->ev != NULL) {
			event_free(i->ev);
			i->ev = NULL;
		}
		if (pk_alive(i->conn)) {
			*conn = i->conn;
			free(i->key);
			free(i);
			return PGKEEP_KEPT;
		}
		/* Dead: its slot is reused for a fresh connection. */
		pk_idle_close(i);
		return PGKEEP_SLOT;
	}
	/* Others queued first keep their turn. */
	if (s->wait_head == NULL && (budget <= 0 || s->open < budget)) {
		s->open++;
		return PGKEEP_SLOT;
	}
	if (s->wait_head == NULL && pk_evict_one(s)) {
		s->open++;
		return PGKEEP_SLOT;
	}
	return PGKEEP_FULL;
}

static void
pk_waiter_fire(evutil_socket_t fd, short what, void *arg)
{
	struct pgkeep_waiter *w = arg;
	pgkeep_grant_cb cb = w->cb;
	void *cbarg = w->arg;
	PGconn *conn = w->conn;

	(void)fd;
	(void)what;
	event_free(w->ev);
	free(w->key);
	free(w);
	cb(conn, cbarg);
}

struct pgkeep_waiter *
pgkeep_wait(struct event_base *base, const char *server, const char *key,
    pgkeep_grant_cb cb, void *arg)
{
	struct pgkeep_waiter *w = xcalloc(1, sizeof *w);

	w->srv = pk_server(server);
	w->key = xstrdup(key);
	w->cb = cb;
	w->arg = arg;
	w->ev = event_new(base, -1, 0, pk_waiter_fire, w);
	if (w->ev == NULL)
		abort();	/* libevent is out of memory */
	if (w->srv->wait_tail != NULL)
		w->srv->wait_tail->next = w;
	else
		w->srv->wait_head = w;
	w->srv->wait_tail = w;
	return w;
}

/* Hand the slot just freed (still counted in open) to the first waiter.
 * False: nobody waits. */
static bool
pk_grant(struct pk_server *s, PGconn *conn, const char *key)
{
	struct pgkeep_waiter *w = s->wait_head;

	if (w == NULL)
		return false;
	s->wait_head = w->next;
	if (s->wait_head == NULL)
		s->wait_tail = NULL;
	w->next = NULL;
	w->granted = true;
	if (conn != NULL && key != NULL && strcmp(key, w->key) == 0)
		w->conn = conn;
	else if (conn != NULL) {
		pgprep_forget(key, conn);
		PQfinish(conn);
	}
	event_active(w->ev, 0, 0);
	return true;
}

void
pgkeep_wait_cancel(struct pgkeep_waiter *w)
{
	struct pk_server *s = w->srv;
	if (w->granted) {
		/* The slot is ours already: pass it on (or give it back). */
		if (w->conn != NULL) {
			pgprep_forget(w->key, w->conn);
			PQfinish(w->conn);
			w->conn = NULL;
		}
		if (!pk_grant(s, NULL, NULL))
			s->open--;
	} else {
		struct pgkeep_waiter *prev = NULL, *c;

		for (c = s->wait_head; c != NULL; prev = c, c = c->next) {
			if (c != w)
				continue;
			if (prev != NULL)
				prev->next = c->next;
			else
				s->wait_head = c->next;
			if (s->wait_tail == c)
				s->wait_tail = prev;
			break;
		}
	}
	event_free(w->ev);
	free(w->key);
	free(w);
}

/* Remove an idle entry from its server's list. */
static void
pk_idle_unlink(struct pk_idle *i)
{
	struct pk_idle **pp;

	for (pp = &i->srv->idle; *pp != NULL; pp = &(*pp)->next)
		if (*pp == i) {
			*pp = i->next;
			return;
		}
}

/* An idle connection became readable: notifications, or the server closed
 * it. A closed one gives its slot back now rather than at the next check. */
static void
pk_idle_readable(evutil_socket_t fd, short what, void *arg)
{
	struct pk_idle *i = arg;
	struct pk_server *s = i->srv;

	(void)fd;
	(void)what;
	if (PQconsumeInput(i->conn) && PQstatus(i->conn) == CONNECTION_OK) {
		pk_dispatch(i->conn, i->key);
		return;		/* EV_PERSIST: still watched */
	}
	pk_idle_unlink(i);
	pk_idle_close(i);
	if (!pk_grant(s, NULL, NULL))
		s->open--;
}

void
pgkeep_put(struct event_base *base, const char *server, const char *key, PGconn *conn)
{
	struct pk_server *s = pk_server(server);
	struct pk_idle *i;

	pk_dispatch(conn, key);		/* what came in during the check */
	if (pk_grant(s, conn, key))
		return;
	i = xcalloc(1, sizeof *i);
	i->srv = s;
	i->key = xstrdup(key);
	i->conn = conn;
	i->ev = event_new(base, PQsocket(conn), EV_READ | EV_PERSIST, pk_idle_readable, i);
	if (i->ev != NULL && event_add(i->ev, NULL) < 0) {
		event_free(i->ev);
		i->ev = NULL;	/* unwatched: pk_alive still checks it before use */
	}
	i->next = s->idle;
	s->idle = i;
}

void
pgkeep_drop(const char *server)
{
	struct pk_server *s = pk_server(server);

	if (!pk_grant(s, NULL, NULL) && s->open > 0)
		s->open--;
}

void
pgkeep_close_idle(void)
{
	struct pk_server *s;

	for (s = pk_servers; s != NULL; s = s->next)
		while (pk_evict_one(s))
			;
}

int
pgkeep_open(const char *server)
{
	struct pk_server *s;

	for (s = pk_servers; s != NULL; s = s->next)
		if (strcmp(s->name, server) == 0)
			return s->open;
	return 0;
}

void
pgkeep_fini(void)
{
	struct pk_server *s;

	pgkeep_close_idle();
	while ((s = pk_servers) != NULL) {
		pk_servers = s->next;
		free(s->name);
		free(s);
	}
}
