/* Tests for sqltext.c: where a statement ends. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sqltext.h"
#include "tap.h"

/* The first statement of text, as the compiler would run it. */
static void
first_is(const char *text, const char *want, const char *what)
{
	const char *end = sqltext_statement_end(text);
	char got[512];
	size_t n = (size_t)(end - text);

	if (n >= sizeof got)
		n = sizeof got - 1;
	memcpy(got, text, n);
	got[n] = '\0';
	is_str(got, want, what);
}

int
main(void)
{
	first_is("SELECT 1; SELECT 2;", "SELECT 1;", "a ';' ends a statement");
	first_is("SELECT ';'; x", "SELECT ';';", "not one in quotes");
	first_is("CREATE FUNCTION f() AS $b$ a; b $b$; x", "CREATE FUNCTION f() AS $b$ a; b $b$;",
	    "nor one in a dollar quote");
	first_is("CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC UPDATE t SET a = 1; "
	    "SELECT CASE WHEN a THEN 1 ELSE 2 END FROM t; END; SELECT 2;",
	    "CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC UPDATE t SET a = 1; "
	    "SELECT CASE WHEN a THEN 1 ELSE 2 END FROM t; END;",
	    "a BEGIN ATOMIC body is one statement, CASE ... END inside it counted");
	first_is("create function f() returns int language sql begin\n  atomic select 1; end ; x",
	    "create function f() returns int language sql begin\n  atomic select 1; end ;",
	    "in any case, across lines");
	first_is("CREATE TABLE t (begin int, atomic int); SELECT 2;",
	    "CREATE TABLE t (begin int, atomic int);", "a column named begin is a column");
	first_is("CREATE TABLE t (xbegin int); x", "CREATE TABLE t (xbegin int);",
	    "begin inside a word is no word");
	first_is("BEGIN; SELECT 1;", "BEGIN;", "a transaction's BEGIN ends at its ';'");
	first_is("SELECT CASE WHEN true THEN 1 END; END; x", "SELECT CASE WHEN true THEN 1 END;",
	    "CASE ... END outside a body changes nothing");
	return tap_done();
}
