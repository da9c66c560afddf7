/* probe_pg.c — probe one PostgreSQL target without ever blocking the loop.
 *
 * A small state machine driven by one-shot libevent events:
 *
 *   connecting   PQconnectStartParams, then PQconnectPoll each time the
 *                socket is ready in the direction libpq asked for; our own
 *                timer bounds the whole handshake (libpq's connect_timeout
 *                is not applied to PQconnectPoll).
 *   sending      PQsendQuery(pgcat_query) and PQflush until it is all out.
 *   reading      PQconsumeInput, then PQgetResult while !PQisBusy until NULL;
 *                a second timer bounds it (the server also gets
 *                statement_timeout, since libpq < 17 has no non-blocking
 *                cancel).
 *
 * libpq resolves a host NAME with a blocking getaddrinfo() inside
 * PQconnectStartParams/PQconnectPoll. So when host= (or PGHOST) holds a name
 * and no hostaddr= is given, pg_resolve.c looks the names up on a worker
 * first, and libpq then gets hostaddr= with one numeric address per host
 * entry: it connects there and still uses host= for TLS verification,
 * .pgpass and messages. With a connection service (service= or PGSERVICE)
 * the host comes from pg_service.conf, which we do not read: unless
 * hostaddr= is given, pg_resolve.c calls PQconnectStartParams on a worker and
 * hands the PGconn back to be polled here. The connect timer covers both
 * ("... (resolving host db1)", "... (starting the connection)").
 *
 * The connection always gets client_encoding=UTF8, whatever the target's
 * string or PGCLIENTENCODING say: the server then converts a LATIN1 (or
 * other) database's CHECK texts and defaults, and everything downstream
 * (catalog, JSON, logs) sees UTF-8.
 *
 * Lifetime: the callback runs on the loop thread exactly once, never from
 * inside probe_pg_start(), unless probe_cancel() came first. Everything
 * (connection, events, timers) is released before the callback runs, and the
 * probe itself right after it. This file also holds the kind-independent
 * probe_cancel() and probe_result_free(). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <event2/event.h>
#include <libpq-fe.h>

#include "pg_resolve.h"
#include "pgkeep.h"
#include "pgcat.h"
#include "pgprep.h"
#include "pgnotice.h"
#include "probe.h"
#include "probe_int.h"
#include "util.h"

enum ppg_state {
	PPG_CONNECTING,
	PPG_SENDING,
	PPG_READING,
};

struct probe_pg {
	struct probe		 probe;		/* must be first: see probe_int.h */
	struct event_base	*base;
	PGconn			*conn;
	struct event		*io;		/* one-shot read or write on PQsocket() */
	struct pg_resolve	*resolve;	/* lookup or service start under way */
	PQconninfoOption	*copts;		/* parsed conninfo, until libpq starts */
	const char		**keys;		/* into copts / ppg_defaults */
	const char		**vals;
	struct event		*timer;		/* connect / query timeout, or deferral */
	enum ppg_state		 state;
	char			*schema;
	struct cat_strv		 patterns;	/* schemas: globs; empty: schema alone */
	struct cat_strv		 tables;	/* what the definition names */
	struct cat_strv		 objects;
	bool			 all;		/* scope: schema: everything */
	char			*version_table;	/* NULL: not read */
	char			*target;	/* for server notices in the log */
	char			*password;	/* only to scrub it from messages */
	struct probe_pg_opts	 opts;
	probe_done_cb		 cb;
	void			*arg;
	int64_t			 started_ms;
	unsigned		 round_trips;
	PGresult		*last;		/* last PGRES_TUPLES_OK result */
	char			*query_error;	/* first error result, one line */
	struct probe_result	*deferred;	/* failure reported from the zero timer */
	bool			 in_callback;
	/* The kept connection and the budget (pgkeep.h). */
	char			*server;	/* host|hostaddr|port|service */
	char			*key;		/* the conninfo: one kept connection each */
	struct pgkeep_waiter	*waiter;	/* queued for a slot */
	bool			 has_slot;
	bool			 reused;	/* p->conn is a kept one, not yet proven */
	bool			 reusable;	/* the query ended, the connection is idle */
	bool			 lost;		/* an error said the connection is gone */
	uint64_t		 prep_id;	/* the prepared catalog query sent (pgprep.h) */
};

