/* groups.h — divergence groups: targets whose schemas must stay identical to
 * each other (the `groups:` of the configuration, e.g. dev vs prod).
 *
 * A group is judged from the last catalogs its members' checks read, through
 * compare_catalogs (a SQLite member and a PostgreSQL member compare through
 * the logical types of v7-schema.md), every member against the first one,
 * "the reference":
 *   unknown    some member has no catalog yet, or is now unknown, unreachable,
 *              error or applying: what it holds is not known;
 *   converged  every member's catalog equals the reference's;
 *   diverged   otherwise, with the differences.
 * Divergence is not drift: two members that drifted the same way are
 * converged (each in drift); a V7 member and a pending one are diverged.
 *
 * A difference names both members. It reads like a target's difference with
 * the reference A in the place of V7: for a pair (A, B), "expected" is what A
 * has and "actual" what B has, and the kind is said from B's side
 * (missing_index: A has the index, B has not). In JSON:
 *   {"object","kind","members":[A,B],"expected","actual"}
 * and in log lines "OBJECT KIND (A: expected, B: actual)".
 *
 * Every verdict goes to the reporter (reporter.h), which decides whether it
 * is news: a change between converged and diverged is reported once (logged
 * with LOGEV_GROUP_DIVERGED / LOGEV_GROUP_CONVERGED, stored in state.db as
 * HIST_GROUP, sent to the alert hook with SCHEMAWATCH_KIND=group); becoming
 * unknown is only logged at info level, and a group that comes back from
 * unknown to the state it last reported is not reported again.
 *
 * Groups subscribe to the target registry's "target changed" and are
 * re-judged when one of their members changes, and after a reload. Nothing
 * here calls back into the service. Event-loop thread only. */
#ifndef SW_GROUPS_H
#define SW_GROUPS_H

#include <stdint.h>
#include <jansson.h>

#include "cfg.h"
#include "compare.h"
#include "state.h"
#include "target.h"
#include "util.h"

struct reporter;
struct groups;

/* One difference between two members: d.expected is members[a]'s value,
 * d.actual members[b]'s. */
struct grp_diff {
	int		 a;	/* index into grp.members: always 0 (the reference) */
	int		 b;
	struct diff	 d;
};

/* One group, read-only outside groups.c. */
struct grp {
	char		 *name;
	char		**members;	/* target names, configuration order */
	int		  nmembers;
	enum grp_state	  state;
	int64_t		  since_ms;	/* wall clock: when `state` began */
	char		 *reason;	/* unknown: why ("prod is unreachable") */
	struct grp_diff	 *diffs;
	int		  ndiffs;
};

/* A judgement, before it is taken into the group. */
struct grp_verdict {
	enum grp_state	 state;
	char		*reason;
	struct grp_diff	*diffs;
	int		 ndiffs;
};

/* The groups of cfg, judged from reg's targets, reporting through rep (which
 * also knows the states reported before a restart). Subscribes to reg. */
struct groups	*groups_new(struct tgt_reg *reg, struct reporter *rep, const struct config *cfg);
/* After a reload swapped the configuration and the targets: rebuild the
 * groups, keeping the state of groups with the same name and the same
 * members (same order), and judge them all again. */
void		 groups_reload(struct groups *, const struct config *cfg);
void		 groups_free(struct groups *);

/* The registry's subscriber (tgt_reg_subscribe): judge the groups holding
 * the target. */
void		 groups_target_changed(void *groups, const struct tgt *, enum tgt_event);

int		 groups_count(const struct groups *);
const struct grp *groups_at(const struct groups *, int i);

/* Judge one group from its members (members[i] is the view of the target
 * named g->members[i], or NULL when there is none). Pure: nothing is
 * reported. */
void		 grp_judge(const struct grp *, const struct tgt_view *const *members,
		    struct grp_verdict *out);
void		 grp_verdict_free(struct grp_verdict *);

/* STATUS= tail: "; 2 groups: 1 converged, 1 diverged (dev-vs-prod: 2
 * differences)"; nothing without groups. */
void		 groups_status_append(const struct groups *, struct sbuf *);

/* For `status`: [{"name","state","since","since_ms","members","reason",
 * "differences":[...]}], one per group in configuration order. */
json_t		*groups_json(const struct groups *);
json_t		*grp_json(const struct grp *);
/* The differences alone: [{"object","kind","members","expected","actual"}]. */
json_t		*grp_diffs_json(const struct grp *);

/* -1 when unknown. */
int		 grp_state_parse(const char *);

#endif
