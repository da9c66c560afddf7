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
 * and no hostaddr= is given, a worker thread resolves the names first
 * (worker.c, like probe_sqlite.c), and libpq then gets
 * hostaddr= with one numeric address per host entry: it connects there and
 * still uses host= for TLS verification, .pgpass and messages. The connect
 * timer covers the lookup. Trade-off: only the FIRST address of each name is
 * used, so libpq's fallback to a name's other addresses is lost.
 *
 * With a connection service (service= or PGSERVICE) the host comes from
 * pg_service.conf, which we do not read. Unless hostaddr= is given, the worker
 * then calls PQconnectStartParams itself: it reads the service file and runs
 * the first PQconnectPoll step (connectDBStart), which is where libpq looks up
 * the first host and starts its non-blocking connect(). The worker hands the
 * PGconn back through the pipe and the loop polls it from there on. libpq
 * allows that: a PGconn may move between threads as long as no two use it at
 * once, and here only one thread ever holds it (worker.c orders the handoff).
 * The connect timer covers this phase too ("... (starting the connection)").
 * Limitation: if the service lists several hosts (host=a,b) and the first
 * fails later in the handshake, PQconnectPoll on the loop looks up the next
 * name itself, blocking; only the first host's lookup is off the loop.
 *
 * Lifetime: the callback runs on the loop thread exactly once, never from
 * inside probe_pg_start(), unless probe_cancel() came first. Everything
 * (connection, events, timers) is released before the callback runs, and the
 * probe itself right after it. This file also holds the kind-independent
 * probe_cancel() and probe_result_free(). */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <arpa/inet.h>

#include <event2/event.h>
#include <libpq-fe.h>

#include "pgcat.h"
#include "pgnotice.h"
#include "probe.h"
#include "probe_int.h"
#include "util.h"
#include "worker.h"

enum ppg_state {
	PPG_CONNECTING,
	PPG_SENDING,
	PPG_READING,
};

struct ppg_lookup;

