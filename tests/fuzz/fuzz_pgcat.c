/* fuzz_pgcat — libFuzzer target for the reader of the PostgreSQL catalog
 * query's result (pgcat_from_result): one JSON document whose names and
 * expression texts (CHECK bodies, defaults, index predicates and keys) come
 * from a database that others change, through the normalizer.
 *
 * The input is the text of that one value; libpq builds the PGresult
 * without a server (PQmakeEmptyPGresult, PQsetvalue). The reader must
 * return a catalog or an error, never both or neither. */
#include "config.h"

#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "pgcat.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	PGresAttDesc att = { .name = (char *)"tables", .typid = 114 /* json */,
	    .typlen = -1, .atttypmod = -1 };
	struct catalog *c;
	PGresult *res;
	char *text, *err = NULL;

	if (size > INT32_MAX)
		return 0;
	if ((res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK)) == NULL ||
	    !PQsetResultAttrs(res, 1, &att))
		abort();
	text = xstrndup((const char *)data, size);
	if (!PQsetvalue(res, 0, 0, text, (int)strlen(text)))
		abort();
	c = pgcat_from_result(res, &err);
	if ((c == NULL) == (err == NULL)) {
		fprintf(stderr, "pgcat_from_result: catalog %p, error %s\n", (void *)c,
		    err ? err : "(null)");
		abort();
	}
	cat_free(c);
	free(err);
	free(text);
	PQclear(res);
	return 0;
}
