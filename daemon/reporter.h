/* reporter.h — the one place a change becomes news: log + history + hook + STATUS=.
 *
 * Every change passes here once: a target's check result (the registry's
 * "target changed"), a group's new verdict (groups.c), an apply's outcome
 * (apply.c). The reporter decides whether it is news and, when it is, logs
 * it with its MESSAGE_ID, stores it in state.db and runs the alert hook;
 * then it refreshes STATUS=. News is
 *   - a target whose state differs from the one last reported, or in drift
 *     whose set of differences ("object kind" pairs) changed ("drift changed");
 *   - a group whose state is converged or diverged and differs from the one
 *     last reported (becoming unknown is logged at info level only, and
 *     coming back to the reported state is not news);
 *   - every apply that is not a dry run (a dry run is only logged).
 * What was last reported is read from state.db when the reporter opens, so a
 * restart does not alert again. Event-loop thread only. */
#ifndef SW_REPORTER_H
#define SW_REPORTER_H

#include <stdbool.h>
#include <stdint.h>

#include "cfg.h"
#include "compare.h"
#include "state.h"

struct alertq;
struct history;
struct hook_mgr;
struct migrate_result;
struct json_t;
struct reporter;

enum rep_kind {
	REP_TARGET,
	REP_GROUP
};

/* hist, hooks: NULL when unavailable (then nothing is stored / run). The
 * last reported states are read from hist now. */
struct reporter	*reporter_new(struct history *hist, struct hook_mgr *hooks);
void		 reporter_free(struct reporter *);
/* alert_command and alert_timeout come from cfg (kept; call again after a
 * reload swapped it). */
void		 reporter_configure(struct reporter *, const struct config *cfg);
/* Alerts go through q (alertq.h: stored in the outbox, retried until
 * delivered); without it, history is still recorded but no hook runs. */
void		 reporter_use_alerts(struct reporter *, struct alertq *q);
/* STATUS= is line(arg), sent when it changed (notify.c). */
void		 reporter_set_status(struct reporter *, char *(*line)(void *arg), void *arg);
void		 reporter_status(struct reporter *);

/* The state last reported for a name (enum tgt_state / grp_state) and since
 * when (*since, may be NULL), or -1 when none is known. */
int		 reporter_last(const struct reporter *, enum rep_kind, const char *name,
		    int64_t *since);
/* A target or group was removed or redefined: forget what it reported; the
 * next reporter_reload takes it from state.db again (if there is one). */
void		 reporter_forget(struct reporter *, enum rep_kind, const char *name);
/* The target names with a reported state that begin with prefix: the
 * schema rows "TARGET/" of a schemas: target, known from state.db before
 * any check. Caller frees each and the array. */
char		**reporter_target_names(const struct reporter *, const char *prefix, int *n);
/* After a reload: re-read state.db for names not known now. */
void		 reporter_reload(struct reporter *);

struct rep_target {
	const char		*name;
	const char		*kind;		/* "postgresql" / "sqlite" */
	enum tgt_state		 state;
	const char		*error;
	const struct diff_list	*diffs;
	int64_t			 at_ms;		/* the check's end (wall clock) */
	int64_t			 since_ms;
	/* Against the definition's chain (report.h target_report), NULL when
	 * not known. */
	const char		*expected;
	const char		*revision;
	const char		*closest;
	int			 behind;
	int			 ahead;
};
/* A target's check result. true when it was news (reported). */
bool		 reporter_target(struct reporter *, const struct rep_target *);
/* A schema row whose schema is gone (t->error: why): logged, stored and
 * alerted once with the state "removed", then forgotten. */
void		 reporter_target_removed(struct reporter *, const struct rep_target *);

struct rep_group {
	const char		*name;
	enum grp_state		 state;
	enum grp_state		 prev;		/* the group's state before this verdict */
	const char		*reason;	/* unknown: why */
	int			 ndiffs;
	const char		*summary;	/* diverged: the differences for the log line */
	struct json_t		*members;	/* borrowed JSON arrays */
	struct json_t		*differences;
	int64_t			 since_ms;
};
/* A group's verdict. true when it was news. */
bool		 reporter_group(struct reporter *, const struct rep_group *);

/* An apply's outcome: logged; unless a dry run, stored (history kind
 * "apply") and sent to the hook (SCHEMAWATCH_KIND=apply). prev: the target's
 * state when the apply began. */
void		 reporter_apply(struct reporter *, const struct migrate_result *, bool automatic,
		    enum tgt_state prev);

#endif
