/* alertq.c — the alert outbox: one hook run at a time, oldest event first,
 * retried with a doubling pause until the hook takes it. See alertq.h.
 *
 * States of the queue: idle (nothing waiting, or no command), running (the
 * head's hook run is under way: running == true), or pausing (the head
 * failed; the retry timer is pending). kick() moves idle to running. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "alertq.h"
#include "history.h"
#include "hook.h"
#include "log.h"
#include "util.h"

struct alert_ev {
	int64_t		 id;		/* outbox id; 0: not stored */
	char		*what;
	char		*env;		/* '\n'-separated, as in the outbox */
	char		*json;
	int		 attempts;	/* failed runs so far */
};

struct alertq {
	struct event_base	*base;
	struct history		*hist;
	struct hook_mgr		*hooks;
	char *const		*argv;		/* borrowed from the configuration */
	int64_t			 timeout_ms;
	struct alert_ev		*v;		/* v[0] is the head */
	int			 n;
	bool			 running;
	struct event		*retry;
	struct alertq_stats	 st;
};

static void kick(struct alertq *);

static void
ev_clear(struct alert_ev *e)
{
	free(e->what);
	free(e->env);
	free(e->json);
}

/* Remove the head from memory and, when stored, from the outbox. */
static void
pop_head(struct alertq *q)
{
	char *err = NULL;

	if (q->n == 0)
		return;
	if (q->v[0].id != 0 && q->hist != NULL &&
	    history_outbox_done(q->hist, q->v[0].id, &err) != 0) {
		/* Delivered but still stored: it would be delivered again
		 * after a restart. Say so; nothing better to do. */
		log_msg(LOG_WARNING, "alert for %s delivered but not removed from the outbox: %s",
		    q->v[0].what, err);
		free(err);
	}
	ev_clear(&q->v[0]);
	memmove(&q->v[0], &q->v[1], (size_t)(q->n - 1) * sizeof *q->v);
	q->n--;
}

static void
append(struct alertq *q, int64_t id, const char *what, const char *env, const char *json)
{
	struct alert_ev *e;

	if (q->n >= ALERTQ_MAX) {
		/* The head may be running: drop the oldest one behind it. */
		int k = q->running && q->n > 1 ? 1 : 0;
		char *err = NULL;

		log_event(LOG_WARNING, LOGEV_HOOK_FAILED, NULL, NULL, NULL,
		    "alert for %s dropped: %d alerts are waiting for the hook",
		    q->v[k].what, q->n);
		if (q->v[k].id != 0 && q->hist != NULL &&
		    history_outbox_done(q->hist, q->v[k].id, &err) != 0) {
			log_msg(LOG_WARNING, "outbox: %s", err);
			free(err);
		}
		ev_clear(&q->v[k]);
		memmove(&q->v[k], &q->v[k + 1], (size_t)(q->n - k - 1) * sizeof *q->v);
		q->n--;
		q->st.dropped++;
	}
	q->v = xreallocarray(q->v, (size_t)q->n + 1, sizeof *q->v);
	e = &q->v[q->n++];
	memset(e, 0, sizeof *e);
	e->id = id;
	e->what = xstrdup(what);
	e->env = xstrdup(env != NULL ? env : "");
	e->json = json != NULL ? xstrdup(json) : NULL;
}

/* ---- running the hook ---------------------------------------------------------- */

/* The pause after the attempts-th failure: 1 s, 2 s, 4 s, ... capped. */
static int64_t
retry_delay(int attempts)
{
	int64_t ms = ALERTQ_RETRY_FIRST_MS;

	while (--attempts > 0 && ms < ALERTQ_RETRY_MAX_MS)
		ms *= 2;
	return ms < ALERTQ_RETRY_MAX_MS ? ms : ALERTQ_RETRY_MAX_MS;
}

static void
failed(struct alertq *q)
{
	struct alert_ev *e = &q->v[0];
	int64_t ms;

	q->st.failures++;
	e->attempts++;
	ms = retry_delay(e->attempts);
	log_msg(LOG_NOTICE, "alert for %s not delivered (attempt %d); next try in %lldms",
	    e->what, e->attempts, (long long)ms);
	xevtimer_add_ms(q->retry, ms);
}

static void
run_done(void *arg, bool ok)
{
	struct alertq *q = arg;

	q->running = false;
	if (q->n == 0)
		return;
	if (!ok) {
		failed(q);
		return;
	}
	q->st.delivered++;
	if (q->v[0].attempts > 0)
		log_msg(LOG_NOTICE, "alert for %s delivered after %d failed attempt%s",
		    q->v[0].what, q->v[0].attempts, q->v[0].attempts == 1 ? "" : "s");
	pop_head(q);
	kick(q);
}

