/* Unit tests for pgprep.c: which text goes to a kept connection, and what is
 * remembered after it ran. The cases that matter: a statement is never
 * PREPAREd twice on one backend (PREPARE is not undone by a rollback), and
 * a connection we lost track of starts with DEALLOCATE ALL. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pgcat.h"
#include "pgprep.h"
#include "tap.h"

static const char q1[] = PGCAT_PREFIX "SELECT 1";
static const char q2[] = PGCAT_PREFIX "SELECT 2";

/* What kind of text: "exec", "prepare", "fresh" (DEALLOCATE ALL first) or
 * "plain" (unchanged). */
static const char *
kind(const char *key, int pid, const char *q, uint64_t *id)
{
	char *t = pgprep_text(key, pid, q, NULL, id);
	const char *k = strncmp(t, "DEALLOCATE ALL;\n", 16) == 0 ? "fresh" :
	    strstr(t, "PREPARE ") != NULL ? "prepare" :
	    strstr(t, "EXECUTE ") != NULL ? "exec" : "plain";

	if (strcmp(k, "plain") == 0 && strcmp(t, q) != 0)
		k = "changed";
	free(t);
	return k;
}

int
main(void)
{
	uint64_t id, id1, id2;
	char *t;

	is_str(kind("k", 10, "SELECT 1", &id), "plain", "a text of another form is sent as it is");
	is_int(id, 0, "... with no id");
	is_str(kind(NULL, 10, q1, &id), "plain", "no key: as it is");

	is_str(kind("k", 10, q1, &id1), "fresh", "a connection not seen yet: DEALLOCATE ALL, PREPARE, EXECUTE");
	t = pgprep_text("k", 10, q1, NULL, &id);
	ok(strstr(t, "PREPARE schemawatchd_") != NULL && strstr(t, " AS SELECT 1;\nEXECUTE schemawatchd_") != NULL,
	    "... the SELECT prepared under its name, then executed");
	ok(strstr(t, PGCAT_PREFIX "PREPARE") != NULL,
	    "... prepared under the empty search_path");
	free(t);
	pgprep_done("k", 10, id1, true);
	is_int(pgprep_count(), 1, "one key remembered");
	is_str(kind("k", 10, q1, &id), "exec", "the same query on the same backend: EXECUTE alone");
	t = pgprep_text("k", 10, q1, NULL, &id);
	ok(strncmp(t, PGCAT_PREFIX "EXECUTE schemawatchd_", strlen(PGCAT_PREFIX) + 21) == 0 &&
	    strchr(t + strlen(PGCAT_PREFIX) + 21, ';') == NULL,
	    "... under the empty search_path, one EXECUTE");
	free(t);

	is_str(kind("k", 10, q2, &id2), "prepare", "another query on that backend: PREPARE without DEALLOCATE");
	pgprep_done("k", 10, id2, true);
	is_str(kind("k", 10, q1, &id), "exec", "both are known: the first...");
	is_str(kind("k", 10, q2, &id), "exec", "... and the second");

	is_str(kind("k", 11, q1, &id), "fresh", "a new backend for the key: afresh");
	pgprep_done("k", 11, id, true);
	is_str(kind("k", 11, q2, &id), "prepare", "... its own statements, not the other backend's");
	is_str(kind("k", 10, q2, &id), "exec", "the first backend of the key keeps its statements (a pool)");

	kind("k", 11, q1, &id);
	pgprep_done("k", 11, id, false);
	is_str(kind("k", 11, q1, &id), "fresh", "after a failure: afresh");

	/* A reload clears everything while a probe is out: what it sent was
	 * not fresh, so it must not start an entry that lacks what the
	 * backend holds. */
	kind("k", 11, q1, &id);
	pgprep_done("k", 11, id, true);
	kind("k", 11, q2, &id2);	/* "prepare", in flight */
	pgprep_clear();
	is_int(pgprep_count(), 0, "cleared");
	pgprep_done("k", 11, id2, true);
	is_int(pgprep_count(), 0, "a non-fresh text finished after the clear starts nothing");
	is_str(kind("k", 11, q1, &id), "fresh", "... so the next text starts afresh");

	is_str(kind("other", 11, q1, &id), "fresh", "keys are apart");

	/* A parameter: PREPARE name(text), EXECUTE name('lit'); one statement
	 * for every literal. */
	t = pgprep_text("p", 12, q1, "'tenant_1'", &id1);
	ok(strstr(t, "(text) AS SELECT 1;\nSET LOCAL plan_cache_mode = force_generic_plan;\nEXECUTE schemawatchd_") != NULL && strstr(t, "('tenant_1')") != NULL,
	    "with a parameter: PREPARE name(text), EXECUTE name('literal')");
	free(t);
	pgprep_done("p", 12, id1, true);
	t = pgprep_text("p", 12, q1, "'tenant_2'", &id2);
	ok(strstr(t, "PREPARE") == NULL && strstr(t, "('tenant_2')") != NULL,
	    "another literal: the same statement, EXECUTE alone");
	free(t);
	ok((id1 | 1) == (id2 | 1), "... the same id");
	is_str(kind("p", 12, q1, &id), "prepare", "without a parameter: another statement");
	pgprep_clear();
	return tap_done();
}
