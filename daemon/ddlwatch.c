/* ddlwatch.c — DDL notifications -> debounced checks (ddlwatch.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ddlwatch.h"
#include "log.h"
#include "pgkeep.h"
#include "util.h"

struct ddlw {
	struct event_base	*base;
	struct sched		*sched;
	struct tgt_reg		*targets;
	struct event		*debounce;
	struct sched_job	**due;		/* targets to check when it fires */
	int			 ndue, cap;
	unsigned long		 heard;
};

static void
ddlw_checked(void *arg)
{
	(void)arg;	/* nobody waits: the scheduler reports as for any check */
}

static void
ddlw_fire(evutil_socket_t fd, short what, void *arg)
{
	struct ddlw *w = arg;

	(void)fd;
	(void)what;
	ddlw_flush(w);
}

void
ddlw_flush(struct ddlw *w)
{
	if (w->debounce != NULL)
		event_del(w->debounce);
	if (w->ndue == 0)
		return;
	/* The handle is valid until ddlw_checked runs; we never cancel it. */
	(void)sched_check_now(w->sched, w->due, w->ndue, ddlw_checked, NULL);
	w->ndue = 0;
}

static void
ddlw_add(struct ddlw *w, struct sched_job *job)
{
	int i;

	for (i = 0; i < w->ndue; i++)
		if (w->due[i] == job)
			return;
	if (w->ndue == w->cap) {
		w->cap = w->cap == 0 ? 8 : w->cap * 2;
		w->due = xrealloc(w->due, (size_t)w->cap * sizeof *w->due);
	}
	w->due[w->ndue++] = job;
}

/* Does the notification (connection string `key`, schema `payload`) concern t? */
static bool
ddlw_concerns(const struct cfg_target *ct, const char *key, const char *payload)
{
	if (ct->kind != CFG_PG || !ct->ddl_events || strcmp(ct->conninfo, key) != 0)
		return false;
	/* schemas: any schema may be (or become) one of its rows. */
	return payload == NULL || payload[0] == '\0' || ct->nschemas > 0 ||
	    strcmp(payload, ct->schema != NULL ? ct->schema : "public") == 0;
}

/* pgkeep.c's callback: only note what is due and arm the timer (we may be
 * inside a probe's teardown). */
static void
ddlw_notified(void *arg, const char *key, const char *channel, const char *payload)
{
	struct ddlw *w = arg;
	struct timeval tv = { 0, DDLW_DEBOUNCE_MS * 1000 };
	struct tgt *t;
	int i, before = w->ndue;

	if (strcmp(channel, PROBE_DDL_CHANNEL) != 0)
		return;
	w->heard++;
	for (i = 0; i < tgt_count(w->targets); i++) {
		t = tgt_at(w->targets, i);
		if (tgt_job(t) != NULL && ddlw_concerns(tgt_cfg(t), key, payload))
			ddlw_add(w, tgt_job(t));
	}
	if (w->ndue > before)
		log_msg(LOG_DEBUG, "DDL notification (schema \"%s\"): %d target%s to check",
		    payload, w->ndue - before, w->ndue - before == 1 ? "" : "s");
	if (w->ndue > 0 && !evtimer_pending(w->debounce, NULL))
		evtimer_add(w->debounce, &tv);
}

struct ddlw *
ddlw_new(struct event_base *base, struct sched *sched, struct tgt_reg *targets)
{
	struct ddlw *w = xcalloc(1, sizeof *w);

	w->base = base;
	w->sched = sched;
	w->targets = targets;
	if ((w->debounce = evtimer_new(base, ddlw_fire, w)) == NULL)
		abort();	/* libevent is out of memory */
	pgkeep_on_notify(ddlw_notified, w);
	return w;
}

unsigned long
ddlw_heard(const struct ddlw *w)
{
	return w->heard;
}

void
ddlw_free(struct ddlw *w)
{
	if (w == NULL)
		return;
	pgkeep_on_notify(NULL, NULL);
	event_free(w->debounce);
	free(w->due);
	free(w);
}