/* Defaults added to the target's conninfo unless it sets them itself. */
static const struct {
	const char	*key;
	const char	*val;
} ppg_defaults[] = {
	{ "application_name",	"schemawatchd" },
	{ "keepalives",		"1" },
	{ "keepalives_idle",	"30" },
	{ "keepalives_interval", "10" },
	{ "keepalives_count",	"3" },
};

/* Set on every connection, over what the target says: see the top. */
static const struct {
	const char	*key;
	const char	*val;
} ppg_forced[] = {
	{ "client_encoding",	"UTF8" },
};

static void	ppg_io_cb(evutil_socket_t, short, void *);
static void	ppg_connect_parsed(struct probe_pg *);
static void	ppg_send(struct probe_pg *);

/* ---- results and messages -------------------------------------------- */

static struct probe_result *
result_new(enum probe_status st, char *error)
{
	struct probe_result *r = xcalloc(1, sizeof *r);

	r->status = st;
	r->error = error;
	return r;
}

/* ---- teardown and completion ----------------------------------------- */

static void
ppg_release(struct probe_pg *p)
{
	if (p->io != NULL) {
		event_free(p->io);
		p->io = NULL;
	}
	if (p->resolve != NULL) {
		pg_resolve_cancel(p->resolve);	/* the worker frees it */
		p->resolve = NULL;
	}
	if (p->timer != NULL) {
		event_free(p->timer);
		p->timer = NULL;
	}
	if (p->waiter != NULL) {
		pgkeep_wait_cancel(p->waiter);
		p->waiter = NULL;
	}
	/* A connection is kept only when its query ran to the end: cut in the
	 * middle (timeout, cancel), it may still be busy on the server. */
	if (p->conn != NULL && p->reusable && p->opts.keep) {
		/* The kept connection outlives this probe and its copy of the
		 * target's name: notices while it idles (a server shutting down
		 * says so) must not read freed memory. The next probe that takes
		 * it installs its own name again (ppg_use_kept). */
		pgnotice_install(p->conn, NULL);
		pgkeep_put(p->base, p->server, p->key, p->conn);
	}
	else if (p->conn != NULL) {
		pgprep_forget(p->key, p->conn);
		PQfinish(p->conn);
		pgkeep_drop(p->server);
	} else if (p->has_slot)
		pgkeep_drop(p->server);
	p->conn = NULL;
	p->has_slot = false;
	PQclear(p->last);
	p->last = NULL;
}

static void
ppg_free(struct probe_pg *p)
{
	ppg_release(p);
	PQconninfoFree(p->copts);
	free(p->keys);
	free(p->vals);
	probe_result_free(p->deferred);
	free(p->query_error);
	if (p->password != NULL) {
		memset(p->password, 0, strlen(p->password));
		free(p->password);
	}
	free(p->schema);
	cat_strv_free(&p->tables);
	cat_strv_free(&p->objects);
	cat_strv_free(&p->patterns);
	free(p->version_table);
	free(p->target);
	free(p->server);
	if (p->key != NULL) {
		memset(p->key, 0, strlen(p->key));	/* may hold a password */
		free(p->key);
	}
	free(p);
}

/* Release everything, call back once, free the probe. */
static void
ppg_finish(struct probe_pg *p, struct probe_result *r)
{
	r->round_trips = p->round_trips;
	r->duration_ms = now_ms() - p->started_ms;
	ppg_release(p);
	p->in_callback = true;
	p->cb(r, p->arg);
	p->in_callback = false;
	ppg_free(p);
}

static void
ppg_fail(struct probe_pg *p, enum probe_status st, char *error)
{
	ppg_finish(p, result_new(st, error));
}

/* A kept connection failed before it proved alive in this check: the server
 * closed it meanwhile (pg_terminate_backend, a restart, idle_session_timeout).
 * That is a reconnect, not a failure of the target: connect afresh, once,
 * with the same slot. False when this was not a kept connection. */
