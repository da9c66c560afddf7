/* canonical.c — V7 as data: the single source of truth of what a target must hold.
 *
 * The tables below transcribe v7-schema.md. Types and defaults are logical
 * (uuid, json, timestamp; "now") and rendered per dialect by the small maps at
 * the top, so PostgreSQL and SQLite can never disagree about what V7 is. */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "canonical.h"
#include "catalog.h"

/* Logical types and how each dialect declares them (v7-schema.md). */
static const struct {
	const char	*logical;
	const char	*pg;
	const char	*sqlite;
} v7_types[] = {
	{ "uuid",	"uuid",				"TEXT" },
	{ "text",	"text",				"TEXT" },
	{ "json",	"jsonb",			"TEXT" },
	{ "integer",	"integer",			"INTEGER" },
	{ "timestamp",	"timestamp with time zone",	"TEXT" },
};

/* Defaults: "now" is a function in both dialects; literals are typed in
 * PostgreSQL's deparsed form and plain in SQLite's. */
enum dflt { D_NONE, D_NOW, D_EMPTY_OBJECT, D_EMPTY_ARRAY, D_PENDING };
static const struct {
	const char	*pg;
	const char	*sqlite;
} v7_defaults[] = {
	[D_NONE]	 = { NULL, NULL },
	[D_NOW]		 = { "now()", "datetime('now')" },
	[D_EMPTY_OBJECT] = { "'{}'::jsonb", "'{}'" },
	[D_EMPTY_ARRAY]	 = { "'[]'::jsonb", "'[]'" },
	[D_PENDING]	 = { "'pending'::text", "'pending'" },
};

struct v7_column {
	const char	*name;
	const char	*type;		/* logical */
	int		 notnull;
	enum dflt	 dflt;
};

struct v7_fk {
	const char	*name;
	const char	*col;
	const char	*ref_table;
	const char	*ref_col;
	enum cat_fk_action on_delete;
};

struct v7_check {
	const char	*name;
	const char	*expr;
};

struct v7_index {
	const char	*name;
	int		 unique;
	const char	*keys[4];	/* NULL-terminated */
	const char	*pred;
};

struct v7_table {
	const char		*name;
	struct v7_column	 cols[10];	/* name == NULL ends */
	const char		*pk_name;
	const char		*pk_col;
	const char		*uq_name;	/* at most one UNIQUE constraint in V7 */
	const char		*uq_cols[3];
	struct v7_fk		 fk;		/* name == NULL: none */
	struct v7_check		 checks[3];	/* name == NULL ends */
	struct v7_index		 index;		/* name == NULL: none */
};

static const struct v7_table v7[] = {
	{
		.name = "prompt_templates",
		.cols = {
			{ "id",			"uuid",		1, D_NONE },
			{ "org_id",		"uuid",		1, D_NONE },
			{ "workspace_id",	"uuid",		1, D_NONE },
			{ "name",		"text",		1, D_NONE },
			{ "config",		"json",		1, D_EMPTY_OBJECT },
			{ "config_hash",	"text",		1, D_NONE },
			{ "created_at",		"timestamp",	1, D_NOW },
			{ "updated_at",		"timestamp",	1, D_NOW },
			{ "deleted_at",		"timestamp",	0, D_NONE },
		},
		.pk_name = "prompt_templates_pkey", .pk_col = "id",
		.checks = {
			{ "ck_prompt_templates_config_hash", "length(config_hash) = 64" },
		},
		.index = {
			"ux_tpl_org_ws_confighash_active", 1,
			{ "org_id", "workspace_id", "config_hash", NULL },
			"deleted_at IS NULL",
		},
	},
	{
		.name = "prompt_versions",
		.cols = {
			{ "id",			"uuid",		1, D_NONE },
			{ "template_id",	"uuid",		1, D_NONE },
			{ "version",		"integer",	1, D_NONE },
			{ "body",		"text",		1, D_NONE },
			{ "variables",		"json",		1, D_EMPTY_ARRAY },
			{ "created_at",		"timestamp",	1, D_NOW },
		},
		.pk_name = "prompt_versions_pkey", .pk_col = "id",
		.uq_name = "uq_prompt_versions_template_version",
		.uq_cols = { "template_id", "version", NULL },
		.fk = { "fk_prompt_versions_template", "template_id", "prompt_templates", "id",
			FK_CASCADE },
		.checks = {
			{ "ck_prompt_versions_version", "version > 0" },
		},
	},
	{
		.name = "prompt_results",
		.cols = {
			{ "id",			"uuid",		1, D_NONE },
			{ "version_id",		"uuid",		1, D_NONE },
			{ "status",		"text",		1, D_PENDING },
			{ "input",		"json",		1, D_EMPTY_OBJECT },
			{ "output",		"text",		0, D_NONE },
			{ "latency_ms",		"integer",	0, D_NONE },
			{ "created_at",		"timestamp",	1, D_NOW },
		},
		.pk_name = "prompt_results_pkey", .pk_col = "id",
		.fk = { "fk_prompt_results_version", "version_id", "prompt_versions", "id",
			FK_CASCADE },
		.checks = {
			{ "ck_prompt_results_status", "status IN ('pending', 'succeeded', 'failed')" },
			{ "ck_prompt_results_latency", "latency_ms >= 0" },
		},
		.index = {
			"ix_prompt_results_version_created", 0,
			{ "version_id", "created_at", NULL },
			NULL,
		},
	},
};

