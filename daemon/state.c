/* state.c — target and group states, and the verdict for one catalog. */
#include "config.h"

#include <string.h>

#include "canonical.h"
#include "state.h"

static const char *const tgt_state_names[ST__COUNT] = {
	[ST_UNKNOWN]	 = "unknown",
	[ST_OK]		 = "ok",
	[ST_PENDING]	 = "pending",
	[ST_DRIFT]	 = "drift",
	[ST_UNREACHABLE] = "unreachable",
	[ST_ERROR]	 = "error",
	[ST_APPLYING]	 = "applying",
};

static const char *const grp_state_names[GS__COUNT] = {
	[GS_UNKNOWN]	= "unknown",
	[GS_CONVERGED]	= "converged",
	[GS_DIVERGED]	= "diverged",
};

const char *
tgt_state_name(enum tgt_state s)
{
	return tgt_state_names[s];
}

int
tgt_state_parse(const char *s)
{
	int i;

	for (i = 0; i < ST__COUNT; i++)
		if (strcmp(tgt_state_names[i], s) == 0)
			return i;
	return -1;
}

const char *
grp_state_name(enum grp_state s)
{
	return grp_state_names[s];
}

enum tgt_state
state_verdict(const struct catalog *actual, struct diff_list *diffs)
{
	struct catalog *canon;
	int before = diffs->n;

	/* "pending" is "no V7 object exists"; only V7 tables are ever read, and
	 * every other V7 object lives on one of them. */
	if (actual->ntables == 0)
		return ST_PENDING;
	canon = canonical_v7(actual->dialect);
	compare_catalogs(canon, actual, diffs);
	cat_free(canon);
	return diffs->n > before ? ST_DRIFT : ST_OK;
}