static bool
ppg_retry_fresh(struct probe_pg *p)
{
	if (!p->reused)
		return false;
	p->reused = false;
	if (p->io != NULL) {
		event_free(p->io);
		p->io = NULL;
	}
	PQfinish(p->conn);
	p->conn = NULL;
	free(p->query_error);
	p->query_error = NULL;
	PQclear(p->last);
	p->last = NULL;
	p->lost = false;
	p->state = PPG_CONNECTING;
	ppg_connect_parsed(p);
	return true;
}

static void
ppg_conn_fail(struct probe_pg *p, enum probe_status st)
{
	if (ppg_retry_fresh(p))
		return;
	ppg_fail(p, st, pgnotice_login_hint(str_first_line(PQerrorMessage(p->conn),
	    p->password)));
}

static void
ppg_cancel(struct probe *base)
{
	struct probe_pg *p = (struct probe_pg *)base;

	/* From inside its own callback the probe is freed when that returns. */
	if (p->in_callback)
		return;
	ppg_free(p);
}

void
probe_cancel(struct probe *p)
{
	if (p != NULL)
		p->cancel(p);
}

void
probe_close_kept(void)
{
	pgkeep_close_idle();
	pgprep_clear();
	psq_close_kept();
}

/* ---- events and timers ------------------------------------------------ */

/* Wait for the socket once, in one direction. The socket may have changed
 * since the last wait (libpq tries hosts and addresses in turn), so the old
 * event is always dropped and a new one made on the current PQsocket(). */
static int
ppg_arm(struct probe_pg *p, short what)
{
	int fd = PQsocket(p->conn);

	if (p->io != NULL) {
		event_free(p->io);
		p->io = NULL;
	}
	if (fd < 0)
		return -1;
	p->io = event_new(p->base, fd, what, ppg_io_cb, p);
	if (p->io == NULL || event_add(p->io, NULL) < 0)
		return -1;
	return 0;
}

static int
ppg_timer(struct probe_pg *p, int64_t ms, event_callback_fn fn)
{
	struct timeval tv;

	if (p->timer != NULL) {
		event_free(p->timer);
		p->timer = NULL;
	}
	if (ms < 0)
		return 0;
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	p->timer = evtimer_new(p->base, fn, p);
	if (p->timer == NULL || evtimer_add(p->timer, &tv) < 0)
		return -1;
	return 0;
}

static void
ppg_connect_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct probe_pg *p = arg;
	char *doing;

	(void)fd;
	(void)what;
	if (p->resolve != NULL) {
		doing = pg_resolve_doing(p->resolve);
		ppg_fail(p, PROBE_UNREACHABLE, xasprintf("connection timed out after %lldms (%s)",
		    (long long)p->opts.connect_timeout_ms, doing));
		free(doing);
		return;
	}
	ppg_fail(p, PROBE_UNREACHABLE, xasprintf("connection timed out after %lldms",
	    (long long)p->opts.connect_timeout_ms));
}

static void
ppg_query_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct probe_pg *p = arg;

	(void)fd;
	(void)what;
	ppg_fail(p, PROBE_ERROR, xasprintf("query timed out after %lldms",
	    (long long)p->opts.query_timeout_ms));
}

static void
ppg_deferred_cb(evutil_socket_t fd, short what, void *arg)
{
	struct probe_pg *p = arg;
	struct probe_result *r = p->deferred;

	(void)fd;
	(void)what;
	p->deferred = NULL;
	ppg_finish(p, r);
}

/* ---- the query --------------------------------------------------------- */

/* On a connection to keep, the catalog query prepared once and then only
 * executed (pgprep.h): planning it is most of its cost on the server. A
 * connection per check (keep_connections: false) sends it as it is. */
