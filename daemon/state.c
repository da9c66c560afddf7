/* state.c — target and group states, and the verdict for one catalog: against
 * a definition's chain (state_verdict_def). */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "state.h"
#include "util.h"

static const char *const tgt_state_names[ST__COUNT] = {
	[ST_UNKNOWN]	 = "unknown",
	[ST_OK]		 = "ok",
	[ST_PENDING]	 = "pending",
	[ST_DRIFT]	 = "drift",
	[ST_UNREACHABLE] = "unreachable",
	[ST_ERROR]	 = "error",
	[ST_APPLYING]	 = "applying",
	[ST_AHEAD]	 = "ahead",
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

/* ---- against a definition's chain ------------------------------------------ */

const char *
state_revision_name(const struct definition *def, int rev)
{
	if (rev >= 0 && rev < def->nrevs)
		return def->revs[rev].id;
	return "(none)";
}

/* Differences between revision rev and the actual catalog, appended to l. */
static int
diffs_against(const struct definition *def, int rev, const struct catalog *actual,
    struct diff_list *l)
{
	const struct catalog *want = def->revs[rev].step[actual->dialect].compiled;
	int before = l->n;

	compare_catalogs(want, actual, l);
	return l->n - before;
}

/* What the version table should hold when the schema is at revision `at`
 * (-1: before the chain): that revision's id, or the first step's previous
 * id (NULL: no row). */
static const char *
version_expected(const struct definition *def, int at)
{
	return at >= 0 ? def->revs[at].id : def->revs[0].previous;
}

static void
version_check(const struct definition *def, const char *row, struct rev_verdict *v,
    struct diff_list *diffs)
{
	const char *want;
	char *object;

	if (def->version_table == NULL || row == STATE_VERSION_UNKNOWN || v->state == ST_DRIFT)
		return;
	want = version_expected(def, v->at);
	/* Before the chain, an empty version table is no claim either way:
	 * the row of `previous:` may have been removed by a downgrade
	 * (previous_revision: "") or never written. */
	if (v->at < 0 && row == NULL)
		return;
	if ((want == NULL && row == NULL) || (want != NULL && row != NULL && strcmp(want, row) == 0))
		return;
	object = xasprintf("%s.version_num", def->version_table);
	diff_list_add(diffs, DIFF_VERSION_ROW, object, want != NULL ? want : "(no row)",
	    row != NULL ? row : "(no row)");
	free(object);
	/* The schema is at a revision but the record says otherwise: neither
	 * ok nor pending can be trusted by an applier. */
	v->closest = v->at >= 0 ? v->at : 0;
	v->state = ST_DRIFT;
}

enum tgt_state
state_verdict_def(const struct definition *def, int expected, const struct catalog *actual,
    const char *version_row, struct diff_list *diffs, struct rev_verdict *v)
{
	struct diff_list scratch = { NULL, 0 };
	int i, n, best = INT_MAX;

	memset(v, 0, sizeof *v);
	v->expected = expected;
	v->at = -1;
	v->closest = -1;
	if (actual->ntables == 0 && actual->nobjects == 0) {
		/* Nothing read at all (none of the definition's objects; under
		 * scope: schema an empty schema): before the chain. Objects
		 * without a table (an extra view or function under scope:
		 * schema, a type the definition names) are judged against the
		 * revisions below: no revision has them alone, so drift, not a
		 * schema an applier could build from nothing. */
		v->state = ST_PENDING;
		v->behind = expected + 1;
	} else {
		/* Exact revisions first; the newest wins if two are equal. */
		for (i = def->nrevs - 1; i >= 0; i--) {
			n = diffs_against(def, i, actual, &scratch);
			diff_list_free(&scratch);
			if (n == 0 && v->at < 0)
				v->at = i;
			/* Ties go to the expected revision, then the newer. */
			if (n < best || (n == best && i == expected)) {
				best = n;
				v->closest = i;
			}
		}
		if (v->at == expected)
			v->state = ST_OK;
		else if (v->at >= 0 && v->at < expected) {
			v->state = ST_PENDING;
			v->behind = expected - v->at;
		} else if (v->at > expected) {
			v->state = ST_AHEAD;
			v->ahead = v->at - expected;
		} else {
			v->state = ST_DRIFT;
			diffs_against(def, expected, actual, diffs);
		}
	}
	if (v->state != ST_DRIFT)
		v->closest = v->at;
	version_check(def, version_row, v, diffs);
	return v->state;
}

/* ---- two targets ------------------------------------------------------------ */

void
state_compare_members(const struct catalog *a, const struct definition *da,
    const struct catalog *b, const struct definition *db, struct diff_list *diffs)
{
	struct catalog *x;

	if (a->dialect == b->dialect || da == NULL || db == NULL || !da->has_parity ||
	    strcmp(da->dir, db->dir) != 0) {
		compare_catalogs(a, b, diffs);
		return;
	}
	if (a->dialect == CAT_PG) {
		x = def_parity_translate(da, a);
		compare_catalogs(x != NULL ? x : a, b, diffs);
	} else {
		x = def_parity_translate(da, b);
		compare_catalogs(a, x != NULL ? x : b, diffs);
	}
	cat_free(x);
}
