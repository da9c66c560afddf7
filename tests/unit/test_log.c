/* Unit tests for log.c: stderr lines, priorities, events, truncation,
 * message ids and the journal catalog that documents them. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "tap.h"
#include "util.h"

static char	cap_path[4096];
static int	cap_saved = -1;

/* Point fd 2 at a fresh file until capture_end(). */
static void
capture_begin(void)
{
	const char *tmp = getenv("SW_TEST_TMP");
	int fd;

	snprintf(cap_path, sizeof cap_path, "%s/stderr.XXXXXX", tmp ? tmp : "/tmp");
	fd = mkstemp(cap_path);
	if (fd < 0) {
		perror("mkstemp");
		exit(2);
	}
	fflush(stderr);
	cap_saved = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

/* Restore fd 2; return what was written to it (caller frees). */
static char *
capture_end(void)
{
	size_t len;
	char *s;

	dup2(cap_saved, STDERR_FILENO);
	close(cap_saved);
	s = read_file(cap_path, &len);
	unlink(cap_path);
	return s != NULL ? s : xstrdup("(unreadable)");
}

static void
test_plain(void)
{
	char *out;

	log_init("swtest", LOG_SINK_AUTO, LOG_INFO);
	is_int(log_sink_active(), LOG_SINK_STDERR, "SCHEMAWATCHD_LOG=stderr forces stderr");

	capture_begin();
	log_msg(LOG_ERR, "hello %d", 42);
	out = capture_end();
	is_str(out, "<3>hello 42\n", "LOG_ERR line has the <3> prefix");
	free(out);

	capture_begin();
	log_msg(LOG_WARNING, "w");
	log_msg(LOG_NOTICE, "n");
	log_msg(LOG_INFO, "i");
	log_msg(LOG_DEBUG, "dropped at LOG_INFO");
	out = capture_end();
	is_str(out, "<4>w\n<5>n\n<6>i\n", "priorities up to max_priority pass, LOG_DEBUG is dropped");
	free(out);

	log_init("swtest", LOG_SINK_STDERR, LOG_WARNING);
	capture_begin();
	log_msg(LOG_ERR, "e");
	log_msg(LOG_NOTICE, "notice dropped");
	log_msg(LOG_INFO, "info dropped");
	out = capture_end();
	is_str(out, "<3>e\n", "max_priority LOG_WARNING drops notice and info");
	free(out);

	log_init("swtest", LOG_SINK_STDERR, LOG_DEBUG);
	capture_begin();
	log_msg(LOG_DEBUG, "d");
	out = capture_end();
	is_str(out, "<7>d\n", "LOG_DEBUG passes with max_priority LOG_DEBUG (-v)");
	free(out);

	capture_begin();
	log_msg(LOG_INFO, "two\nlines\tand a tab");
	out = capture_end();
	is_str(out, "<6>two lines and a tab\n", "control characters become spaces: one call, one line");
	free(out);

	capture_begin();
	errno = EACCES;
	log_msg(LOG_INFO, "keeps errno");
	is_int(errno, EACCES, "log_msg preserves errno");
	free(capture_end());
	log_fini();
}

static void
test_events(void)
{
	char *out, want[512];

	log_init("swtest", LOG_SINK_STDERR, LOG_INFO);
	capture_begin();
	log_event(LOG_WARNING, LOGEV_DRIFT_DETECTED, "prod", NULL, "drift",
	    "target prod: drift detected (%d differences)", 2);
	out = capture_end();
	snprintf(want, sizeof want, "<4>target prod: drift detected (2 differences) "
	    "[event=drift-detected target=prod state=drift message_id=%s]\n",
	    log_event_message_id(LOGEV_DRIFT_DETECTED));
	is_str(out, want, "event line carries event, target, state and message_id");
	free(out);

	capture_begin();
	log_event(LOG_NOTICE, LOGEV_GROUP_DIVERGED, NULL, "dev-vs-prod", NULL, "group diverged");
	out = capture_end();
	snprintf(want, sizeof want, "<5>group diverged [event=group-diverged group=dev-vs-prod message_id=%s]\n",
	    log_event_message_id(LOGEV_GROUP_DIVERGED));
	is_str(out, want, "group event: only the facts given are written");
	free(out);

	capture_begin();
	log_event(LOG_ERR, LOGEV_TARGET_UNREACHABLE, "my db", NULL, "say \"x\"=y]", "down");
	out = capture_end();
	snprintf(want, sizeof want, "<3>down [event=target-unreachable target=\"my db\" "
	    "state=\"say \\\"x\\\"=y]\" message_id=%s]\n",
	    log_event_message_id(LOGEV_TARGET_UNREACHABLE));
	is_str(out, want, "values with spaces, quotes, '=' or ']' are quoted and escaped");
	free(out);

	capture_begin();
	log_event(LOG_INFO, LOGEV_NONE, "t", NULL, NULL, "no event kind");
	out = capture_end();
	is_str(out, "<6>no event kind [target=t]\n", "LOGEV_NONE: no event name, no message_id");
	free(out);

	capture_begin();
	log_event(LOG_DEBUG, LOGEV_DRIFT_RESOLVED, "prod", NULL, "ok", "dropped");
	out = capture_end();
	is_str(out, "", "events above max_priority are dropped too");
	free(out);
	log_fini();
}

/* True when s is valid UTF-8. */
static bool
utf8_valid(const unsigned char *s)
{
	int need;

	while (*s != '\0') {
		need = *s < 0x80 ? 0 : (*s & 0xe0) == 0xc0 ? 1 : (*s & 0xf0) == 0xe0 ? 2 :
		    (*s & 0xf8) == 0xf0 ? 3 : -1;
		if (need < 0)
			return false;
		s++;
		for (; need > 0; need--, s++)
			if ((*s & 0xc0) != 0x80)
				return false;
	}
	return true;
}

static void
test_truncation(void)
{
	struct sbuf big;
	char *out, tail[256];
	size_t len;
	int i;

	log_init("swtest", LOG_SINK_STDERR, LOG_INFO);
	sbuf_init(&big);
	for (i = 0; i < 10000; i++)
		sbuf_addc(&big, 'x');

	capture_begin();
	log_msg(LOG_INFO, "%s", big.buf);
	out = capture_end();
	len = strlen(out);
	ok(len <= LOG_LINE_MAX && len > LOG_LINE_MAX / 2, "10000-byte message: line cut to at most LOG_LINE_MAX");
	ok(strncmp(out, "<6>xxx", 6) == 0, "cut line keeps its prefix");
	ok(len >= 4 && strcmp(out + len - 4, "...\n") == 0, "cut line ends in \"...\" and a newline");
	ok(strchr(out, '\n') == out + len - 1, "cut line is still one line");
	free(out);

	capture_begin();
	log_event(LOG_WARNING, LOGEV_MIGRATION_FAILED, "prod", NULL, "drift", "%s", big.buf);
	out = capture_end();
	len = strlen(out);
	snprintf(tail, sizeof tail, "... [event=migration-failed target=prod state=drift message_id=%s]\n",
	    log_event_message_id(LOGEV_MIGRATION_FAILED));
	ok(len <= LOG_LINE_MAX, "long event line is at most LOG_LINE_MAX");
	ok(len > strlen(tail) && strcmp(out + len - strlen(tail), tail) == 0,
	    "long event: the message is cut, the facts are kept whole");
	free(out);
	sbuf_free(&big);

	/* Two-byte characters at every odd offset: a blind cut would split one. */
	sbuf_init(&big);
	sbuf_addc(&big, 'a');
	for (i = 0; i < 4000; i++)
		sbuf_add(&big, "\xc3\xa9");
	capture_begin();
	log_msg(LOG_INFO, "%s", big.buf);
	out = capture_end();
	ok(strlen(out) <= LOG_LINE_MAX, "UTF-8 message cut to LOG_LINE_MAX");
	ok(utf8_valid((unsigned char *)out), "UTF-8 message is cut at a character boundary");
	free(out);
	sbuf_free(&big);
	log_fini();
}

#define THREADS		4
#define PER_THREAD	300

static void *
thread_main(void *arg)
{
	int i, t = (int)(intptr_t)arg;

	for (i = 0; i < PER_THREAD; i++)
		log_event(LOG_INFO, LOGEV_TARGET_STATE, "t", NULL, "ok",
		    "thread %d line %d padding-padding-padding-padding-padding", t, i);
	return NULL;
}

static void
test_threads(void)
{
	pthread_t th[THREADS];
	char *out, *line, *save = NULL;
	int i, good = 0, total = 0;

	log_init("swtest", LOG_SINK_STDERR, LOG_INFO);
	capture_begin();
	for (i = 0; i < THREADS; i++)
		pthread_create(&th[i], NULL, thread_main, (void *)(intptr_t)i);
	for (i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	out = capture_end();
	for (line = strtok_r(out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		total++;
		if (strncmp(line, "<6>thread ", 10) == 0 &&
		    strstr(line, "padding [event=target-state target=t state=ok message_id=") != NULL &&
		    line[strlen(line) - 1] == ']')
			good++;
	}
	is_int(total, THREADS * PER_THREAD, "every line from 4 threads arrived");
	is_int(good, THREADS * PER_THREAD, "no line was torn by another thread's line");
	free(out);
	log_fini();
}

static void
test_sinks(void)
{
	char *out, js[64];
	struct stat st;

	setenv("SCHEMAWATCHD_LOG", "bogus", 1);
	capture_begin();
	log_init("swtest", LOG_SINK_STDERR, LOG_INFO);
	out = capture_end();
	ok(strstr(out, "<4>SCHEMAWATCHD_LOG=bogus is not one of stderr, journal, auto; ignored") != NULL,
	    "an unknown SCHEMAWATCHD_LOG is reported");
	is_int(log_sink_active(), LOG_SINK_STDERR, "an unknown SCHEMAWATCHD_LOG keeps the given sink");
	free(out);

	/* AUTO picks the journal only when fd 2 is the stream systemd named. */
	unsetenv("SCHEMAWATCHD_LOG");
	capture_begin();
	fstat(STDERR_FILENO, &st);
	snprintf(js, sizeof js, "%llu:%llu", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", js, 1);
	log_init("swtest", LOG_SINK_AUTO, LOG_INFO);
#ifdef HAVE_SYSTEMD
	is_int(log_sink_active(), LOG_SINK_JOURNAL, "AUTO + JOURNAL_STREAM matching fd 2: journal");
#else
	is_int(log_sink_active(), LOG_SINK_STDERR, "built without libsystemd: always stderr");
#endif
	setenv("JOURNAL_STREAM", "1:2", 1);
	log_init("swtest", LOG_SINK_AUTO, LOG_INFO);
	is_int(log_sink_active(), LOG_SINK_STDERR, "AUTO + JOURNAL_STREAM of another file: stderr");
	unsetenv("JOURNAL_STREAM");
	log_init("swtest", LOG_SINK_AUTO, LOG_INFO);
	is_int(log_sink_active(), LOG_SINK_STDERR, "AUTO without JOURNAL_STREAM: stderr");
	setenv("SCHEMAWATCHD_LOG", "journal", 1);
	log_init("swtest", LOG_SINK_STDERR, LOG_INFO);
#ifdef HAVE_SYSTEMD
	if (access("/run/systemd/journal/socket", F_OK) == 0) {
		is_int(log_sink_active(), LOG_SINK_JOURNAL, "SCHEMAWATCHD_LOG=journal overrides the given sink");
	} else {
		char *got, want[256];

		/* No journald here (a container): nothing may be lost. */
		is_int(log_sink_active(), LOG_SINK_STDERR, "SCHEMAWATCHD_LOG=journal but no journal: stderr");
		free(capture_end());
		capture_begin();
		log_event(LOG_ERR, LOGEV_RELOAD_FAILED, NULL, NULL, NULL, "bad file");
		got = capture_end();
		snprintf(want, sizeof want, "<3>bad file [event=reload-failed message_id=%s]\n",
		    log_event_message_id(LOGEV_RELOAD_FAILED));
		is_str(got, want, "journal sink without a journal falls back to stderr");
		free(got);
		capture_begin();
	}
#else
	is_int(log_sink_active(), LOG_SINK_STDERR, "SCHEMAWATCHD_LOG=journal without libsystemd: stderr");
#endif
	free(capture_end());
	log_fini();
	setenv("SCHEMAWATCHD_LOG", "stderr", 1);
}

static bool
is_hex32(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != 32)
		return false;
	for (i = 0; i < 32; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	return true;
}

static void
test_ids(void)
{
	int i, j, bad = 0, dup = 0;
	const char *id;

	ok(log_event_message_id(LOGEV_NONE) == NULL, "LOGEV_NONE has no MESSAGE_ID");
	is_str(log_event_name(LOGEV_NONE), "none", "LOGEV_NONE is named none");
	is_str(log_event_name(LOGEV_DRIFT_DETECTED), "drift-detected", "name of drift detected");
	is_str(log_event_name(LOGEV_HOOK_FAILED), "hook-failed", "name of hook failed");
	ok(log_event_name(LOGEV__COUNT) == NULL && log_event_message_id(LOGEV__COUNT) == NULL,
	    "out-of-range events have no name and no id");
	for (i = LOGEV_NONE + 1; i < LOGEV__COUNT; i++) {
		id = log_event_message_id((enum log_event)i);
		if (!is_hex32(id) || log_event_name((enum log_event)i) == NULL) {
			printf("# event %d: bad id %s\n", i, id ? id : "NULL");
			bad++;
			continue;
		}
		for (j = LOGEV_NONE + 1; j < i; j++)
			if (strcmp(id, log_event_message_id((enum log_event)j)) == 0)
				dup++;
	}
	is_int(bad, 0, "every event has a name and a 32-lowercase-hex MESSAGE_ID");
	is_int(dup, 0, "MESSAGE_IDs are distinct");
}

/* Every id is documented once in the catalog, and the catalog documents
 * nothing else. */
static void
test_catalog(void)
{
	const char *srcdir = getenv("SW_SRCDIR");
	char *path, *text, *line, *save = NULL, want[64];
	int counts[LOGEV__COUNT] = { 0 }, headers = 0, subjects = 0, defined = 0, i, wrong = 0;
	size_t len;

	path = xasprintf("%s/packaging/schemawatchd.catalog", srcdir ? srcdir : ".");
	text = read_file(path, &len);
	if (!ok(text != NULL, "packaging/schemawatchd.catalog is readable")) {
		printf("#   %s: %s\n", path, strerror(errno));
		free(path);
		return;
	}
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "Subject: ", 9) == 0)
			subjects++;
		if (strcmp(line, "Defined-By: schemawatchd") == 0)
			defined++;
		if (strncmp(line, "-- ", 3) != 0)
			continue;
		headers++;
		for (i = LOGEV_NONE + 1; i < LOGEV__COUNT; i++) {
			snprintf(want, sizeof want, "-- %s", log_event_message_id((enum log_event)i));
			if (strcmp(line, want) == 0)
				counts[i]++;
		}
	}
	for (i = LOGEV_NONE + 1; i < LOGEV__COUNT; i++) {
		if (counts[i] != 1) {
			printf("# %s (%s) appears %d times\n", log_event_message_id((enum log_event)i),
			    log_event_name((enum log_event)i), counts[i]);
			wrong++;
		}
	}
	is_int(wrong, 0, "every MESSAGE_ID appears in the catalog exactly once");
	is_int(headers, LOGEV__COUNT - 1, "the catalog has one block per event, no stale ones");
	is_int(subjects, LOGEV__COUNT - 1, "every catalog block has a Subject:");
	is_int(defined, LOGEV__COUNT - 1, "every catalog block has Defined-By: schemawatchd");
	free(text);
	free(path);
}

int
main(void)
{
	setenv("SCHEMAWATCHD_LOG", "stderr", 1);
	test_plain();
	test_events();
	test_truncation();
	test_threads();
	test_sinks();
	test_ids();
	test_catalog();
	return tap_done();
}
