/* check.h — check one configured target: probe it, then judge its catalog.
 *
 * The one path from a target to its state, used by `--once`, by the daemon's
 * scheduler and by `schemawatchctl check`. */
#ifndef SW_CHECK_H
#define SW_CHECK_H

#include <stdint.h>
#include <event2/event.h>

#include "catalog.h"
#include "cfg.h"
#include "compare.h"
#include "defset.h"
#include "probe.h"
#include "state.h"

struct check_outcome {
	enum tgt_state	 state;		/* ok, pending, ahead, drift, unreachable or error */
	char		*error;		/* unreachable / error reason */
	struct diff_list diffs;		/* against the expected revision, when drift */
	/* Against the definition's chain (definitions.md), names copied so
	 * that they outlive a reload: the revision expected, and the one the
	 * target is at — NULL when not known (drift, unreachable, error, or
	 * before the chain). behind/ahead: steps, for pending/ahead; closest:
	 * the nearest revision, for drift. */
	char		*expected;
	char		*revision;
	char		*closest;
	int		 behind;
	int		 ahead;
	struct catalog	*cat;		/* what was read (NULL when unreachable/error) */
	/* The definition cat was judged against, held by its set's reference
	 * (NULL when none): comparing two targets needs its parity. */
	struct defset	*defs;
	const struct definition *def;
	int64_t		 duration_ms;
	unsigned	 round_trips;
	bool		 cat_reused;	/* probe_result.cat_reused */
	int64_t		 finished_ms;	/* wall clock */
	/* A target with schemas: patterns (per_schema): one outcome per
	 * matching schema, in name order, each judged as a target of its own.
	 * The fields above are then the reading of the target as a whole: ok
	 * when it was read (whatever its schemas are), unreachable or error
	 * when not, error also when no schema matches. schemas_read: the list
	 * is what the server has now (a schema missing from it was dropped);
	 * false when the target could not be read. */
	bool		 per_schema;
	bool		 schemas_read;
	struct check_schema *schemas;
	int		 nschemas;
};

struct check_schema {
	char			*name;		/* the schema */
	struct check_outcome	*o;
};

typedef void (*check_done_cb)(struct check_outcome *, void *arg);

struct check;
/* Start a check of t against its definition in defs (which the check holds
 * a reference to until it is done); the callback owns the outcome
 * (check_outcome_free). The handle is valid until the callback has run or
 * check_cancel is called. */
struct check	*check_start(struct event_base *, const struct config *,
		    const struct cfg_target *, struct defset *defs, check_done_cb,
		    void *arg);
/* Stop a running check: its callback will not run. */
void		 check_cancel(struct check *);
void		 check_outcome_free(struct check_outcome *);

const char	*cfg_target_kind_name(const struct cfg_target *);
/* scope: schema (the whole schema must equal the definition). */
bool		 cfg_target_scope_schema(const struct cfg_target *);

#endif
