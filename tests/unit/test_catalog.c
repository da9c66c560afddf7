/* Unit tests for catalog.c: stable table order, FK action parsing, rendering. */
#include "config.h"

#include <stdlib.h>

#include "catalog.h"
#include "tap.h"

int
main(void)
{
	struct catalog *c = cat_new(CAT_PG);
	struct cat_table *t;
	struct cat_fk *fk;
	char *s;

	cat_add_table(c, "prompt_results");
	cat_add_table(c, "prompt_templates");
	cat_add_table(c, "prompt_versions");
	cat_add_table(c, "prompt_results");
	is_int(c->ntables, 3, "adding a table twice keeps one");
	is_str(c->tables[0].name, "prompt_templates", "tables in V7 order (0)");
	is_str(c->tables[1].name, "prompt_versions", "tables in V7 order (1)");
	is_str(c->tables[2].name, "prompt_results", "tables in V7 order (2)");
	ok(cat_find_table(c, "other") == NULL, "unknown table is not found");
	ok(cat_is_v7_table("prompt_versions") && !cat_is_v7_table("users"), "V7 table names");

	is_int(cat_fk_action_parse("c"), FK_CASCADE, "pg letter c is CASCADE");
	is_int(cat_fk_action_parse("a"), FK_NO_ACTION, "pg letter a is NO ACTION");
	is_int(cat_fk_action_parse("set null"), FK_SET_NULL, "SET NULL in any case");
	is_int(cat_fk_action_parse("CASCADE"), FK_CASCADE, "CASCADE");
	is_int(cat_fk_action_parse("sometimes"), -1, "unknown action is refused");

	t = cat_find_table(c, "prompt_results");
	fk = cat_add_fk(t, "fk_prompt_results_version", "prompt_versions");
	cat_strv_add(&fk->cols, "version_id");
	cat_strv_add(&fk->ref_cols, "id");
	fk->on_delete = FK_CASCADE;
	s = cat_fk_describe(fk);
	is_str(s, "(version_id) REFERENCES prompt_versions (id) ON DELETE CASCADE",
	    "foreign key rendering");
	free(s);
	cat_free(c);
	return tap_done();
}
