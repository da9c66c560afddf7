/* state.h — the states of a target and of a group (product.md "Target states"). */
#ifndef SW_STATE_H
#define SW_STATE_H

#include "catalog.h"
#include "compare.h"

enum tgt_state {
	ST_UNKNOWN,
	ST_OK,
	ST_PENDING,
	ST_DRIFT,
	ST_UNREACHABLE,
	ST_ERROR,
	ST_APPLYING,
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

/* The verdict for a catalog read from a target: pending when no V7 table
 * exists, ok when it equals the canonical V7 of its dialect, drift otherwise
 * (with the differences appended to diffs). */
enum tgt_state	 state_verdict(const struct catalog *actual, struct diff_list *diffs);

#endif
