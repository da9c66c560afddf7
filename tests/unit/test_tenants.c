/* Unit tests for schema per tenant (schemas:): the glob → LIKE translation
 * and the client-side glob match of pgcat.c (table-driven), and the registry's schema rows (target.c) fed
 * with check outcomes made here: rows are created in name order, kept,
 * removed once with TGT_REMOVED, take an inherited failure when the target
 * cannot be read, carry their target's job, and keep their own view of the
 * configuration (name and schema) across a reload. The server side of the
 * patterns is tests/e2e/tenants.sh. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "check.h"
#include "pgcat.h"
#include "target.h"
#include "util.h"
#include "tap.h"

static void
test_glob_like(void)
{
	static const struct {
		const char	*glob;
		const char	*like;
	} cases[] = {
		{ "tenant_*", "tenant\\_%" },
		{ "t?", "t_" },
		{ "*", "%" },
		{ "a%b", "a\\%b" },
		{ "back\\slash", "back\\\\slash" },
		{ "exact", "exact" },
		{ "*_x_*", "%\\_x\\_%" },
	};
	size_t i;
	char *got;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = pgcat_glob_like(cases[i].glob);
		is_str(got, cases[i].like, cases[i].glob);
		free(got);
	}
}

static void
test_glob_match(void)
{
	static const struct {
		const char	*glob;
		const char	*s;
		bool		 match;
	} cases[] = {
		{ "tenant_*", "tenant_0042", true },
		{ "tenant_*", "tenant_", true },
		{ "tenant_*", "tenantx", false },
		{ "tenant_*", "other", false },
		{ "t?", "t1", true },
		{ "t?", "t12", false },
		{ "*a*b", "xxaxxb", true },
		{ "*a*b", "xxaxxbc", false },
		{ "a%b", "a%b", true },
		{ "a%b", "axxb", false },	/* % is not a wildcard here */
		{ "[ab]", "[ab]", true },	/* nor are brackets */
		{ "[ab]", "a", false },
		{ "*", "", true },
		{ "", "", true },
		{ "", "x", false },
	};
	char what[128];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(what, sizeof what, "\"%s\" %s \"%s\"", cases[i].s,
		    cases[i].match ? "matches" : "does not match", cases[i].glob);
		ok(pgcat_glob_match(cases[i].glob, cases[i].s) == cases[i].match, what);
	}
	/* What the schemas query reads: system schemas never, the daemon's
	 * own only when named exactly. */
	ok(pgcat_schema_matches("*", "tenant_a"), "\"*\" reads tenant_a");
	ok(!pgcat_schema_matches("*", "pg_catalog"), "\"*\" never reads pg_catalog");
	ok(!pgcat_schema_matches("*", "information_schema"), "nor information_schema");
	ok(!pgcat_schema_matches("*", PGCAT_OWN_SCHEMA), "nor the daemon's own schema");
	ok(!pgcat_schema_matches("schema*", PGCAT_OWN_SCHEMA), "nor does a narrower glob");
	ok(pgcat_schema_matches(PGCAT_OWN_SCHEMA, PGCAT_OWN_SCHEMA), "its exact name does");
}

/* What the subscriber saw, as "name:event" words. */
static char seen[4096];

static void
on_change(void *arg, const struct tgt *t, enum tgt_event ev)
{
	static const char *const names[] = { "checked", "held", "restated", "removed" };
	struct tgt_view v;

	(void)arg;
	tgt_view(t, &v);
	snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "%s%s:%s%s",
	    seen[0] ? " " : "", v.name, names[ev], ev == TGT_CHECKED && v.inherited ? "(inherited)" : "");
}

/* An outcome read fine with these schemas, each in state st[i]. */
static struct check_outcome *
read_outcome(int n, const char *const *schemas, const enum tgt_state *st)
{
	struct check_outcome *o = xcalloc(1, sizeof *o);
	int i;

	o->state = ST_OK;
	o->per_schema = o->schemas_read = true;
	o->schemas = xcalloc((size_t)n + 1, sizeof *o->schemas);
	o->nschemas = n;
	for (i = 0; i < n; i++) {
		o->schemas[i].name = xstrdup(schemas[i]);
		o->schemas[i].o = xcalloc(1, sizeof *o->schemas[i].o);
		o->schemas[i].o->state = st[i];
	}
	return o;
}

static char *
row_names(const struct tgt_reg *reg)
{
	struct sbuf sb;
	int i;

	sbuf_init(&sb);
	for (i = 0; i < tgt_row_count(reg); i++)
		sbuf_printf(&sb, "%s%s", i ? "," : "", tgt_name(tgt_row_at(reg, i)));
	return sbuf_steal(&sb);
}

static void
is_rows(const struct tgt_reg *reg, const char *want, const char *what)
{
	char *got = row_names(reg);

	is_str(got, want, what);
	free(got);
}