struct probe_pg {
	struct probe		 probe;		/* must be first: see probe_int.h */
	struct event_base	*base;
	PGconn			*conn;
	struct event		*io;		/* one-shot read or write on PQsocket() */
	struct ppg_lookup	*lookup;	/* worker job (host-name lookup or
						   connection start) under way, or NULL */
	struct worker		*job;		/* the worker running it, or NULL */
	PQconninfoOption	*copts;		/* parsed conninfo, until libpq starts */
	const char		**keys;		/* into copts / ppg_defaults */
	const char		**vals;
	struct event		*timer;		/* connect / query timeout, or deferral */
	enum ppg_state		 state;
	char			*schema;
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

static void	ppg_io_cb(evutil_socket_t, short, void *);
static void	ppg_lookup_drop(struct probe_pg *);
static char	*ppg_lookup_timeout_msg(struct probe_pg *);

/* ---- results and messages -------------------------------------------- */

void
probe_result_free(struct probe_result *r)
{
	if (r == NULL)
		return;
	free(r->error);
	cat_free(r->cat);
	free(r);
}

/* libpq's conninfo syntax errors quote pieces of the string, which may be
 * the password: blank out everything between double quotes. */
static char *
redact_quoted(const char *msg)
{
	struct sbuf sb;
	bool quoted = false;
	char *line = str_first_line(msg, NULL), *p;

	sbuf_init(&sb);
	for (p = line; *p != '\0'; p++) {
		if (*p == '"') {
			sbuf_add(&sb, quoted ? "\"" : "\"...");
			quoted = !quoted;
		} else if (!quoted)
			sbuf_addc(&sb, *p);
	}
	free(line);
	return sbuf_steal(&sb);
}

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
	ppg_lookup_drop(p);
	if (p->timer != NULL) {
		event_free(p->timer);
		p->timer = NULL;
	}
	if (p->conn != NULL) {
		PQfinish(p->conn);
		p->conn = NULL;
	}
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

static void
ppg_conn_fail(struct probe_pg *p, enum probe_status st)
{
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

	(void)fd;
	(void)what;
	if (p->lookup != NULL) {
		ppg_fail(p, PROBE_UNREACHABLE, ppg_lookup_timeout_msg(p));
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

static void
ppg_quiet_notices(void *arg, const char *msg)
{
	/* Server notices would go to stderr by default; the probe has no use
	 * for them and the daemon's log must stay its own. */
	(void)arg;
	(void)msg;
}

/* statement_timeout and lock_timeout for the query's own implicit
 * transaction only, then the catalog query (its last result is the row). */
static char *
ppg_query_text(struct probe_pg *p, char **err)
{
	char *cat_q, *q;

	if ((cat_q = pgcat_query(p->conn, p->schema, err)) == NULL)
		return NULL;
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

	PQsetNoticeProcessor(p->conn, ppg_quiet_notices, NULL);
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
		if (p->query_error == NULL)
			p->query_error = str_first_line(PQresultErrorMessage(res), p->password);
		break;
	}
	PQclear(res);
}

static void
ppg_done(struct probe_pg *p)
{
	struct probe_result *r;
	char *err = NULL;
	struct catalog *cat;

	if (p->query_error != NULL) {
		err = p->query_error;
		p->query_error = NULL;
		ppg_fail(p, PROBE_ERROR, err);
		return;
	}
	if ((cat = pgcat_from_result(p->last, &err)) == NULL) {
		ppg_fail(p, PROBE_ERROR, err);
		return;
	}
	r = result_new(PROBE_OK, NULL);
	r->cat = cat;
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

/* Parse the target's conninfo (key=value or URI) and add our defaults for
 * what it leaves unset. Returns NULL-terminated arrays pointing into *opts,
 * with a spare slot for the hostaddr a host-name lookup may add. */
static int
ppg_params(const char *conninfo, PQconninfoOption **opts, const char ***keys,
    const char ***vals, char **password, char **err)
{
	const size_t ndef = sizeof ppg_defaults / sizeof ppg_defaults[0];
	PQconninfoOption *o;
	char *perr = NULL;
	size_t n = 0, i;

	if ((*opts = PQconninfoParse(conninfo, &perr)) == NULL) {
		char *why = redact_quoted(perr != NULL ? perr : "syntax error");

		PQfreemem(perr);
		*err = xasprintf("invalid connection string: %s", why);
		free(why);
		return -1;
	}
	for (o = *opts; o->keyword != NULL; o++)
		n++;
	*keys = xcalloc(n + ndef + 2, sizeof **keys);
	*vals = xcalloc(n + ndef + 2, sizeof **vals);
	n = 0;
	for (o = *opts; o->keyword != NULL; o++) {
		if (o->val == NULL)
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

/* ---- host names, resolved off the loop -------------------------------- */

/* What one entry of a host= list is, told apart the way libpq does. */
enum ppg_host_kind {
	PPG_HOST_DEFAULT,	/* empty: libpq's default socket directory */
	PPG_HOST_SOCKET,	/* a directory ('/') or abstract namespace ('@') */
	PPG_HOST_NUMERIC,	/* an IPv4 or IPv6 literal: no lookup */
	PPG_HOST_NAME,		/* needs getaddrinfo() */
};

static enum ppg_host_kind
ppg_host_kind(const char *s, size_t len)
{
	unsigned char addr[sizeof(struct in6_addr)];
	char *h;
	bool numeric;

	if (len == 0)
		return PPG_HOST_DEFAULT;
	if (s[0] == '/' || s[0] == '@')
		return PPG_HOST_SOCKET;
	h = xstrndup(s, len);
	numeric = inet_pton(AF_INET, h, addr) == 1 || inet_pton(AF_INET6, h, addr) == 1;
	free(h);
	return numeric ? PPG_HOST_NUMERIC : PPG_HOST_NAME;
}

/* Does a host= value (comma-separated, as libpq splits it: no escapes)
 * hold at least one name that libpq would look up? */
bool
probe_pg_needs_resolution(const char *host)
{
	const char *s = host;
	size_t len;

	while (s != NULL) {
		len = strcspn(s, ",");
		if (ppg_host_kind(s, len) == PPG_HOST_NAME)
			return true;
		s = s[len] == ',' ? s + len + 1 : NULL;
	}
	return false;
}

/* The resolver the worker calls: a seam for tests (a slow DNS). */
int	(*probe_pg_getaddrinfo)(const char *, const char *, const struct addrinfo *,
	    struct addrinfo **) = getaddrinfo;

/* The connection start the worker calls for a service: a seam for tests. */
PGconn	*(*probe_pg_connect_start)(const char *const *, const char *const *, int) =
	    PQconnectStartParams;

static atomic_int ppg_lookups_live;	/* worker jobs not yet freed, for tests */

int
probe_pg_lookups_live(void)
{
	return atomic_load(&ppg_lookups_live);
}

/* What a worker does before libpq can be polled on the loop. */
enum ppg_job {
	PPG_JOB_RESOLVE,	/* look up the names of a host= list */
	PPG_JOB_START,		/* PQconnectStartParams, for a connection service */
};

/* One worker job (worker.c). The probe may time out or be cancelled while
 * the worker still runs: then the job is freed by worker.c's drop, on the
 * worker once it returns, so the loop never waits for a slow resolver. A
 * connection the probe never took is closed by that free. */
struct ppg_lookup {
	struct probe_pg	*p;		/* loop side: the probe, while it listens */
	atomic_size_t	 current;	/* the entry being resolved */
	enum ppg_job	 job;		/* set before the worker starts */
	/* PPG_JOB_START: the parameters, owned (the probe may be freed while
	 * the worker still reads them). */
	PQconninfoOption *copts;
	const char	**keys;
	const char	**vals;
	/* Written by the worker; read by the loop once worker.c says done. */
	PGconn		*conn;		/* PPG_JOB_START: until the loop takes it */
	size_t		 n;
	char		**hosts;	/* the host= entries, as given */
	char		**addrs;	/* numeric address per entry; NULL: none (socket) */
	char		*error;		/* the first entry that did not resolve */
};

static void
ppg_lookup_free(void *arg)
{
	struct ppg_lookup *lk = arg;
	size_t i;

	for (i = 0; i < lk->n; i++) {
		free(lk->hosts[i]);
		free(lk->addrs[i]);
	}
	free(lk->hosts);
	free(lk->addrs);
	free(lk->error);
	if (lk->conn != NULL)
		PQfinish(lk->conn);	/* started, but the probe was gone */
	PQconninfoFree(lk->copts);
	free(lk->keys);
	free(lk->vals);
	free(lk);
	atomic_fetch_sub(&ppg_lookups_live, 1);
}

/* The first address getaddrinfo() gives, as numeric text: libpq would try
 * them all, but hostaddr= takes one per host entry. */
static char *
ppg_resolve_one(const char *host, char **err)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res = NULL;
	char buf[NI_MAXHOST];
	int rc, saved;

	rc = probe_pg_getaddrinfo(host, NULL, &hints, &res);
	saved = errno;
	if (rc == 0 && res == NULL)
		rc = EAI_NONAME;
	if (rc == 0)
		rc = getnameinfo(res->ai_addr, res->ai_addrlen, buf, sizeof buf, NULL, 0,
		    NI_NUMERICHOST);
	if (res != NULL)
		freeaddrinfo(res);
	if (rc != 0) {
		/* libpq's wording, so messages read the same either way. */
		*err = xasprintf("could not translate host name \"%s\" to address: %s", host,
		    rc == EAI_SYSTEM ? strerror(saved) : gai_strerror(rc));
		return NULL;
	}
	return xstrdup(buf);
}

static void
ppg_resolve_work(struct worker *w, struct ppg_lookup *lk)
{
	enum ppg_host_kind kind;
	bool stop = false;
	size_t i;

	for (i = 0; i < lk->n && !stop && lk->error == NULL; i++) {
		kind = ppg_host_kind(lk->hosts[i], strlen(lk->hosts[i]));
		if (kind == PPG_HOST_NUMERIC)
			lk->addrs[i] = xstrdup(lk->hosts[i]);
		if (kind != PPG_HOST_NAME)
			continue;
		stop = worker_abandoned(w);	/* cancelled or timed out: skip the rest */
		atomic_store(&lk->current, i);
		if (!stop)
			lk->addrs[i] = ppg_resolve_one(lk->hosts[i], &lk->error);
	}
}

/* PQconnectStartParams reads the service file and, in its first
 * PQconnectPoll step, resolves the first host: both may block, so here. */
static void
ppg_start_work(struct worker *w, struct ppg_lookup *lk)
{
	if (worker_abandoned(w))
		return;		/* cancelled before we ran: do not connect */
	/* expand_dbname = 0: the string was parsed already. */
	lk->conn = probe_pg_connect_start(lk->keys, lk->vals, 0);
	if (lk->conn == NULL)
		lk->error = xstrdup("out of memory starting a connection");
}

/* Worker thread. If the probe has gone by the time this returns, worker.c
 * drops the job: the lookup, and a connection started for nobody, are freed
 * there on the worker. */
static void
ppg_lookup_work(struct worker *w, void *arg)
{
	struct ppg_lookup *lk = arg;

	if (lk->job == PPG_JOB_START)
		ppg_start_work(w, lk);
	else
		ppg_resolve_work(w, lk);
}

/* Loop side: stop listening; the worker frees the lookup if it still runs. */
static void
ppg_lookup_drop(struct probe_pg *p)
{
	if (p->job == NULL)
		return;
	worker_abandon(p->job);
	p->job = NULL;
	p->lookup = NULL;
}

static char *
ppg_lookup_timeout_msg(struct probe_pg *p)
{
	struct ppg_lookup *lk = p->lookup;
	const char *host;

	if (lk->job == PPG_JOB_START)
		return xasprintf("connection timed out after %lldms (starting the connection)",
		    (long long)p->opts.connect_timeout_ms);
	host = lk->hosts[atomic_load(&lk->current)];	/* the entries never change */
	return xasprintf("connection timed out after %lldms (resolving host %s)",
	    (long long)p->opts.connect_timeout_ms, host);
}

/* hostaddr= for libpq: one entry per host entry, empty for sockets. */
static char *
ppg_hostaddr_list(const struct ppg_lookup *lk)
{
	struct sbuf sb;
	size_t i;

	sbuf_init(&sb);
	for (i = 0; i < lk->n; i++) {
		if (i > 0)
			sbuf_addc(&sb, ',');
		sbuf_add(&sb, lk->addrs[i] != NULL ? lk->addrs[i] : "");
	}
	return sbuf_steal(&sb);
}

/* Loop thread: the worker has answered (worker.c has freed p->job). */
static void
ppg_lookup_done(void *arg)
{
	struct ppg_lookup *lk = arg;
	struct probe_pg *p = lk->p;
	char *err, *hostaddr = NULL;
	enum ppg_job job = lk->job;
	PGconn *conn = NULL;

	p->job = NULL;
	p->lookup = NULL;
	err = lk->error;
	lk->error = NULL;
	if (err == NULL && job == PPG_JOB_START) {
		conn = lk->conn;	/* the loop thread's from now on */
		lk->conn = NULL;
	} else if (err == NULL)
		hostaddr = ppg_hostaddr_list(lk);
	ppg_lookup_free(lk);
	if (err != NULL) {
		ppg_fail(p, PROBE_UNREACHABLE, err);
		return;
	}
	/* Failures from here on are deferred: p lives on. */
	if (job == PPG_JOB_START) {
		p->conn = conn;
		ppg_libpq_started(p);
	} else
		ppg_libpq_start(p, hostaddr);
	free(hostaddr);
}

static struct ppg_lookup *
ppg_lookup_new(enum ppg_job job)
{
	struct ppg_lookup *lk = xcalloc(1, sizeof *lk);

	atomic_fetch_add(&ppg_lookups_live, 1);
	lk->job = job;
	return lk;
}

/* Start the worker on lk; ppg_lookup_done() goes on. */
static void
ppg_lookup_run(struct probe_pg *p, struct ppg_lookup *lk)
{
	enum worker_fail fail;
	char *err;

	lk->p = p;
	p->job = worker_start(p->base, ppg_lookup_work, ppg_lookup_done, ppg_lookup_free,
	    lk, &fail);
	if (p->job == NULL) {
		/* Still answer from the loop, never from inside start(). */
		if (fail == WORKER_FAIL_WATCH)
			err = xstrdup("cannot watch the lookup pipe");
		else
			err = xasprintf("%s: %s", worker_fail_what(fail), strerror(errno));
		ppg_lookup_free(lk);
		ppg_defer(p, PROBE_UNREACHABLE, err);
		return;
	}
	p->lookup = lk;
}

/* Resolve the entries of host on a worker. */
static void
ppg_lookup_start(struct probe_pg *p, const char *host)
{
	struct ppg_lookup *lk = ppg_lookup_new(PPG_JOB_RESOLVE);
	const char *s = host;
	bool named = false;
	size_t len, i;

	for (lk->n = 1; *s != '\0'; s++)
		lk->n += *s == ',';
	lk->hosts = xcalloc(lk->n, sizeof *lk->hosts);
	lk->addrs = xcalloc(lk->n, sizeof *lk->addrs);
	for (i = 0, s = host; i < lk->n; i++, s += len + 1) {
		len = strcspn(s, ",");
		lk->hosts[i] = xstrndup(s, len);
		if (!named && ppg_host_kind(s, len) == PPG_HOST_NAME) {
			lk->current = i;	/* what a timeout names until the worker runs */
			named = true;
		}
	}
	ppg_lookup_run(p, lk);
}

/* PQconnectStartParams on a worker, which takes the parameters with it. */
static void
ppg_start_off_loop(struct probe_pg *p)
{
	struct ppg_lookup *lk = ppg_lookup_new(PPG_JOB_START);

	lk->copts = p->copts;
	lk->keys = p->keys;
	lk->vals = p->vals;
	p->copts = NULL;
	p->keys = p->vals = NULL;
	ppg_lookup_run(p, lk);
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
	return probe_pg_needs_resolution(host) ? host : NULL;
}

static void
ppg_connect(struct probe_pg *p, const char *conninfo)
{
	const char *host;
	char *err = NULL;

	if (ppg_params(conninfo, &p->copts, &p->keys, &p->vals, &p->password, &err) < 0) {
		ppg_defer(p, PROBE_UNREACHABLE, err);
		return;
	}
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
		ppg_lookup_start(p, host);
	else
		ppg_libpq_start(p, NULL);
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
	if (opts != NULL)
		p->opts = *opts;
	p->cb = cb;
	p->arg = arg;
	p->started_ms = now_ms();
	ppg_connect(p, conninfo != NULL ? conninfo : "");
	return &p->probe;
}
