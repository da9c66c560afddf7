/* replay.c — a main() for a fuzz target without libFuzzer, so that the
 * ordinary test suite (gcc, and the ASan+UBSan build) runs every committed
 * input of tests/fuzz/corpus/NAME/ once: the seeds, and the inputs that once
 * crashed or leaked, as regression cases.
 *
 *   replay_NAME [FILE|DIR...]    default: $SW_SRCDIR/tests/fuzz/corpus/NAME
 *
 * One TAP line per input. An input that crashes ends the program (the
 * harness reports the exit status, and the log's last line names the input);
 * a leak fails it at exit under LeakSanitizer. FUZZ_NAME is set by
 * Makefile.am for each target. */
#include "config.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
replay_file(const char *path)
{
	struct sbuf sb;
	char buf[65536], *what;
	size_t n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL) {
		what = xasprintf("%s opens", path);
		ok(0, what);
		free(what);
		return;
	}
	sbuf_init(&sb);
	sbuf_add(&sb, "");
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sbuf_addn(&sb, buf, n);
	fclose(f);
	printf("# %s\n", path);	/* the last line before a crash names it */
	fflush(stdout);
	LLVMFuzzerTestOneInput((const uint8_t *)sb.buf, sb.len);
	what = xasprintf("%s (%zu bytes)", path, sb.len);
	ok(1, what);
	free(what);
	sbuf_free(&sb);
}

/* Every regular file of dir, in name order (stable TAP numbering). */
static void
replay_dir(const char *dir)
{
	struct dirent *de;
	char **names = NULL, *path;
	size_t n = 0, i;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		replay_file(dir);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	for (i = 0; i < n; i++) {
		path = xasprintf("%s/%s", dir, names[i]);
		replay_file(path);
		free(path);
		free(names[i]);
	}
	free(names);
	ok(n > 0, "the corpus holds inputs");
}

int
main(int argc, char **argv)
{
	const char *srcdir = getenv("SW_SRCDIR");
	char *dir;
	int i;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			replay_dir(argv[i]);
		return tap_done();
	}
	dir = xasprintf("%s/tests/fuzz/corpus/%s", srcdir ? srcdir : ".", FUZZ_NAME);
	replay_dir(dir);
	free(dir);
	return tap_done();
}
