/* pg_resolve.c — host-name lookups and service-file connection starts for
 * probe_pg.c, on a worker thread (worker.c), answered on the loop.
 *
 * Trade-off of the lookup: only the FIRST address of each name is used
 * (hostaddr= takes one per host entry), so libpq's fallback to a name's
 * other addresses is lost; several hosts in host= still fail over.
 * Limitation of the service start: if the service lists several hosts and
 * the first fails later in the handshake, PQconnectPoll on the loop looks up
 * the next name itself, blocking; only the first host's lookup is off the
 * loop. */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include "pg_resolve.h"
#include "util.h"
#include "worker.h"

/* What a worker does before libpq can be polled on the loop. */
enum pgr_kind {
	PGR_HOSTS,	/* look up the names of a host= list */
	PGR_CONNECT,	/* PQconnectStartParams, for a connection service */
};

/* One job. The caller may cancel while the worker still runs: then the job
 * is freed by worker.c's drop, on the worker once it returns. */
struct pg_resolve {
	struct worker		*w;		/* until done or cancelled */
	pg_resolve_done_fn	 done;
	void			*arg;
	enum pgr_kind		 kind;		/* set before the worker starts */
	atomic_size_t		 current;	/* PGR_HOSTS: the entry being resolved */
	/* PGR_CONNECT: the parameters, owned (the caller may be gone while
	 * the worker still reads them). */
	PQconninfoOption	*copts;
	const char		**keys;
	const char		**vals;
	/* Written by the worker; read by the loop once worker.c says done. */
	PGconn			*conn;		/* PGR_CONNECT: until the loop takes it */
	size_t			 n;
	char			**hosts;	/* the host= entries, as given */
	char			**addrs;	/* numeric address per entry; NULL: none */
	char			*error;		/* the first entry that did not resolve */
};

int	(*pg_resolve_getaddrinfo)(const char *, const char *, const struct addrinfo *,
	    struct addrinfo **) = getaddrinfo;
PGconn	*(*pg_resolve_connect_start)(const char *const *, const char *const *, int) =
	    PQconnectStartParams;

static atomic_int pgr_live;	/* jobs not yet freed, for tests */

int
pg_resolve_jobs_live(void)
{
	return atomic_load(&pgr_live);
}

/* ---- what a host entry is -------------------------------------------- */

/* What one entry of a host= list is, told apart the way libpq does. */
enum pgr_host_kind {
	PGR_HOST_DEFAULT,	/* empty: libpq's default socket directory */
	PGR_HOST_SOCKET,	/* a directory ('/') or abstract namespace ('@') */
	PGR_HOST_NUMERIC,	/* an IPv4 or IPv6 literal: no lookup */
	PGR_HOST_NAME,		/* needs getaddrinfo() */
};

static enum pgr_host_kind
pgr_host_kind(const char *s, size_t len)
{
	unsigned char addr[sizeof(struct in6_addr)];
	char *h;
	bool numeric;

	if (len == 0)
		return PGR_HOST_DEFAULT;
	if (s[0] == '/' || s[0] == '@')
		return PGR_HOST_SOCKET;
	h = xstrndup(s, len);
	numeric = inet_pton(AF_INET, h, addr) == 1 || inet_pton(AF_INET6, h, addr) == 1;
	free(h);
	return numeric ? PGR_HOST_NUMERIC : PGR_HOST_NAME;
}

/* Does a host= value (comma-separated, as libpq splits it: no escapes)
 * hold at least one name that libpq would look up? */
bool
pg_resolve_needs_lookup(const char *host)
{
	const char *s = host;
	size_t len;

	while (s != NULL) {
		len = strcspn(s, ",");
		if (pgr_host_kind(s, len) == PGR_HOST_NAME)
			return true;
		s = s[len] == ',' ? s + len + 1 : NULL;
	}
	return false;
}

/* ---- the job ---------------------------------------------------------- */

static void
pgr_free(void *arg)
{
	struct pg_resolve *r = arg;
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->hosts[i]);
		free(r->addrs[i]);
	}
	free(r->hosts);
	free(r->addrs);
	free(r->error);
	if (r->conn != NULL)
		PQfinish(r->conn);	/* started, but the caller was gone */
	PQconninfoFree(r->copts);
	free(r->keys);
	free(r->vals);
	free(r);
	atomic_fetch_sub(&pgr_live, 1);
}

/* The first address getaddrinfo() gives, as numeric text: libpq would try
 * them all, but hostaddr= takes one per host entry. */
static char *
pgr_resolve_one(const char *host, char **err)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res = NULL;
	char buf[NI_MAXHOST];
	int rc, saved;

	rc = pg_resolve_getaddrinfo(host, NULL, &hints, &res);
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