static char *
ppg_prepared(struct probe_pg *p, char *cat_q)
{
	struct cat_want want = { &p->tables, &p->objects, p->all, p->version_table };
	char *q, *pq = NULL, *lit = NULL, *err = NULL;

	p->prep_id = 0;
	if (!p->opts.keep)
		return cat_q;
	/* One schema: the same statement with the schema as its parameter,
	 * shared by every target on this connection (a schema each). */
	if (p->schema != NULL && p->patterns.n == 0 && PQserverVersion(p->conn) >= 120000 &&
	    (lit = PQescapeLiteral(p->conn, p->schema, strlen(p->schema))) != NULL &&
	    (pq = pgcat_query_tables_param(p->conn, &want, p->version_table,
	    &err)) != NULL) {
		q = pgprep_text(p->key, PQbackendPID(p->conn), pq, lit, &p->prep_id);
		free(pq);
	} else
		q = pgprep_text(p->key, PQbackendPID(p->conn), cat_q, NULL, &p->prep_id);
	free(err);
	if (lit != NULL)
		PQfreemem(lit);
	free(cat_q);
	return q;
}

/* statement_timeout and lock_timeout for the query's own implicit
 * transaction only, then the catalog query (its last result is the row). */
static char *
ppg_query_text(struct probe_pg *p, char **err)
{
	struct cat_want want = { &p->tables, &p->objects, p->all, p->version_table };
	char *cat_q, *q;

	if (p->patterns.n > 0)
		cat_q = pgcat_query_schemas(p->conn, &p->patterns, &want, p->version_table, err);
	else
		cat_q = pgcat_query_tables(p->conn, p->schema, &want, p->version_table, err);
	if (cat_q == NULL)
		return NULL;
	cat_q = ppg_prepared(p, cat_q);
	/* A new kept connection subscribes once; its notifications are heard
	 * while it is idle (pgkeep.c). */
	if (p->opts.listen != NULL && p->opts.keep && !p->reused) {
		q = xasprintf("LISTEN %s;\n%s", p->opts.listen, cat_q);
		free(cat_q);
		cat_q = q;
	}
	if (p->opts.query_timeout_ms > 0)
		q = xasprintf("SET LOCAL statement_timeout = %lld;\n"
		    "SET LOCAL lock_timeout = %lld;\n%s",
		    (long long)p->opts.query_timeout_ms,
		    (long long)p->opts.query_timeout_ms, cat_q);
	else
		q = xstrdup(cat_q);
	free(cat_q);
	return q;
}

static void
ppg_flush(struct probe_pg *p)
{
	int r = PQflush(p->conn);

	if (r < 0)
		ppg_conn_fail(p, PROBE_ERROR);
	else if (ppg_arm(p, r == 1 ? EV_WRITE : EV_READ) < 0)
		ppg_fail(p, PROBE_ERROR, xstrdup("cannot watch the connection socket"));
	else
		p->state = r == 1 ? PPG_SENDING : PPG_READING;
}

static void
ppg_send(struct probe_pg *p)
{
	char *q, *err = NULL;

	if (PQsetnonblocking(p->conn, 1) != 0) {
		ppg_conn_fail(p, PROBE_ERROR);
		return;
	}
	if ((q = ppg_query_text(p, &err)) == NULL) {
		ppg_fail(p, PROBE_ERROR, err);
		return;
	}
	if (!PQsendQuery(p->conn, q)) {
		free(q);
		ppg_conn_fail(p, PROBE_ERROR);
		return;
	}
	free(q);
	p->round_trips++;
	if (p->opts.query_timeout_ms > 0 &&
	    ppg_timer(p, p->opts.query_timeout_ms, ppg_query_timeout_cb) < 0) {
		ppg_fail(p, PROBE_ERROR, xstrdup("cannot arm the query timer"));
		return;
	}
	if (p->opts.query_timeout_ms <= 0)
		ppg_timer(p, -1, NULL);		/* drop the connect timer */
	ppg_flush(p);
}

/* The query failed because the connection went away under it: class 57P
 * (operator intervention: admin or crash shutdown) or 08 (connection
 * exception) was reported, or libpq saw the socket close. */
static bool
ppg_conn_lost(struct probe_pg *p)
{
	return PQstatus(p->conn) == CONNECTION_BAD || p->lost;
}

static void
ppg_note_sqlstate(struct probe_pg *p, const PGresult *res)
{
	const char *st = PQresultErrorField(res, PG_DIAG_SQLSTATE);

	if (st != NULL && (strncmp(st, "57P", 3) == 0 || strncmp(st, "08", 2) == 0))
		p->lost = true;
}

