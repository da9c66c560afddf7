/* tap.h — a minimal TAP producer for the C unit tests.
 *
 * Each check prints "ok N - what" or "not ok N - what" plus the place and the
 * values that differed, so a failure says why without a debugger. tap_done()
 * returns the exit status: non-zero when anything failed. */
#ifndef SW_TAP_H
#define SW_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline int
tap_ok_at(int cond, const char *file, int line, const char *what)
{
	tap_n++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_n, what);
	if (!cond) {
		printf("#   failed at %s:%d\n", file, line);
		tap_failed++;
	}
	return cond;
}

static inline int
tap_streq_at(const char *got, const char *want, const char *file, int line,
    const char *what)
{
	int cond = (got == NULL && want == NULL) ||
	    (got != NULL && want != NULL && strcmp(got, want) == 0);

	if (!tap_ok_at(cond, file, line, what)) {
		printf("#   got:  %s%s%s\n", got ? "\"" : "", got ? got : "NULL", got ? "\"" : "");
		printf("#   want: %s%s%s\n", want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
	}
	return cond;
}

static inline int
tap_inteq_at(long long got, long long want, const char *file, int line, const char *what)
{
	int cond = got == want;

	if (!tap_ok_at(cond, file, line, what))
		printf("#   got: %lld, want: %lld\n", got, want);
	return cond;
}

#define ok(cond, what)		tap_ok_at(!!(cond), __FILE__, __LINE__, (what))
#define is_str(got, want, what)	tap_streq_at((got), (want), __FILE__, __LINE__, (what))
#define is_int(got, want, what)	tap_inteq_at((long long)(got), (long long)(want), __FILE__, __LINE__, (what))

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	if (tap_failed)
		printf("# %d of %d failed\n", tap_failed, tap_n);
	return tap_failed ? 1 : 0;
}

#endif