/* Worker thread. */
static void
pgr_hosts_work(struct worker *w, struct pg_resolve *r)
{
	enum pgr_host_kind kind;
	bool stop = false;
	size_t i;

	for (i = 0; i < r->n && !stop && r->error == NULL; i++) {
		kind = pgr_host_kind(r->hosts[i], strlen(r->hosts[i]));
		if (kind == PGR_HOST_NUMERIC)
			r->addrs[i] = xstrdup(r->hosts[i]);
		if (kind != PGR_HOST_NAME)
			continue;
		stop = worker_abandoned(w);	/* cancelled or timed out: skip the rest */
		atomic_store(&r->current, i);
		if (!stop)
			r->addrs[i] = pgr_resolve_one(r->hosts[i], &r->error);
	}
}

/* Worker thread. PQconnectStartParams reads the service file and, in its
 * first PQconnectPoll step, resolves the first host: both may block. */
static void
pgr_connect_work(struct worker *w, struct pg_resolve *r)
{
	if (worker_abandoned(w))
		return;		/* cancelled before we ran: do not connect */
	/* expand_dbname = 0: the string was parsed already. */
	r->conn = pg_resolve_connect_start(r->keys, r->vals, 0);
	if (r->conn == NULL)
		r->error = xstrdup("out of memory starting a connection");
}

/* Worker thread. If the caller has gone by the time this returns, worker.c
 * drops the job: it and a connection started for nobody are freed there. */
static void
pgr_work(struct worker *w, void *arg)
{
	struct pg_resolve *r = arg;

	if (r->kind == PGR_CONNECT)
		pgr_connect_work(w, r);
	else
		pgr_hosts_work(w, r);
}

/* hostaddr= for libpq: one entry per host entry, empty for sockets. */
static char *
pgr_hostaddr_list(const struct pg_resolve *r)
{
	struct sbuf sb;
	size_t i;

	sbuf_init(&sb);
	for (i = 0; i < r->n; i++) {
		if (i > 0)
			sbuf_addc(&sb, ',');
		sbuf_add(&sb, r->addrs[i] != NULL ? r->addrs[i] : "");
	}
	return sbuf_steal(&sb);
}

/* Loop thread: the worker has answered, or (error) none could start. The
 * job is freed before done runs, so done may do anything. */
static void
pgr_done(void *arg, const char *error)
{
	struct pg_resolve *r = arg;
	struct pg_resolve_answer a = { 0 };
	pg_resolve_done_fn done = r->done;
	void *cbarg = r->arg;

	if (error != NULL)
		a.error = xstrdup(error);
	else if (r->error != NULL) {
		a.error = r->error;
		r->error = NULL;
	} else if (r->kind == PGR_CONNECT) {
		a.conn = r->conn;	/* the loop thread's from now on */
		r->conn = NULL;
	} else
		a.hostaddr = pgr_hostaddr_list(r);
	pgr_free(r);
	done(&a, cbarg);
}

static struct pg_resolve *
pgr_new(enum pgr_kind kind, pg_resolve_done_fn done, void *arg)
{
	struct pg_resolve *r = xcalloc(1, sizeof *r);

	atomic_fetch_add(&pgr_live, 1);
	r->kind = kind;
	r->done = done;
	r->arg = arg;
	return r;
}

struct pg_resolve *
pg_resolve_hosts(struct event_base *base, const char *host, pg_resolve_done_fn done,
    void *arg)
{
	struct pg_resolve *r = pgr_new(PGR_HOSTS, done, arg);
	const char *s = host;
	bool named = false;
	size_t len, i;

	for (r->n = 1; *s != '\0'; s++)
		r->n += *s == ',';
	r->hosts = xcalloc(r->n, sizeof *r->hosts);
	r->addrs = xcalloc(r->n, sizeof *r->addrs);
	for (i = 0, s = host; i < r->n; i++, s += len + 1) {
		len = strcspn(s, ",");
		r->hosts[i] = xstrndup(s, len);
		if (!named && pgr_host_kind(s, len) == PGR_HOST_NAME) {
			r->current = i;	/* what a timeout names until the worker runs */
			named = true;
		}
	}
	r->w = worker_start(base, pgr_work, pgr_done, pgr_free, r);
	return r;
}

struct pg_resolve *
pg_resolve_connect(struct event_base *base, PQconninfoOption *copts, const char **keys,
    const char **vals, pg_resolve_done_fn done, void *arg)
{
	struct pg_resolve *r = pgr_new(PGR_CONNECT, done, arg);

	r->copts = copts;
	r->keys = keys;
	r->vals = vals;
	r->w = worker_start(base, pgr_work, pgr_done, pgr_free, r);
	return r;
}

void
pg_resolve_cancel(struct pg_resolve *r)
{
	if (r != NULL)
		worker_abandon(r->w);	/* frees r now or when the worker returns */
}

char *
pg_resolve_doing(const struct pg_resolve *r)
{
	if (r->kind == PGR_CONNECT)
		return xstrdup("starting the connection");
	/* The entries never change; current is the worker's, read atomically. */
	return xasprintf("resolving host %s", r->hosts[atomic_load(&r->current)]);
}