/* Keep the last row set; remember the first error. */
static void
ppg_take(struct probe_pg *p, PGresult *res)
{
	switch (PQresultStatus(res)) {
	case PGRES_TUPLES_OK:
		PQclear(p->last);
		p->last = res;
		return;
	case PGRES_COMMAND_OK:
		break;
	default:
		ppg_note_sqlstate(p, res);
		if (p->query_error == NULL)
			p->query_error = str_first_line(PQresultErrorMessage(res), p->password);
		break;
	}
	PQclear(res);
}

/* schemas: one catalog per matching schema from the one row. */
static void
ppg_done_schemas(struct probe_pg *p)
{
	struct probe_result *r = result_new(PROBE_OK, NULL);
	char *err = NULL;

	r->per_schema = true;
	if (pgcat_from_result_schemas(p->last, &r->schemas, &r->nschemas, &err) < 0) {
		probe_result_free(r);
		ppg_fail(p, PROBE_ERROR, err);
		return;
	}
	ppg_finish(p, r);
}

static void
ppg_done(struct probe_pg *p)
{
	struct probe_result *r;
	char *err = NULL;
	struct catalog *cat;
	struct cat_version ver = { false, false, NULL };

	if (p->query_error != NULL && ppg_conn_lost(p) && ppg_retry_fresh(p))
		return;
	p->reused = false;	/* it answered: from here on, failures are real */
	if (p->query_error != NULL) {
		err = p->query_error;
		p->query_error = NULL;
		ppg_fail(p, PROBE_ERROR, err);
		return;
	}
	if (p->patterns.n > 0) {
		ppg_done_schemas(p);
		return;
	}
	if ((cat = pgcat_from_result_version(p->last, &ver, &err)) == NULL) {
		ppg_fail(p, PROBE_ERROR, err);
		return;
	}
	r = result_new(PROBE_OK, NULL);
	r->cat = cat;
	r->version = ver;
	ppg_finish(p, r);
}

static void
ppg_read(struct probe_pg *p)
{
	PGresult *res;

	if (!PQconsumeInput(p->conn)) {
		ppg_conn_fail(p, PROBE_ERROR);
		return;
	}
	while (!PQisBusy(p->conn)) {
		if ((res = PQgetResult(p->conn)) == NULL) {
			p->reusable = !ppg_conn_lost(p) &&
			    PQtransactionStatus(p->conn) == PQTRANS_IDLE;
			pgprep_done(p->key, PQbackendPID(p->conn), p->prep_id,
			    p->query_error == NULL && p->reusable);
			ppg_done(p);
			return;
		}
		ppg_take(p, res);
	}
	if (ppg_arm(p, EV_READ) < 0)
		ppg_fail(p, PROBE_ERROR, xstrdup("cannot watch the connection socket"));
}

/* ---- connecting ------------------------------------------------------- */

static void
ppg_poll(struct probe_pg *p)
{
	switch (PQconnectPoll(p->conn)) {
	case PGRES_POLLING_READING:
		if (ppg_arm(p, EV_READ) < 0)
			ppg_conn_fail(p, PROBE_UNREACHABLE);
		break;
	case PGRES_POLLING_WRITING:
		if (ppg_arm(p, EV_WRITE) < 0)
			ppg_conn_fail(p, PROBE_UNREACHABLE);
		break;
	case PGRES_POLLING_OK:
		ppg_send(p);
		break;
	case PGRES_POLLING_FAILED:
	default:
		ppg_conn_fail(p, PROBE_UNREACHABLE);
		break;
	}
}

static void
ppg_io_cb(evutil_socket_t fd, short what, void *arg)
{
	struct probe_pg *p = arg;

	(void)fd;
	(void)what;
	switch (p->state) {
	case PPG_CONNECTING:
		ppg_poll(p);
		break;
	case PPG_SENDING:
		ppg_flush(p);
		break;
	case PPG_READING:
		ppg_read(p);
		break;
	}
}

static bool
ppg_is_forced(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof ppg_forced / sizeof ppg_forced[0]; i++)
		if (strcmp(ppg_forced[i].key, key) == 0)
			return true;
	return false;
}

