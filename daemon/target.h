/* target.h — the registry of targets: their live state, in configuration order.
 *
 * It takes a check outcome (or a state an apply sets) into a target and
 * tells its subscribers "target changed": the service subscribes the
 * reporter, groups.c subscribes to re-judge. Nothing here calls upward;
 * readers (commands, metrics, groups) see a target through struct tgt_view.
 * Everything runs on the event-loop thread. */
#ifndef SW_TARGET_H
#define SW_TARGET_H

#include <stdbool.h>
#include <stdint.h>

#include "catalog.h"
#include "cfg.h"
#include "compare.h"
#include "state.h"

struct check_outcome;
struct reporter;
struct sched_job;
struct sbuf;
struct tgt;
struct tgt_reg;

/* A read-only view: valid until the next change of the target. */
struct tgt_view {
	const char		*name;
	const struct cfg_target	*cfg;
	const char		*kind;		/* "postgresql" / "sqlite" */
	enum tgt_state		 state;
	int64_t			 since_ms;	/* wall clock: when `state` began; 0: not yet */
	int64_t			 last_check_ms;	/* wall clock of the last result, 0: never */
	int64_t			 last_duration_ms;
	const char		*error;		/* unreachable / error reason, or NULL */
	const struct diff_list	*diffs;		/* against the expected revision, when drift */
	const struct catalog	*cat;		/* last catalog read, NULL if none */
	const struct definition	*def;		/* what cat was judged by, NULL if none */
	/* Of the last check, against the definition's chain (check.h):
	 * NULL when not known. */
	const char		*expected;
	const char		*revision;
	const char		*closest;
	int			 behind;
	int			 ahead;
	uint64_t		 nchecks;	/* results received */
	uint64_t		 nfailures;	/* of which unreachable / error */
	uint64_t		 ncat_reads;	/* catalogs read in full */
	uint64_t		 ncat_reused;	/* schema unchanged: not re-read */
	/* A schema row of a schemas: target: that target's name and the
	 * schema; NULL for a configured target. inherited: the state is the
	 * target's failure to be read (unreachable / error), not a verdict of
	 * this schema: the target reports it, not each of its rows. */
	const char		*parent;
	const char		*schema;
	bool			 inherited;
	int			 nschemas;	/* a schemas: target: its schema rows now */
};

/* Why a target changed. */
enum tgt_event {
	TGT_CHECKED,	/* a check outcome was taken: may be news for the reporter */
	TGT_HELD,	/* an apply began: `applying` (not news, groups go unknown) */
	TGT_RESTATED,	/* an apply ended: its state until the check that follows */
	TGT_REMOVED	/* a schema row whose schema is gone: reported once, then
			 * freed right after the subscribers return */
};

typedef void (*tgt_changed_fn)(void *arg, const struct tgt *, enum tgt_event);

/* rep: asked for the state last reported (state.db), so that a restart that
 * finds that state again keeps its original "since". May be NULL. */
struct tgt_reg	*tgt_reg_new(struct reporter *rep);
void		 tgt_reg_free(struct tgt_reg *);
/* Subscribers are called in the order they subscribed. */
void		 tgt_reg_subscribe(struct tgt_reg *, tgt_changed_fn, void *arg);

/* Make the registry hold cfg's targets (cfg must outlive it, or the next
 * call): a target of the same name that reaches the same database keeps its
 * state; the others are new. removed(arg, t) runs for each target dropped,
 * before it is freed (the service frees its schedule there). */
void		 tgt_reg_configure(struct tgt_reg *, const struct config *cfg,
		    void (*removed)(void *arg, struct tgt *), void *arg);

/* The configured targets, in configuration order. */
int		 tgt_count(const struct tgt_reg *);
struct tgt	*tgt_at(const struct tgt_reg *, int i);
/* Every row: each configured target followed by its schema rows
 * (TARGET/SCHEMA, by schema name) when it has schemas: patterns. A schema
 * row is created by the check that first finds its schema, and removed by
 * the first one that does not. What status, metrics and STATUS= show. */
int		 tgt_row_count(const struct tgt_reg *);
struct tgt	*tgt_row_at(const struct tgt_reg *, int i);
/* A row by name: a target or TARGET/SCHEMA. */
struct tgt	*tgt_find(const struct tgt_reg *, const char *name);
/* The target a schema row belongs to; NULL for a configured target. */
struct tgt	*tgt_parent(const struct tgt *);

void		 tgt_view(const struct tgt *, struct tgt_view *);
const char	*tgt_name(const struct tgt *);
const struct cfg_target *tgt_cfg(const struct tgt *);
enum tgt_state	 tgt_state(const struct tgt *);

/* The service's schedule of the target (scheduler.h), NULL until it sets
 * one; for a schema row, its target's (one check reads all its schemas). */
struct sched_job *tgt_job(const struct tgt *);
void		 tgt_set_job(struct tgt *, struct sched_job *);

/* Take a check outcome (o keeps what it still owns) and emit TGT_CHECKED.
 * true when the result was a failure (unreachable / error): the schedule
 * backs off. A schemas: target's outcome also updates its schema rows:
 * each schema read is a row (new ones are created), a row whose schema was
 * not read is removed (TGT_REMOVED); when the target could not be read,
 * every row takes that failure, inherited. The target is emitted first,
 * then the removed rows, then the others. */
bool		 tgt_take_outcome(struct tgt_reg *, struct tgt *, struct check_outcome *o);
/* Set a state outside a check (an apply) and emit ev (not TGT_REMOVED). */
void		 tgt_set_state(struct tgt_reg *, struct tgt *, enum tgt_state, enum tgt_event ev);

/* STATUS= head: "3 targets: 1 ok, 1 drift (prod: 2 differences), 1 unknown". */
void		 tgt_status_append(const struct tgt_reg *, struct sbuf *);

#endif
