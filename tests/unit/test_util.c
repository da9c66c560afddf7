/* Unit tests for util.c: durations and string buffers. */
#include "config.h"

#include <stdlib.h>

#include "tap.h"
#include "util.h"

static void
test_durations(void)
{
	static const struct {
		const char	*text;
		int		 rc;
		long long	 ms;
	} cases[] = {
		{ "250ms", 0, 250 }, { "30s", 0, 30000 }, { "5m", 0, 300000 },
		{ "1h", 0, 3600000 }, { "7", 0, 7000 }, { "0s", 0, 0 },
		{ "", -1, 0 }, { "s", -1, 0 }, { "-1s", -1, 0 }, { "10x", -1, 0 },
		{ "1.5s", -1, 0 }, { "10 s", -1, 0 }, { "99999999999999999999h", -1, 0 },
	};
	size_t i;
	int64_t ms;
	char what[128];

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ms = 0;
		snprintf(what, sizeof what, "duration \"%s\"", cases[i].text);
		if (is_int(parse_duration_ms(cases[i].text, &ms), cases[i].rc, what) &&
		    cases[i].rc == 0)
			is_int(ms, cases[i].ms, what);
	}
}

static void
test_sbuf(void)
{
	struct sbuf sb;
	char *s;
	int i;

	sbuf_init(&sb);
	for (i = 0; i < 1000; i++)
		sbuf_printf(&sb, "%d,", i % 10);
	is_int(sb.len, 2000, "sbuf grows across reallocations");
	s = sbuf_steal(&sb);
	is_int(strncmp(s, "0,1,2,", 6), 0, "sbuf keeps content in order");
	ok(sb.buf == NULL && sb.len == 0, "sbuf_steal resets the buffer");
	free(s);
	s = sbuf_steal(&sb);
	is_str(s, "", "stealing an empty buffer gives an empty string");
	free(s);
}

static void
test_first_line(void)
{
	char *s;

	s = str_first_line("\n  FATAL:  password authentication failed for hunter2 \nDETAIL: x\n", "hunter2");
	is_str(s, "FATAL:  password authentication failed for *******", "first line, trimmed, secret scrubbed");
	free(s);
	s = str_first_line("", NULL);
	is_str(s, "unknown error", "an empty message says so");
	free(s);
	s = str_first_line(NULL, "");
	is_str(s, "unknown error", "NULL message, empty secret");
	free(s);
}

int
main(void)
{
	test_first_line();
	test_durations();
	test_sbuf();
	return tap_done();
}