static const char yaml[] =
    "targets:\n"
    "  - name: prod\n"
    "    postgresql: \"dbname=x\"\n"
    "    schemas: [tenant_*]\n"
    "  - name: one\n"
    "    postgresql: \"dbname=y\"\n";

static void
test_rows(void)
{
	static const char *const ab[] = { "tenant_a", "tenant_b" };
	static const char *const bc[] = { "tenant_b", "tenant_c" };
	static const enum tgt_state ok_drift[] = { ST_OK, ST_DRIFT };
	static const enum tgt_state ok_ok[] = { ST_OK, ST_OK };
	struct check_outcome *o;
	struct config *cfg, *cfg2;
	struct tgt_reg *reg;
	struct tgt *prod, *row;
	struct tgt_view v;
	char *err = NULL;
	int job;

	cfg = cfg_load_string("t.yaml", yaml, &err);
	ok(cfg != NULL, "the configuration loads");
	if (cfg == NULL) {
		printf("# %s\n", err);
		free(err);
		return;
	}
	is_int(cfg->targets[0].nschemas, 1, "schemas: one pattern");
	reg = tgt_reg_new(NULL);
	tgt_reg_subscribe(reg, on_change, NULL);
	tgt_reg_configure(reg, cfg, NULL, NULL);
	is_rows(reg, "prod,one", "before a check: the configured targets only");
	prod = tgt_find(reg, "prod");
	tgt_set_job(prod, (struct sched_job *)&job);

	o = read_outcome(2, ab, ok_drift);
	ok(!tgt_take_outcome(reg, prod, o), "a read target is not a failure");
	check_outcome_free(o);
	is_rows(reg, "prod,prod/tenant_a,prod/tenant_b,one", "one row per schema, after its target");
	is_str(seen, "prod:checked prod/tenant_a:checked prod/tenant_b:checked",
	    "the target, then each row");
	row = tgt_find(reg, "prod/tenant_b");
	ok(row != NULL && tgt_state(row) == ST_DRIFT, "a row's own verdict");
	ok(row != NULL && tgt_parent(row) == prod, "a row knows its target");
	ok(row != NULL && tgt_job(row) == (struct sched_job *)&job, "and is checked by its job");
	ok(row != NULL && strcmp(tgt_cfg(row)->schema, "tenant_b") == 0 &&
	    strcmp(tgt_cfg(row)->name, "prod/tenant_b") == 0 && tgt_cfg(row)->nschemas == 0,
	    "its configuration: one schema, under the row's name");

	/* tenant_a dropped, tenant_c created. */
	seen[0] = '\0';
	o = read_outcome(2, bc, ok_ok);
	tgt_take_outcome(reg, prod, o);
	check_outcome_free(o);
	is_rows(reg, "prod,prod/tenant_b,prod/tenant_c,one", "a dropped schema's row goes, a new one comes");
	is_str(seen, "prod:checked prod/tenant_a:removed prod/tenant_b:checked prod/tenant_c:checked",
	    "the dropped one is removed once");
	ok(tgt_find(reg, "prod/tenant_a") == NULL, "and forgotten");
	ok(tgt_find(reg, "prod/tenant_b") == row, "a kept row is the same row");

	/* Not read: every row takes the failure, inherited. */
	seen[0] = '\0';
	o = xcalloc(1, sizeof *o);
	o->state = ST_UNREACHABLE;
	o->error = xstrdup("connection refused");
	o->per_schema = true;
	ok(tgt_take_outcome(reg, prod, o), "unreachable is a failure");
	check_outcome_free(o);
	is_rows(reg, "prod,prod/tenant_b,prod/tenant_c,one", "the rows stay");
	is_str(seen, "prod:checked prod/tenant_b:checked(inherited) prod/tenant_c:checked(inherited)",
	    "and fail with their target, inherited");
	tgt_view(row, &v);
	ok(v.state == ST_UNREACHABLE && v.error != NULL && strcmp(v.error, "connection refused") == 0,
	    "a row shows why");

	/* A reload keeps the target and its rows, with a fresh configuration. */
	cfg2 = cfg_load_string("t.yaml", yaml, &err);
	tgt_reg_configure(reg, cfg2, NULL, NULL);
	cfg_free(cfg);
	is_rows(reg, "prod,prod/tenant_b,prod/tenant_c,one", "a reload keeps the rows");
	ok(strcmp(tgt_cfg(row)->conninfo, "dbname=x") == 0, "whose configuration follows the reload");

	/* Nothing matches any more: every row goes. */
	seen[0] = '\0';
	o = read_outcome(0, NULL, NULL);
	o->state = ST_ERROR;
	tgt_take_outcome(reg, prod, o);
	check_outcome_free(o);
	is_rows(reg, "prod,one", "no schema left: no row left");
	is_str(seen, "prod:checked prod/tenant_b:removed prod/tenant_c:removed", "each removed once");
	tgt_reg_free(reg);
	cfg_free(cfg2);
}

int
main(void)
{
	test_glob_like();
	test_glob_match();
	test_rows();
	return tap_done();
}
