/* v7fixture.c — see v7fixture.h. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "catjson.h"
#include "util.h"
#include "v7fixture.h"

struct catalog *
canonical_v7(enum cat_dialect d)
{
	const char *src = getenv("SW_SRCDIR");
	struct catalog *c;
	char *path, *text, *err = NULL;

	path = xasprintf("%s/sql/prompter/compiled/prompter_v7.%s.json", src != NULL ? src : ".",
	    cat_dialect_name(d));
	if ((text = read_file(path, NULL)) == NULL) {
		printf("Bail out! cannot read %s (is SW_SRCDIR set?)\n", path);
		exit(1);
	}
	if ((c = catjson_load(text, NULL, &err)) == NULL) {
		printf("Bail out! %s: %s\n", path, err);
		exit(1);
	}
	free(text);
	free(path);
	return c;
}