/* Parse the target's conninfo (key=value or URI), set what we force and add
 * our defaults for what it leaves unset. Returns NULL-terminated arrays pointing into *opts,
 * with a spare slot for the hostaddr a host-name lookup may add. */
static int
ppg_params(const char *conninfo, PQconninfoOption **opts, const char ***keys,
    const char ***vals, char **password, char **err)
{
	const size_t ndef = sizeof ppg_defaults / sizeof ppg_defaults[0];
	const size_t nforced = sizeof ppg_forced / sizeof ppg_forced[0];
	PQconninfoOption *o;
	char *perr = NULL;
	size_t n = 0, i;

	if ((*opts = PQconninfoParse(conninfo, &perr)) == NULL) {
		char *why = probe_redact_quoted(perr != NULL ? perr : "syntax error");

		PQfreemem(perr);
		*err = xasprintf("invalid connection string: %s", why);
		free(why);
		return -1;
	}
	for (o = *opts; o->keyword != NULL; o++)
		n++;
	*keys = xcalloc(n + ndef + nforced + 2, sizeof **keys);
	*vals = xcalloc(n + ndef + nforced + 2, sizeof **vals);
	n = 0;
	for (i = 0; i < nforced; i++) {
		(*keys)[n] = ppg_forced[i].key;
		(*vals)[n++] = ppg_forced[i].val;
	}
	for (o = *opts; o->keyword != NULL; o++) {
		if (o->val == NULL || ppg_is_forced(o->keyword))
			continue;
		if (strcmp(o->keyword, "password") == 0 && o->val[0] != '\0')
			*password = xstrdup(o->val);
		(*keys)[n] = o->keyword;
		(*vals)[n++] = o->val;
	}
	for (i = 0; i < ndef; i++) {
		for (o = *opts; o->keyword != NULL; o++)
			if (strcmp(o->keyword, ppg_defaults[i].key) == 0)
				break;
		if (o->keyword != NULL && o->val != NULL)
			continue;	/* the target chose its own */
		(*keys)[n] = ppg_defaults[i].key;
		(*vals)[n++] = ppg_defaults[i].val;
	}
	return 0;
}

/* Report a failure from the next loop pass, never from inside start(). */
static void
ppg_defer(struct probe_pg *p, enum probe_status st, char *error)
{
	p->deferred = result_new(st, error);
	if (ppg_timer(p, 0, ppg_deferred_cb) < 0)
		abort();	/* libevent could not add a timer: out of memory */
}

static const char *
ppg_param(struct probe_pg *p, const char *key)
{
	size_t i;

	for (i = 0; p->keys[i] != NULL; i++)
		if (strcmp(p->keys[i], key) == 0)
			return p->vals[i];
	return NULL;
}

/* Replace key's value, or take the spare slot ppg_params() left. */
static void
ppg_param_set(struct probe_pg *p, const char *key, const char *val)
{
	size_t i;

	for (i = 0; p->keys[i] != NULL; i++)
		if (strcmp(p->keys[i], key) == 0)
			break;
	p->keys[i] = key;
	p->vals[i] = val;
}

/* libpq has started p->conn (here or on a worker): wait for the socket. */
static void
ppg_libpq_started(struct probe_pg *p)
{
	if (p->conn == NULL) {
		ppg_defer(p, PROBE_UNREACHABLE, xstrdup("out of memory starting a connection"));
		return;
	}
	if (PQstatus(p->conn) == CONNECTION_BAD) {
		ppg_defer(p, PROBE_UNREACHABLE, str_first_line(PQerrorMessage(p->conn), p->password));
		return;
	}
	/* From the first message on: the server may talk while we connect. */
	pgnotice_install(p->conn, p->target);
	/* libpq's protocol: after PQconnectStart, wait until writable first. */
	if (ppg_arm(p, EV_WRITE) < 0)
		ppg_defer(p, PROBE_UNREACHABLE, str_first_line(PQerrorMessage(p->conn), p->password));
}

