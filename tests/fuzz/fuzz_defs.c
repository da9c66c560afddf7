/* fuzz_defs — libFuzzer target for the definition loader (def_load): the
 * definition.yaml of a schema definition directory.
 *
 * The input is written as DIR/definition.yaml in a private temporary
 * directory that also holds empty SQL files of the usual names, so that a
 * definition naming them gets past the "file exists" checks. def_load must
 * return a definition or an error naming its place, never both or neither. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "definition.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char *dir;

static const char *const sql[] = {
	"v1-upgrade.postgresql.sql", "v1-downgrade.postgresql.sql",
	"v1-upgrade.sqlite.sql", "v1-downgrade.sqlite.sql",
	"v7-upgrade.postgresql.sql", "v7-downgrade.postgresql.sql",
	"v7-upgrade.sqlite.sql", "v7-downgrade.sqlite.sql",
	"a.sql", "b.sql", DEF_FILE,
};

static void
touch(const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	if (f == NULL)
		abort();
	fclose(f);
	free(path);
}

/* The directory goes when the fuzzer exits normally. */
static void
cleanup(void)
{
	char *path;
	size_t i;

	for (i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		path = xasprintf("%s/%s", dir, sql[i]);
		unlink(path);
		free(path);
	}
	rmdir(dir);
	free(dir);
}

static void
setup(void)
{
	char tmpl[] = "/tmp/fuzz_defs.XXXXXX";
	size_t i;

	if (mkdtemp(tmpl) == NULL)
		abort();
	dir = xstrdup(tmpl);
	for (i = 0; i + 1 < sizeof sql / sizeof sql[0]; i++)
		touch(sql[i]);
	atexit(cleanup);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct definition *d;
	char *path, *err = NULL;
	FILE *f;

	if (dir == NULL)
		setup();
	path = xasprintf("%s/" DEF_FILE, dir);
	if ((f = fopen(path, "w")) == NULL || fwrite(data, 1, size, f) != size ||
	    fclose(f) != 0)
		abort();
	d = def_load(dir, &err);
	if ((d == NULL) == (err == NULL)) {
		fprintf(stderr, "def_load: definition %p, error %s\n", (void *)d,
		    err ? err : "(null)");
		abort();
	}
	def_free(d);
	free(err);
	free(path);
	return 0;
}
