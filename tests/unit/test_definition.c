/* Tests for definition.c: definition.yaml read and checked with
 * FILE:LINE:COLUMN errors, the chain (previous ids), and the compiled
 * catalogs: loaded when current, refused with the command to run when
 * missing or compiled from other SQL. The compiling is done by compile.c on
 * SQLite only (no server needed), in a directory under SW_TEST_TMP. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compare.h"
#include "compile.h"
#include "definition.h"
#include "util.h"
#include "tap.h"

static char *dir;

static void
put(const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
	free(path);
}

static const char good_yaml[] =
"name: tiny\n"
"revisions:\n"
"  - id: t1\n"
"    previous: t0\n"
"    sqlite:\n"
"      upgrade: t1.sql\n"
"  - id: t2\n"
"    sqlite:\n"
"      upgrade: t2.sql\n"
"      downgrade: t2-down.sql\n";

/* def_load() on a YAML text: NULL and the error, or the definition. */
static struct definition *
load_yaml(const char *yaml, char **err)
{
	put("definition.yaml", yaml);
	return def_load(dir, err);
}

static void
bad(const char *yaml, const char *want, const char *what)
{
	char *err = NULL;
	struct definition *def = load_yaml(yaml, &err);
	char label[160];

	snprintf(label, sizeof label, "%s: refused naming \"%s\"", what, want);
	ok(def == NULL && err != NULL && strstr(err, want) != NULL, label);
	if (err != NULL && strstr(err, want) == NULL)
		printf("# got: %s\n", err);
	def_free(def);
	free(err);
}

static void
test_yaml(void)
{
	struct definition *def;
	char *err = NULL;

	def = load_yaml(good_yaml, &err);
	if (!ok(def != NULL, "a good definition loads")) {
		printf("# %s\n", err);
		free(err);
		return;
	}
	is_str(def->name, "tiny", "name");
	is_str(def->version_table, "alembic_version", "version_table defaults to Alembic's");
	is_int(def->nrevs, 2, "two revisions");
	is_str(def->revs[0].previous, "t0", "the first step's previous is as written");
	is_str(def->revs[1].previous, "t1", "a later step follows the one before");
	ok(def->has[CAT_SQLITE] && !def->has[CAT_PG], "one dialect only");
	ok(def->revs[0].step[CAT_SQLITE].downgrade == NULL, "a downgrade is optional");
	ok(def->revs[1].step[CAT_SQLITE].downgrade != NULL, "... and kept when given");
	is_int(def_find(def, "t2"), 1, "def_find");
	is_int(def_find(def, "t9"), -1, "def_find: not in the chain");
	def_free(def);

	bad("name: x\nrevisions:\n  - id: t1\n    sqlite:\n      upgrade: t1.sql\n    mysql: {}\n",
	    "definition.yaml:6:5: unknown key \"mysql\"", "unknown key");
	bad("name: x\nrevisions:\n  - id: t1\n    sqlite:\n      upgrade: nope.sql\n",
	    "definition.yaml:5:16: upgrade: ", "missing SQL file");
	bad("name: x\nrevisions: []\n", "definition.yaml:2:12: revisions: expected a non-empty list",
	    "no revision");
	bad("revisions:\n  - id: t1\n    sqlite:\n      upgrade: t1.sql\n",
	    "definition.yaml:1:1: the definition: missing key \"name\"", "no name");
	bad("name: x\nrevisions:\n  - id: t1\n    sqlite:\n      upgrade: t1.sql\n"
	    "  - id: t1\n    sqlite:\n      upgrade: t2.sql\n",
	    "definition.yaml:6:9: id: revision \"t1\" is defined twice", "duplicate id");
	bad("name: x\nrevisions:\n  - id: ../t1\n    sqlite:\n      upgrade: t1.sql\n",
	    "is not a revision id", "an id that is not a file name");
	bad("name: x\nrevisions:\n  - id: t1\n    sqlite:\n      upgrade: t1.sql\n"
	    "  - id: t2\n    previous: t0\n    sqlite:\n      upgrade: t2.sql\n",
	    "definition.yaml:7:15: previous: only the first revision", "previous on a later step");
	bad("name: x\nrevisions:\n  - id: t1\n    sqlite:\n      downgrade: t1.sql\n",
	    "missing key \"upgrade\"", "no upgrade");
	bad("name: [x\n", "definition.yaml:", "YAML syntax");
}

