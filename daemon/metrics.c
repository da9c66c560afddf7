/* metrics.c — GET /metrics in the Prometheus text exposition format, served
 * by evhttp on the daemon's own loop. See metrics.h.
 *
 * The text is rendered from the daemon's state at each request: a few lines
 * per target, so there is nothing to cache and nothing can go stale. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include "alertq.h"
#include "groups.h"
#include "log.h"
#include "metrics.h"
#include "normalize.h"
#include "target.h"
#include "util.h"

#define CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"
#define ACCEPT_PAUSE_MS	1000	/* after accept() fails (EMFILE): breathe */

struct metrics {
	struct metrics_src		 src;
	struct evhttp			*http;
	struct evhttp_bound_socket	*sock;
	struct event			*resume;	/* re-enables the listener */
	char				*listen;
};

/* The listener's error callback gets the evhttp as its argument, not ours:
 * there is one endpoint per process, so it is found here. */
static struct metrics *metrics_active;

/* ---- the exposition text --------------------------------------------------------- */

void
metrics_label_value(struct sbuf *sb, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '\\': sbuf_add(sb, "\\\\"); break;
		case '"':  sbuf_add(sb, "\\\""); break;
		case '\n': sbuf_add(sb, "\\n"); break;
		default:   sbuf_addc(sb, *s); break;
		}
	}
}

