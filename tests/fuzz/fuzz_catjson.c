/* fuzz_catjson — libFuzzer target for the reader of compiled catalogs
 * (catjson_load): the JSON files a definition's compiled/ directory holds,
 * which anyone who can change a definition checkout can write.
 *
 * Besides crashes, leaks and timeouts: a catalog or an error, never both or
 * neither; and what loads must survive a round trip (dump, load again, dump
 * again: the same text), which is what keeps committed files stable. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "catjson.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct catjson_meta meta = { NULL, NULL, NULL }, meta2 = { NULL, NULL, NULL };
	struct catalog *c, *c2;
	char *text, *err = NULL, *dump, *dump2;

	text = xstrndup((const char *)data, size);
	c = catjson_load(text, &meta, &err);
	if ((c == NULL) == (err == NULL)) {
		fprintf(stderr, "catjson_load: catalog %p, error %s\n", (void *)c,
		    err ? err : "(null)");
		abort();
	}
	if (c != NULL) {
		dump = catjson_dump(c, &meta);
		if ((c2 = catjson_load(dump, &meta2, &err)) == NULL) {
			fprintf(stderr, "a dumped catalog does not load: %s\n%s\n", err, dump);
			abort();
		}
		dump2 = catjson_dump(c2, &meta2);
		if (strcmp(dump, dump2) != 0) {
			fprintf(stderr, "dump, load, dump differs:\n%s\n----\n%s\n", dump, dump2);
			abort();
		}
		free(dump);
		free(dump2);
		cat_free(c2);
		catjson_meta_free(&meta2);
	}
	cat_free(c);
	catjson_meta_free(&meta);
	free(err);
	free(text);
	return 0;
}