/* Hand the (parsed) options to libpq, plus hostaddr when a lookup made one. */
static void
ppg_libpq_start(struct probe_pg *p, const char *hostaddr)
{
	if (hostaddr != NULL)
		ppg_param_set(p, "hostaddr", hostaddr);
	/* expand_dbname = 0: the string was parsed already. */
	p->conn = PQconnectStartParams(p->keys, p->vals, 0);
	free(p->keys);
	free(p->vals);
	PQconninfoFree(p->copts);
	p->keys = p->vals = NULL;
	p->copts = NULL;
	ppg_libpq_started(p);
}

/* ---- the blocking first steps, on a worker (pg_resolve.c) ------------ */

/* Loop thread: the lookup or service start has answered. */
static void
ppg_resolved(struct pg_resolve_answer *a, void *arg)
{
	struct probe_pg *p = arg;

	p->resolve = NULL;
	if (a->error != NULL) {
		ppg_fail(p, PROBE_UNREACHABLE, a->error);
		return;
	}
	/* Failures from here on are deferred: p lives on. */
	if (a->conn != NULL) {
		p->conn = a->conn;
		ppg_libpq_started(p);
	} else
		ppg_libpq_start(p, a->hostaddr);
	free(a->hostaddr);
}

/* PQconnectStartParams on a worker, which takes the parameters with it. */
static void
ppg_start_off_loop(struct probe_pg *p)
{
	p->resolve = pg_resolve_connect(p->base, p->copts, p->keys, p->vals, ppg_resolved, p);
	p->copts = NULL;
	p->keys = p->vals = NULL;
}

/* A connection service is in use: libpq reads service= from the string, or
 * PGSERVICE when the string has no service= at all. */
static bool
ppg_uses_service(struct probe_pg *p)
{
	const char *svc = ppg_param(p, "service");

	if (svc == NULL)
		svc = getenv("PGSERVICE");
	return svc != NULL && svc[0] != '\0';
}

/* hostaddr= is set non-empty in the string, or (absent there) in PGHOSTADDR:
 * libpq connects to that numeric address and looks up no name. */
static bool
ppg_hostaddr_given(struct probe_pg *p)
{
	const char *addr = ppg_param(p, "hostaddr");

	if (addr == NULL)
		addr = getenv("PGHOSTADDR");
	return addr != NULL && addr[0] != '\0';
}

/* The host= list to resolve before libpq starts, or NULL when libpq will not
 * look up a name: hostaddr= is given or host= has no name. */
static const char *
ppg_host_to_resolve(struct probe_pg *p)
{
	const char *host = ppg_param(p, "host");

	if (ppg_hostaddr_given(p))
		return NULL;
	/* What the string leaves unset libpq takes from PGHOST. */
	if (host == NULL)
		host = getenv("PGHOST");
	return pg_resolve_needs_lookup(host) ? host : NULL;
}

/* Connect with the parameters ppg_params() made (the slot is held). */
static void
ppg_connect_parsed(struct probe_pg *p)
{
	const char *host;

	/* Armed before any lookup: the connect timeout covers it too. */
	if (p->opts.connect_timeout_ms > 0 &&
	    ppg_timer(p, p->opts.connect_timeout_ms, ppg_connect_timeout_cb) < 0) {
		ppg_defer(p, PROBE_UNREACHABLE, xstrdup("cannot arm the connect timer"));
		return;
	}
	/* With a service the host is in a file we do not read: let libpq read it
	 * and look the host up, on a worker. With hostaddr= there is no lookup,
	 * and reading the (local) service file on the loop is as before. */
	if (ppg_uses_service(p) && !ppg_hostaddr_given(p))
		ppg_start_off_loop(p);
	else if (!ppg_uses_service(p) && (host = ppg_host_to_resolve(p)) != NULL)
		p->resolve = pg_resolve_hosts(p->base, host, ppg_resolved, p);
	else
		ppg_libpq_start(p, NULL);
}

/* What identifies the server for the budget: where libpq will connect, as
 * the string and the environment say (the service name stands for what its
 * file says). Two spellings of one server count apart; good enough. */
