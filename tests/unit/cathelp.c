/* cathelp.c — see cathelp.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catobj.h"
#include "pgcat.h"
#include "cathelp.h"

void
th_bail(const char *what, PGconn *c)
{
	printf("Bail out! %s: %s\n", what, c != NULL ? PQerrorMessage(c) : "");
	exit(1);
}

void
th_exec(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
		printf("# SQL failed: %s\n# %s", sql, PQresultErrorMessage(r));
		PQclear(r);
		th_bail("SQL", NULL);
	}
	PQclear(r);
}

PGconn *
th_connect(const char *conninfo)
{
	PGconn *c = PQconnectdb(conninfo);

	if (PQstatus(c) != CONNECTION_OK)
		th_bail("connect", c);
	return c;
}

struct catalog *
th_read(PGconn *c, const char *schema, const struct cat_want *w,
    const char *version_table, struct cat_version *ver)
{
	struct catalog *cat = NULL;
	char *q, *err = NULL;
	PGresult *r;

	q = pgcat_query_tables(c, schema, w, version_table, &err);
	r = q != NULL ? PQexec(c, q) : NULL;
	if (r != NULL && PQresultStatus(r) != PGRES_TUPLES_OK)
		printf("# query failed: %s", PQresultErrorMessage(r));
	else if (r != NULL)
		cat = pgcat_from_result_version(r, ver, &err);
	if (err != NULL)
		printf("# %s: %s\n", schema, err);
	PQclear(r);
	free(q);
	free(err);
	return cat;
}

const struct cat_column *
th_col(const struct cat_table *t, const char *name)
{
	int i;

	for (i = 0; t != NULL && i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			return &t->cols[i];
	return NULL;
}

const struct cat_index *
th_index(const struct cat_table *t, const char *name)
{
	int i;

	for (i = 0; t != NULL && i < t->nindexes; i++)
		if (strcmp(t->indexes[i].name, name) == 0)
			return &t->indexes[i];
	return NULL;
}

const char *
th_prop(const struct catalog *cat, const char *kind, const char *name, const char *key)
{
	const struct cat_object *o = cat != NULL ? cat_find_object(cat, kind, name) : NULL;
	const struct cat_prop *p = o != NULL ? cat_prop_get(&o->props, key) : NULL;

	return p != NULL ? p->raw : NULL;
}

const char *
th_option(const struct catalog *cat, const char *table, const char *key)
{
	const struct cat_table *t = cat != NULL ? cat_find_table(cat, table) : NULL;
	const struct cat_prop *p = t != NULL ? cat_prop_get(&t->opts, key) : NULL;

	return p != NULL ? p->raw : NULL;
}