/* The stored "A=1\nB=2" as a NULL-terminated vector (one allocation). */
static char **
env_split(const char *env, char **buf)
{
	char **v, *p;
	size_t n = 1, k = 0;

	*buf = xstrdup(env);
	for (p = *buf; *p != '\0'; p++)
		n += *p == '\n';
	v = xreallocarray(NULL, n + 1, sizeof *v);
	for (p = strtok(*buf, "\n"); p != NULL; p = strtok(NULL, "\n"))
		v[k++] = p;
	v[k] = NULL;
	return v;
}

static void
kick(struct alertq *q)
{
	struct alert_ev *e;
	char **env, *buf;
	int rc;

	if (q->running || q->n == 0 || q->argv == NULL || q->argv[0] == NULL ||
	    evtimer_pending(q->retry, NULL))
		return;
	e = &q->v[0];
	if (e->attempts > 0)
		q->st.retries++;
	env = env_split(e->env, &buf);
	q->running = true;
	rc = hook_run_cb(q->hooks, q->argv, env, e->json, q->timeout_ms, e->what, run_done, q);
	free(env);
	free(buf);
	if (rc != 0) {		/* not started (logged by hook.c) */
		q->running = false;
		failed(q);
	}
}

static void
retry_cb(evutil_socket_t fd, short what, void *arg)
{
	kick(arg);
}

/* ---- the interface --------------------------------------------------------------- */

struct alertq *
alertq_new(struct event_base *base, struct history *hist, struct hook_mgr *hooks)
{
	struct alertq *q = xcalloc(1, sizeof *q);

	q->base = base;
	q->hist = hist;
	q->hooks = hooks;
	q->retry = xevtimer_new(base, retry_cb, q);
	return q;
}

void
alertq_free(struct alertq *q)
{
	int i;

	if (q == NULL)
		return;
	if (q->n > 0)
		log_msg(LOG_NOTICE, "%d alert%s not yet delivered%s", q->n, q->n == 1 ? "" : "s",
		    q->hist != NULL ? ": kept in state.db for the next start" : " and lost");
	for (i = 0; i < q->n; i++)
		ev_clear(&q->v[i]);
	free(q->v);
	event_free(q->retry);
	free(q);
}

void
alertq_configure(struct alertq *q, char *const *argv, int64_t timeout_ms)
{
	q->argv = argv;
	q->timeout_ms = timeout_ms;
	kick(q);
}

void
alertq_load(struct alertq *q)
{
	struct hist_outbox *v;
	char *err = NULL;
	int n = 0, i;

	if (q->hist == NULL)
		return;
	if ((v = history_outbox_list(q->hist, &n, &err)) == NULL) {
		log_msg(LOG_WARNING, "state.db: cannot read the alert outbox: %s", err);
		free(err);
		return;
	}
	if (n > 0)
		log_msg(LOG_NOTICE, "%d alert%s from before the restart to deliver", n,
		    n == 1 ? "" : "s");
	for (i = 0; i < n; i++)
		append(q, v[i].id, v[i].what, v[i].env, v[i].json);
	hist_outbox_free(v, n);
	kick(q);
}

static char *
env_join(char *const env[])
{
	struct sbuf sb;
	int i;

	sbuf_init(&sb);
	for (i = 0; env != NULL && env[i] != NULL; i++) {
		/* A newline would split a variable in two when read back. */
		for (const char *p = env[i]; *p != '\0'; p++)
			sbuf_addc(&sb, *p == '\n' ? ' ' : *p);
		sbuf_addc(&sb, '\n');
	}
	return sbuf_steal(&sb);
}

void
alertq_push(struct alertq *q, const struct hist_entry *e, char *const env_extra[],
    const char *json, const char *what)
{
	bool deliver = q->argv != NULL && q->argv[0] != NULL && q->hooks != NULL;
	struct hist_outbox o = { 0 };
	char *env = env_join(env_extra), *err = NULL;
	int64_t id = 0;

	if (q->hist != NULL && (e != NULL || deliver)) {
		o.what = (char *)what;
		o.env = env;
		o.json = (char *)json;
		if (history_record_event(q->hist, e, deliver ? &o : NULL, &id, &err) != 0) {
			log_msg(LOG_WARNING, "%s: not stored in state.db: %s", what, err);
			free(err);
			id = 0;
		}
	}
	if (deliver) {
		append(q, id, what, env, json);
		kick(q);
	}
	free(env);
}

void
alertq_stats(const struct alertq *q, struct alertq_stats *st)
{
	*st = q->st;
	st->pending = q->n;
}