static void
family(struct sbuf *sb, const char *name, const char *type, const char *help)
{
	sbuf_printf(sb, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{label="value",...}: label names and values in pairs, NULL-terminated. */
static void
series(struct sbuf *sb, const char *name, ...)
{
	const char *label, *value;
	bool first = true;
	va_list ap;

	sbuf_add(sb, name);
	va_start(ap, name);
	while ((label = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		sbuf_printf(sb, "%s%s=\"", first ? "{" : ",", label);
		metrics_label_value(sb, value);
		sbuf_addc(sb, '"');
		first = false;
	}
	va_end(ap);
	if (!first)
		sbuf_addc(sb, '}');
}

/* Milliseconds as seconds, exactly: "1700000000.123", not 1700000000.1229999. */
static void
add_ms_as_seconds(struct sbuf *sb, int64_t ms)
{
	sbuf_printf(sb, "%s%lld.%03lld", ms < 0 ? "-" : "", (long long)(llabs(ms) / 1000),
	    (long long)(llabs(ms) % 1000));
}

/* One number of a target: false when the target has none (never checked). */
typedef bool (*tgt_value_fn)(const struct tgt_view *, int64_t *);

static bool v_differences(const struct tgt_view *t, int64_t *v) { *v = t->diffs->n; return true; }
static bool v_checks(const struct tgt_view *t, int64_t *v) { *v = (int64_t)t->nchecks; return true; }
static bool v_failures(const struct tgt_view *t, int64_t *v) { *v = (int64_t)t->nfailures; return true; }
static bool v_cat_reads(const struct tgt_view *t, int64_t *v) { *v = (int64_t)t->ncat_reads; return true; }
static bool v_cat_reused(const struct tgt_view *t, int64_t *v) { *v = (int64_t)t->ncat_reused; return true; }

static bool
v_last_check(const struct tgt_view *t, int64_t *v)
{
	*v = t->last_check_ms;
	return t->last_check_ms > 0;
}

static bool
v_last_duration(const struct tgt_view *t, int64_t *v)
{
	*v = t->last_duration_ms;
	return t->last_check_ms > 0;
}

/* Pending: minus the steps behind; ahead: plus the steps past; ok: 0. */
static bool
v_revision_steps(const struct tgt_view *t, int64_t *v)
{
	*v = t->state == ST_PENDING ? -t->behind : t->state == ST_AHEAD ? t->ahead : 0;
	return t->expected != NULL && (t->state == ST_OK || t->state == ST_PENDING ||
	    t->state == ST_AHEAD);
}

static const struct tgt_family {
	const char	*name;
	const char	*type;
	const char	*help;
	tgt_value_fn	 value;
	bool		 millis;	/* the value is ms, shown as seconds */
} tgt_families[] = {
	{ "schemawatchd_target_differences", "gauge",
	  "Differences from the expected revision found by the last check.", v_differences,
	  false },
	{ "schemawatchd_target_revision_steps", "gauge",
	  "Revisions between where the target is and the expected one: negative behind (pending), positive ahead.",
	  v_revision_steps, false },
	{ "schemawatchd_target_last_check_timestamp_seconds", "gauge",
	  "When the last check of the target finished (Unix time).", v_last_check, true },
	{ "schemawatchd_target_last_check_duration_seconds", "gauge",
	  "How long the last check of the target took.", v_last_duration, true },
	{ "schemawatchd_target_checks_total", "counter",
	  "Checks of the target completed since the daemon started.", v_checks, false },
	{ "schemawatchd_target_check_failures_total", "counter",
	  "Checks that found the target unreachable or failed to read it.", v_failures, false },
	{ "schemawatchd_target_catalog_reads_total", "counter",
	  "Checks that read the target's catalog in full.", v_cat_reads, false },
	{ "schemawatchd_target_catalog_reuses_total", "counter",
	  "Checks that found the schema unchanged (SQLite schema_version) and reused the catalog read before.",
	  v_cat_reused, false },
};

static void
render_target_states(struct sbuf *sb, const struct tgt_reg *reg)
{
	static const char name[] = "schemawatchd_target_state";
	struct tgt_view t;
	int i, s;

	family(sb, name, "gauge",
	    "Current state of the target: 1 for the state it is in, 0 for the others.");
	for (i = 0; i < tgt_row_count(reg); i++) {
		tgt_view(tgt_row_at(reg, i), &t);
		for (s = 0; s < ST__COUNT; s++) {
			series(sb, name, "target", t.name, "kind", t.kind,
			    "state", tgt_state_name(s), (char *)NULL);
			sbuf_printf(sb, " %d\n", t.state == (enum tgt_state)s);
		}
	}
}

/* The revision names as labels: what it is at (empty when not known) and
 * what is expected, for targets checked against a definition. */
static void
render_target_revisions(struct sbuf *sb, const struct tgt_reg *reg)
{
	static const char name[] = "schemawatchd_target_revision_info";
	struct tgt_view t;
	int i;

	family(sb, name, "gauge",
	    "Always 1: the revision the target is at (empty when not known) and the expected one.");
	for (i = 0; i < tgt_row_count(reg); i++) {
		tgt_view(tgt_row_at(reg, i), &t);
		if (t.expected == NULL)
			continue;
		series(sb, name, "target", t.name, "revision", t.revision != NULL ? t.revision : "",
		    "expected", t.expected, (char *)NULL);
		sbuf_addc(sb, ' ');
		sbuf_addc(sb, '1');
		sbuf_addc(sb, '\n');
	}
}

static void
render_target_families(struct sbuf *sb, const struct tgt_reg *reg)
{
	const struct tgt_family *f;
	struct tgt_view t;
	int64_t v;
	size_t k;
	int i;

	for (k = 0; k < sizeof tgt_families / sizeof tgt_families[0]; k++) {
		f = &tgt_families[k];
		family(sb, f->name, f->type, f->help);
		for (i = 0; i < tgt_row_count(reg); i++) {
			tgt_view(tgt_row_at(reg, i), &t);
			if (!f->value(&t, &v))
				continue;
			series(sb, f->name, "target", t.name, (char *)NULL);
			sbuf_addc(sb, ' ');
			if (f->millis)
				add_ms_as_seconds(sb, v);
			else
				sbuf_printf(sb, "%lld", (long long)v);
			sbuf_addc(sb, '\n');
		}
	}
}

static void
render_groups(struct sbuf *sb, const struct groups *gs)
{
	const struct grp *g;
	int i, s, n = groups_count(gs);

	family(sb, "schemawatchd_group_state", "gauge",
	    "Current state of the group: 1 for the state it is in, 0 for the others.");
	for (i = 0; i < n; i++) {
		g = groups_at(gs, i);
		for (s = 0; s < GS__COUNT; s++) {
			series(sb, "schemawatchd_group_state", "group", g->name,
			    "state", grp_state_name(s), (char *)NULL);
			sbuf_printf(sb, " %d\n", g->state == (enum grp_state)s);
		}
	}
	family(sb, "schemawatchd_group_diverged", "gauge",
	    "1 when the members of the group have different schemas, 0 otherwise.");
	for (i = 0; i < n; i++) {
		g = groups_at(gs, i);
		series(sb, "schemawatchd_group_diverged", "group", g->name, (char *)NULL);
		sbuf_printf(sb, " %d\n", g->state == GS_DIVERGED);
	}
	family(sb, "schemawatchd_group_differences", "gauge",
	    "Differences between the members of the group.");
	for (i = 0; i < n; i++) {
		g = groups_at(gs, i);
		series(sb, "schemawatchd_group_differences", "group", g->name, (char *)NULL);
		sbuf_printf(sb, " %d\n", g->ndiffs);
	}
}

static void
counter(struct sbuf *sb, const char *name, const char *type, const char *help, uint64_t v)
{
	family(sb, name, type, help);
	sbuf_printf(sb, "%s %llu\n", name, (unsigned long long)v);
}

/* The alert queue and reloads: the daemon's own health. */
static void
render_daemon(struct sbuf *sb, const struct metrics_src *src)
{
	struct alertq_stats st = { 0 };

	if (src->alerts != NULL)
		alertq_stats(src->alerts, &st);
	counter(sb, "schemawatchd_alert_deliveries_total", "counter",
	    "Alert hook runs that exited 0 (events delivered).", st.delivered);
	counter(sb, "schemawatchd_alert_failures_total", "counter",
	    "Alert hook runs that failed, could not start or timed out.", st.failures);
	counter(sb, "schemawatchd_alert_retries_total", "counter",
	    "Alert hook runs that retried an event after a failure.", st.retries);
	counter(sb, "schemawatchd_alert_dropped_total", "counter",
	    "Alert events dropped because too many were waiting.", st.dropped);
	counter(sb, "schemawatchd_alerts_pending", "gauge",
	    "Alert events waiting for the hook (kept in state.db).", (uint64_t)st.pending);
	counter(sb, "schemawatchd_unparsable_expressions_total", "counter",
	    "Expressions (default, check, predicate...) the normalizer could not "
	    "parse, each place and text once; logged when first seen.",
	    norm_unparsable_total());
	family(sb, "schemawatchd_reloads_total", "counter",
	    "Configuration reloads, by result (refused: the running configuration stayed).");
	sbuf_printf(sb, "schemawatchd_reloads_total{result=\"ok\"} %llu\n",
	    (unsigned long long)(src->counters != NULL ? src->counters->reloads_ok : 0));
	sbuf_printf(sb, "schemawatchd_reloads_total{result=\"refused\"} %llu\n",
	    (unsigned long long)(src->counters != NULL ? src->counters->reloads_refused : 0));
}

char *
metrics_render(const struct metrics_src *src)
{
	struct sbuf sb;

	sbuf_init(&sb);
	family(&sb, "schemawatchd_build_info", "gauge", "Version of the running schemawatchd.");
	series(&sb, "schemawatchd_build_info", "version", PACKAGE_VERSION, (char *)NULL);
	sbuf_add(&sb, " 1\n");
	family(&sb, "schemawatchd_start_time_seconds", "gauge",
	    "When the daemon started (Unix time).");
	sbuf_add(&sb, "schemawatchd_start_time_seconds ");
	add_ms_as_seconds(&sb, src->started_ms);
	sbuf_addc(&sb, '\n');
	render_target_states(&sb, src->targets);
	render_target_families(&sb, src->targets);
	render_target_revisions(&sb, src->targets);
	render_groups(&sb, src->groups);
	render_daemon(&sb, src);
	return sbuf_steal(&sb);
}

/* ---- HTTP -------------------------------------------------------------------------- */

static void
send_text(struct evhttp_request *req, int code, const char *reason, const char *ctype,
    const char *body)
{
	struct evbuffer *buf = evbuffer_new();

	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", ctype);
	if (buf != NULL)
		evbuffer_add(buf, body, strlen(body));
	evhttp_send_reply(req, code, reason, buf);
	if (buf != NULL)
		evbuffer_free(buf);
}

static void
metrics_request(struct evhttp_request *req, void *arg)
{
	struct metrics *m = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
	enum evhttp_cmd_type method = evhttp_request_get_command(req);
	char *text;

	bool healthz = path != NULL && strcmp(path, "/healthz") == 0;

	if (path == NULL || (strcmp(path, "/metrics") != 0 && !healthz)) {
		send_text(req, HTTP_NOTFOUND, "Not Found", "text/plain; charset=utf-8",
		    "Not found: the metrics are at /metrics\n");
		return;
	}
	if (method != EVHTTP_REQ_GET && method != EVHTTP_REQ_HEAD) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET, HEAD");
		send_text(req, 405, "Method Not Allowed", "text/plain; charset=utf-8",
		    "Method not allowed: use GET\n");
		return;
	}
	if (healthz) {
		/* Answered by the loop's own callback: the loop is alive. */
		send_text(req, HTTP_OK, "OK", "text/plain; charset=utf-8", "ok\n");
		return;
	}
	text = metrics_render(&m->src);
	send_text(req, HTTP_OK, "OK", CONTENT_TYPE, text);
	free(text);
}

/* accept() failed for a reason other than a transient one (out of
 * descriptors, mostly): libevent would retry at once and spin, so pause. */
static void
accept_error(struct evconnlistener *lev, void *arg)
{
	struct metrics *m = metrics_active;
	struct timeval tv = { ACCEPT_PAUSE_MS / 1000, (ACCEPT_PAUSE_MS % 1000) * 1000 };
	int e = EVUTIL_SOCKET_ERROR();

	if (m == NULL || (void *)m->http != arg)
		return;

	log_msg(LOG_WARNING, "metrics %s: accept failed: %s; pausing for %d ms", m->listen,
	    evutil_socket_error_to_string(e), ACCEPT_PAUSE_MS);
	evconnlistener_disable(lev);
	xevent_add(m->resume, &tv);
}

static void
accept_resume(evutil_socket_t fd, short what, void *arg)
{
	struct metrics *m = arg;

	xevconnlistener_enable(evhttp_bound_socket_get_listener(m->sock));
}

/* "host:port" or "[v6]:port" into its parts; cfg.c already checked the port. */
static int
split_hostport(const char *listen, char **host, unsigned *port)
{
	const char *colon = strrchr(listen, ':');
	size_t hlen;
	char *end;
	long p;

	if (colon == NULL || colon == listen)
		return -1;
	errno = 0;
	p = strtol(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || p < 1 || p > 65535)
		return -1;
	hlen = (size_t)(colon - listen);
	if (listen[0] == '[' && hlen >= 2 && listen[hlen - 1] == ']')
		*host = xstrndup(listen + 1, hlen - 2);
	else
		*host = xstrndup(listen, hlen);
	*port = (unsigned)p;
	return 0;
}

struct metrics *
metrics_init(struct event_base *base, const char *listen, const struct metrics_src *src,
    char **err)
{
	struct metrics *m;
	char *host;
	unsigned port;

	if (split_hostport(listen, &host, &port) < 0) {
		*err = xasprintf("metrics: expected host:port, got \"%s\"", listen);
		return NULL;
	}
	m = xcalloc(1, sizeof *m);
	m->src = *src;
	m->listen = xstrdup(listen);
	if ((m->http = evhttp_new(base)) == NULL) {
		*err = xstrdup("metrics: cannot create the HTTP server");
		goto fail;
	}
	evhttp_set_max_headers_size(m->http, METRICS_MAX_HEADERS);
	evhttp_set_max_body_size(m->http, METRICS_MAX_BODY);
	evhttp_set_timeout(m->http, METRICS_TIMEOUT_S);
	/* Let every method reach metrics_request, which answers 405 itself
	 * (libevent would answer 501 for the ones it does not allow). */
	evhttp_set_allowed_methods(m->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
	    EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS | EVHTTP_REQ_TRACE |
	    EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
	evhttp_set_gencb(m->http, metrics_request, m);
	errno = 0;
	if ((m->sock = evhttp_bind_socket_with_handle(m->http, host, (ev_uint16_t)port)) == NULL) {
		*err = xasprintf("metrics: cannot listen on %s: %s", listen,
		    errno != 0 ? strerror(errno) : "address not usable");
		goto fail;
	}
	m->resume = xevtimer_new(base, accept_resume, m);
	metrics_active = m;
	evconnlistener_set_error_cb(evhttp_bound_socket_get_listener(m->sock), accept_error);
	log_msg(LOG_INFO, "metrics: serving http://%s/metrics", listen);
	free(host);
	return m;
fail:
	free(host);
	metrics_fini(m);
	return NULL;
}

void
metrics_fini(struct metrics *m)
{
	if (m == NULL)
		return;
	if (metrics_active == m)
		metrics_active = NULL;
	if (m->resume != NULL)
		event_free(m->resume);
	if (m->http != NULL)
		evhttp_free(m->http);	/* closes the socket and the connections */
	free(m->listen);
	free(m);
}
