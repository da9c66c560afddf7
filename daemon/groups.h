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
 * A change between converged and diverged is reported once: logged with
 * LOGEV_GROUP_DIVERGED / LOGEV_GROUP_CONVERGED, stored in state.db
 * (HIST_GROUP), sent to the alert hook (SCHEMAWATCH_KIND=group,
 * SCHEMAWATCH_GROUP=name) and shown in STATUS=. Becoming unknown is not an
 * alert (the member's own change already is one); it is logged at info level,
 * and a group that comes back from unknown to the state it last reported is
 * not reported again. The reported state survives restarts through state.db.
 *
 * Groups are re-judged when one of their members' checks completes
 * (groups_member_changed) and after a reload. Everything here runs on the
 * event-loop thread. */
#ifndef SW_GROUPS_H
#define SW_GROUPS_H

#include <stdint.h>
#include <jansson.h>

#include "compare.h"
#include "state.h"
#include "util.h"

struct daemon;
struct tgt;

/* One difference between two members: d.expected is members[a]'s value,
 * d.actual members[b]'s. */
struct grp_diff {
	int		 a;	/* index into grp.members: always 0 (the reference) */
	int		 b;
	struct diff	 d;
};

struct grp {
	char		 *name;
	char		**members;	/* target names, configuration order */
	int		  nmembers;
	enum grp_state	  state;
	enum grp_state	  reported;	/* last logged / alerted / stored (state.db) */
	int64_t		  since_ms;	/* wall clock: when `state` began */
	int64_t		  reported_since;
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

/* Build d->groups from d->cfg, with the reported states from state.db. */
void		 groups_init(struct daemon *);
/* After a reload swapped d->cfg and the targets: rebuild d->groups, keeping
 * the state of groups with the same name and the same members (same order),
 * and judge them all again. */
void		 groups_reload(struct daemon *);
void		 groups_fini(struct daemon *);

/* A member's state or catalog may have changed: judge the groups holding it
 * and report their changes. */
void		 groups_member_changed(struct daemon *, const struct tgt *);

/* Judge one group from its members (members[i] is the target named
 * g->members[i], or NULL when there is none). Pure: nothing is reported. */
void		 grp_judge(const struct grp *, struct tgt *const *members,
		    struct grp_verdict *out);
void		 grp_verdict_free(struct grp_verdict *);

/* STATUS= tail: "; 2 groups: 1 converged, 1 diverged (dev-vs-prod: 2
 * differences)"; nothing without groups. */
void		 groups_status_append(const struct daemon *, struct sbuf *);

/* For `status`: [{"name","state","since","since_ms","members","reason",
 * "differences":[...]}], one per group in configuration order. */
json_t		*groups_json(const struct daemon *);
json_t		*grp_json(const struct grp *);
/* The differences alone: [{"object","kind","members","expected","actual"}]. */
json_t		*grp_diffs_json(const struct grp *);

/* -1 when unknown. */
int		 grp_state_parse(const char *);

#endif
