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
	is_str(c->tables[0].name, "prompt_results", "tables in the order added");
	ok(cat_find_table(c, "other") == NULL, "unknown table is not found");
	/* results -> versions -> templates: parents first, whatever the order added */
	cat_add_fk(cat_find_table(c, "prompt_results"), "a", "prompt_versions");
	cat_add_fk(cat_find_table(c, "prompt_versions"), "b", "prompt_templates");
	cat_add_fk(cat_find_table(c, "prompt_versions"), "self", "prompt_versions");
	cat_sort_tables(c);
	is_str(c->tables[0].name, "prompt_templates", "dependency order (0)");
	is_str(c->tables[1].name, "prompt_versions", "dependency order (1): a self reference is no cycle");
	is_str(c->tables[2].name, "prompt_results", "dependency order (2)");
	cat_add_table(c, "a_loose");
	cat_sort_tables(c);
	is_str(c->tables[0].name, "a_loose", "ties by name");
	is_int(cat_fk_match_parse("f"), FK_MATCH_FULL, "pg letter f is MATCH FULL");
	is_int(cat_fk_match_parse("simple"), FK_MATCH_SIMPLE, "MATCH SIMPLE in any case");
	is_int(cat_fk_match_parse("sideways"), -1, "unknown MATCH is refused");

	is_int(cat_fk_action_parse("c"), FK_CASCADE, "pg letter c is CASCADE");
	is_int(cat_fk_action_parse("a"), FK_NO_ACTION, "pg letter a is NO ACTION");
	is_int(cat_fk_action_parse("set null"), FK_SET_NULL, "SET NULL in any case");
	is_int(cat_fk_action_parse("CASCADE"), FK_CASCADE, "CASCADE");
	is_int(cat_fk_action_parse("sometimes"), -1, "unknown action is refused");

	t = cat_add_table(c, "other");
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