static char *
ppg_server_name(struct probe_pg *p)
{
	const char *v[4], *names[4] = { "service", "host", "hostaddr", "port" };
	const char *env[4] = { "PGSERVICE", "PGHOST", "PGHOSTADDR", "PGPORT" };
	size_t i;

	for (i = 0; i < 4; i++) {
		v[i] = ppg_param(p, names[i]);
		if (v[i] == NULL)
			v[i] = getenv(env[i]);
		if (v[i] == NULL)
			v[i] = "";
	}
	return xasprintf("%s|%s|%s|%s", v[0], v[1], v[2], v[3]);
}

/* The kept connection starts with the query: from the next loop pass, as
 * the callback must never run inside probe_pg_start(). */
static void
ppg_kept_cb(evutil_socket_t fd, short what, void *arg)
{
	struct probe_pg *p = arg;

	(void)fd;
	(void)what;
	ppg_send(p);
}

static void
ppg_use_kept(struct probe_pg *p, PGconn *conn)
{
	p->conn = conn;
	p->reused = true;
	pgnotice_install(conn, p->target);
	if (ppg_timer(p, 0, ppg_kept_cb) < 0)
		abort();	/* libevent could not add a timer: out of memory */
}

/* Loop thread: our turn has come (pgkeep.h). */
static void
ppg_granted(PGconn *conn, void *arg)
{
	struct probe_pg *p = arg;

	p->waiter = NULL;
	p->has_slot = true;
	p->started_ms = now_ms();	/* the timeouts count from here */
	if (conn != NULL) {
		p->conn = conn;
		p->reused = true;
		pgnotice_install(conn, p->target);
		ppg_send(p);
	} else
		ppg_connect_parsed(p);
}

static void
ppg_connect(struct probe_pg *p, const char *conninfo)
{
	char *err = NULL;
	PGconn *kept;

	if (ppg_params(conninfo, &p->copts, &p->keys, &p->vals, &p->password, &err) < 0) {
		ppg_defer(p, PROBE_UNREACHABLE, err);
		return;
	}
	p->server = ppg_server_name(p);
	p->key = xstrdup(conninfo);
	switch (pgkeep_take(p->server, p->key, p->opts.max_per_server, &kept)) {
	case PGKEEP_KEPT:
		p->has_slot = true;
		ppg_use_kept(p, kept);
		break;
	case PGKEEP_SLOT:
		p->has_slot = true;
		ppg_connect_parsed(p);
		break;
	case PGKEEP_FULL:
		p->waiter = pgkeep_wait(p->base, p->server, p->key, ppg_granted, p);
		break;
	}
}

struct probe *
probe_pg_start(struct event_base *base, const char *conninfo, const char *schema,
    const struct probe_pg_opts *opts, probe_done_cb cb, void *arg)
{
	struct probe_pg *p = xcalloc(1, sizeof *p);

	p->probe.kind = PROBE_KIND_PG;
	p->probe.cancel = ppg_cancel;
	p->base = base;
	p->state = PPG_CONNECTING;
	p->schema = xstrdup(schema != NULL ? schema : "public");
	if (opts != NULL) {
		p->opts = *opts;
		/* Copies: a reload may free the definition while the probe runs. */
		for (int i = 0; opts->what.tables != NULL && i < opts->what.tables->n; i++)
			cat_strv_add(&p->tables, opts->what.tables->v[i]);
		for (int i = 0; opts->what.objects != NULL && i < opts->what.objects->n; i++)
			cat_strv_add(&p->objects, opts->what.objects->v[i]);
		p->all = opts->what.all;
		p->opts.what.objects = NULL;
		for (int i = 0; opts->schemas != NULL && i < opts->schemas->n; i++)
			cat_strv_add(&p->patterns, opts->schemas->v[i]);
		p->opts.schemas = NULL;
		if (opts->what.version_table != NULL)
			p->version_table = xstrdup(opts->what.version_table);
		p->opts.what.tables = NULL;
		p->opts.what.version_table = NULL;
	}
	/* The target's name may go with a reload while the probe runs. */
	p->target = xstrdup(opts != NULL && opts->target != NULL ? opts->target : "?");
	p->opts.target = p->target;
	p->cb = cb;
	p->arg = arg;
	p->started_ms = now_ms();
	ppg_connect(p, conninfo != NULL ? conninfo : "");
	return &p->probe;
}
