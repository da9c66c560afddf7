/* Unit tests for util.c: durations and string buffers. */
#include "config.h"

#include <stdlib.h>
#include <jansson.h>

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

/* The one UTF-8 policy: invalid bytes become U+FFFD, valid text is untouched. */
static void
test_utf8(void)
{
	static const struct {
		const char	*in;
		const char	*out;
		const char	*what;
	} cases[] = {
		{ "plain", "plain", "ASCII stays" },
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		  "2-, 3- and 4-byte sequences stay" },
		{ "caf\xe9", "caf\xef\xbf\xbd", "a LATIN1 byte becomes U+FFFD" },
		{ "\xc3", "\xef\xbf\xbd", "a sequence cut by the end" },
		{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd", "an overlong form: each byte replaced" },
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "a surrogate" },
		{ "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
		  "beyond U+10FFFF" },
		{ "", "", "empty" },
	};
	size_t i;
	char *s;
	json_t *j;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s = utf8_scrub(cases[i].in);
		is_str(s, cases[i].out, cases[i].what);
		free(s);
		j = utf8_json(cases[i].in);
		is_str(json_string_value(j), cases[i].out, "... and the same as a JSON string");
		json_decref(j);
	}
	j = utf8_json(NULL);
	ok(json_is_null(j), "utf8_json(NULL) is JSON null");
	json_decref(j);
	is_int(utf8_seq((const unsigned char *)"\xe2\x82\xac"), 3, "utf8_seq: the euro sign is 3 bytes");
	is_int(utf8_seq((const unsigned char *)"\xe2\x82"), 0, "utf8_seq: cut short is not a sequence");
}

int
main(void)
{
	test_utf8();
	test_first_line();
	test_durations();
	test_sbuf();
	return tap_done();
}