static void
test_compiled(void)
{
	struct definition *def;
	char *err = NULL, *path;

	put("definition.yaml", good_yaml);
	def = def_load_full(dir, &err);
	ok(def == NULL && err != NULL && strstr(err, "t2.sqlite.json") != NULL &&
	    strstr(err, "schemawatchd --compile-definition") != NULL,
	    "not compiled: refused, naming the file and the command to run");
	free(err);

	is_int(compile_definition(dir, NULL), 0, "compile_definition (SQLite only) exits 0");
	def = def_load_full(dir, &err);
	if (ok(def != NULL, "compiled: the definition loads with its catalogs")) {
		ok(def->revs[0].step[CAT_SQLITE].compiled != NULL &&
		    def->revs[1].step[CAT_SQLITE].compiled != NULL, "... one per revision");
		is_int(def->tables.n, 2, "... the tables of the definition: both, also the one t2 drops");
	} else {
		printf("# %s\n", err);
		free(err);
	}
	def_free(def);

	/* The SQL changes after compiling: the compiled files are stale. */
	put("t1.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT);\nCREATE TABLE gone (id INTEGER);\n");
	def = def_load_full(dir, &err);
	ok(def == NULL && err != NULL && strstr(err, "compiled from other SQL") != NULL &&
	    strstr(err, "--compile-definition") != NULL, "changed SQL: refused with the command to run");
	free(err);
	is_int(compile_definition(dir, NULL), 0, "recompiled");
	def = def_load_full(dir, &err);
	ok(def != NULL, "... and loads again");
	def_free(def);
	free(err);
	err = NULL;

	path = xasprintf("%s/compiled/t1.sqlite.json", dir);
	unlink(path);
	free(path);
	def = def_load_full(dir, &err);
	ok(def == NULL && err != NULL && strstr(err, "t1.sqlite.json") != NULL,
	    "a missing compiled file: refused");
	free(err);
}

/* The shipped definition, as compiled and committed: V7's three tables in
 * both dialects, parents first, and the two dialects agree (tests/e2e/
 * compile.sh proves the files are what the engines make of the SQL). */
static void
test_prompter(void)
{
	const char *src = getenv("SW_SRCDIR");
	char *path = xasprintf("%s/sql/prompter", src != NULL ? src : "."), *err = NULL;
	struct definition *def = def_load_full(path, &err);
	struct diff_list l = { NULL, 0 };
	const struct catalog *c;
	int d;

	free(path);
	if (!ok(def != NULL, "sql/prompter loads with its compiled catalogs")) {
		printf("# %s\n", err);
		free(err);
		return;
	}
	is_int(def->nrevs, 1, "prompter: one revision");
	is_str(def->revs[0].id, "prompter_v7", "... prompter_v7");
	is_str(def->revs[0].previous, "prompter_v6", "... after prompter_v6");
	is_int(def->tables.n, 3, "... three tables");
	for (d = CAT_PG; d <= CAT_SQLITE; d++) {
		c = def->revs[0].step[d].compiled;
		ok(c->ntables == 3 && strcmp(c->tables[0].name, "prompt_templates") == 0 &&
		    strcmp(c->tables[1].name, "prompt_versions") == 0 &&
		    strcmp(c->tables[2].name, "prompt_results") == 0,
		    d == CAT_PG ? "compiled postgresql V7: its three tables, parents first" :
		    "compiled sqlite V7: its three tables, parents first");
	}
	compare_catalogs(def->revs[0].step[CAT_PG].compiled, def->revs[0].step[CAT_SQLITE].compiled,
	    &l);
	is_int(l.n, 0, "compiled V7: postgresql and sqlite agree");
	diff_list_free(&l);
	def_free(def);
}

int
main(void)
{
	const char *tmp = getenv("SW_TEST_TMP");

	dir = xasprintf("%s/def_%ld", tmp != NULL ? tmp : "/tmp", (long)getpid());
	mkdir(dir, 0755);
	put("t1.sql", "CREATE TABLE a (id INTEGER PRIMARY KEY);\nCREATE TABLE gone (id INTEGER);\n");
	put("t2.sql", "DROP TABLE gone;\nALTER TABLE a ADD COLUMN b TEXT NOT NULL DEFAULT '';\n");
	put("t2-down.sql", "ALTER TABLE a DROP COLUMN b;\nCREATE TABLE gone (id INTEGER);\n");
	test_yaml();
	test_compiled();
	test_prompter();
	free(dir);
	return tap_done();
}
