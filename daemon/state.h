/* state.h — the states of a target and of a group (product.md "Target states"). */
#ifndef SW_STATE_H
#define SW_STATE_H

#include "catalog.h"
#include "compare.h"
#include "definition.h"

enum tgt_state {
	ST_UNKNOWN,
	ST_OK,
	ST_PENDING,
	ST_DRIFT,
	ST_UNREACHABLE,
	ST_ERROR,
	ST_APPLYING,
	ST_AHEAD,	/* exactly a later revision than expected (definitions) */
	ST__COUNT
};

enum grp_state {
	GS_UNKNOWN,
	GS_CONVERGED,
	GS_DIVERGED,
	GS__COUNT
};

const char	*tgt_state_name(enum tgt_state);
int		 tgt_state_parse(const char *);	/* -1 when unknown */
const char	*grp_state_name(enum grp_state);

/* What a target is, against a definition's chain (definitions.md). */
struct rev_verdict {
	enum tgt_state	 state;		/* ok, pending, ahead or drift */
	int		 expected;	/* revision index expected */
	/* The revision the schema is exactly at (ok/pending/ahead); -1 when
	 * before the chain (pending: none of the definition's objects) or
	 * not at any revision (drift). */
	int		 at;
	int		 behind;	/* pending: steps to the expected revision */
	int		 ahead;		/* ahead: steps past it */
	int		 closest;	/* drift: the revision with fewest differences */
};

/* The verdict for a catalog read over def->tables: ok when it equals the
 * compiled catalog of the expected revision (index `expected`), pending when
 * it equals an earlier one or holds none of the definition's tables, ahead
 * when it equals a later one, drift otherwise, with the differences against
 * the expected revision appended to diffs and the closest revision named.
 * version_row: what the version table records (NULL: no row; pass
 * STATE_VERSION_UNKNOWN when it was not read): when it disagrees with what
 * the schema is, that is a `version_row` difference and the state is drift.
 * The definition must have been loaded with def_load_full(). */
#define STATE_VERSION_UNKNOWN ((const char *)-1)
enum tgt_state	 state_verdict_def(const struct definition *, int expected,
		    const struct catalog *actual, const char *version_row,
		    struct diff_list *diffs, struct rev_verdict *);
/* The differences between two targets' catalogs, a the reference (appended
 * to diffs). Across dialects, when both are judged against one definition
 * that has `parity`, the PostgreSQL side is translated through it first
 * (def_parity_translate), so that what the definition maps is no
 * difference; otherwise the comparison's own cross-dialect rules apply.
 * da/db may be NULL (not known). */
void		 state_compare_members(const struct catalog *a, const struct definition *da,
		    const struct catalog *b, const struct definition *db, struct diff_list *diffs);
/* "prompter_v7", or "(none)" before the chain / "(unknown)" for -1 in drift. */
const char	*state_revision_name(const struct definition *, int rev);

#endif