static const char *
render_type(enum cat_dialect d, const char *logical)
{
	size_t i;

	for (i = 0; i < sizeof v7_types / sizeof v7_types[0]; i++)
		if (strcmp(v7_types[i].logical, logical) == 0)
			return d == CAT_PG ? v7_types[i].pg : v7_types[i].sqlite;
	return logical;		/* unreachable with the table above */
}

/* Names are kept in every dialect: they name the objects in reports, while
 * compare.c compares them only where both sides report names (PostgreSQL). */
static const char *
cname(enum cat_dialect d, const char *name)
{
	(void)d;
	return name;
}

static void
add_table(struct catalog *c, const struct v7_table *vt)
{
	enum cat_dialect d = c->dialect;
	struct cat_table *t = cat_add_table(c, vt->name);
	const struct v7_column *col;
	const struct v7_check *ck;
	struct cat_key *k;
	struct cat_fk *fk;
	struct cat_index *ix;
	int i;

	for (col = vt->cols; col->name != NULL; col++)
		cat_add_column(t, d, col->name, render_type(d, col->type), col->notnull,
		    d == CAT_PG ? v7_defaults[col->dflt].pg : v7_defaults[col->dflt].sqlite);
	k = cat_set_pk(t, cname(d, vt->pk_name));
	cat_strv_add(&k->cols, vt->pk_col);
	if (vt->uq_name != NULL) {
		k = cat_add_unique(t, cname(d, vt->uq_name));
		for (i = 0; vt->uq_cols[i] != NULL; i++)
			cat_strv_add(&k->cols, vt->uq_cols[i]);
	}
	if (vt->fk.name != NULL) {
		fk = cat_add_fk(t, cname(d, vt->fk.name), vt->fk.ref_table);
		cat_strv_add(&fk->cols, vt->fk.col);
		cat_strv_add(&fk->ref_cols, vt->fk.ref_col);
		fk->on_delete = vt->fk.on_delete;
	}
	for (ck = vt->checks; ck->name != NULL; ck++)
		cat_add_check(t, d, cname(d, ck->name), ck->expr);
	if (vt->index.name != NULL) {
		ix = cat_add_index(t, d, vt->index.name, vt->index.unique, "btree",
		    vt->index.pred);
		for (i = 0; vt->index.keys[i] != NULL; i++)
			cat_strv_add(&ix->keys, vt->index.keys[i]);
	}
}

const struct cat_strv *
canonical_v7_tables(void)
{
	static char t0[] = "prompt_templates", t1[] = "prompt_versions",
	    t2[] = "prompt_results";
	static char *names[] = { t0, t1, t2 };
	static const struct cat_strv tables = { names, 3 };

	return &tables;
}

struct catalog *
canonical_v7(enum cat_dialect d)
{
	struct catalog *c = cat_new(d);
	size_t i;

	for (i = 0; i < sizeof v7 / sizeof v7[0]; i++)
		add_table(c, &v7[i]);
	return c;
}
