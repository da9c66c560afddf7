/* alertq.h — alert events delivered to the hook at least once, in order.
 *
 * The reporter hands every alert event here (alertq_push) instead of running
 * the hook itself. The queue runs the hook for one event at a time, oldest
 * first: the next event waits until the hook has taken the previous one, so
 * the hook sees events in the order they happened. A run that fails (non-zero
 * exit, killed, cannot be started, or timed out) is retried after a pause
 * that starts at ALERTQ_RETRY_FIRST_MS and doubles up to ALERTQ_RETRY_MAX_MS,
 * for as long as it takes; each failure is logged (LOGEV_HOOK_FAILED).
 *
 * With state.db (hist != NULL) every event is first stored in its outbox
 * table, in the same transaction as its history entry, and deleted only once
 * the hook exited 0: an event still undelivered when the daemon stops is
 * delivered after the next start (alertq_load). Without state.db the queue
 * lives in memory only. Beyond ALERTQ_MAX events waiting, the oldest is
 * dropped (logged), so that a hook broken for weeks cannot grow the file
 * without bound.
 *
 * Event-loop thread only. */
#ifndef SW_ALERTQ_H
#define SW_ALERTQ_H

#include <stdint.h>

struct event_base;
struct hist_entry;
struct history;
struct hook_mgr;

#define ALERTQ_RETRY_FIRST_MS	1000
#define ALERTQ_RETRY_MAX_MS	60000
#define ALERTQ_MAX		1000

/* Counted since start, for /metrics. */
struct alertq_stats {
	uint64_t	delivered;	/* hook runs that exited 0 */
	uint64_t	failures;	/* hook runs that failed or timed out */
	uint64_t	retries;	/* runs that were a retry of a failed one */
	uint64_t	dropped;	/* events dropped because ALERTQ_MAX were waiting */
	int		pending;	/* events waiting now (the one running included) */
};

struct alertq;

/* hist, hooks: may be NULL (no outbox / nothing is ever delivered). */
struct alertq	*alertq_new(struct event_base *, struct history *, struct hook_mgr *);
/* Undelivered events stay in state.db for the next start. */
void		 alertq_free(struct alertq *);
/* The command (NULL-terminated argv, borrowed: call again after a reload)
 * and its timeout. With no command, events are not queued (alertq_push
 * stores only the history entry) and those waiting keep waiting. */
void		 alertq_configure(struct alertq *, char *const *argv, int64_t timeout_ms);
/* Take the outbox left by the previous run and start delivering it. */
void		 alertq_load(struct alertq *);

/* Record e in history (may be NULL) and queue one alert: env_extra is the
 * NULL-terminated SCHEMAWATCH_* list, json the hook's stdin, what names it
 * in log lines. Everything is copied. */
void		 alertq_push(struct alertq *, const struct hist_entry *e,
		    char *const env_extra[], const char *json, const char *what);

void		 alertq_stats(const struct alertq *, struct alertq_stats *);

#endif
