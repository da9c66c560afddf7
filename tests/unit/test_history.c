/* Unit tests for history.c: recording, listing, last states across a
 * restart, pruning, failing fast on a locked database, and bad files. */
#include "config.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>

#include "history.h"
#include "tap.h"
#include "util.h"

static char *tmpdir;

/* A fresh state directory under $SW_TEST_TMP for each test. */
static char *
mkstate(const char *what)
{
	char *dir = xasprintf("%s/%s", tmpdir, what);

	if (mkdir(dir, 0755) == -1) {
		printf("# mkdir %s failed\n", dir);
		exit(1);
	}
	return dir;
}

static int
rec(struct history *h, enum hist_kind kind, const char *name, const char *state,
    const char *prev, int ndiffs, const char *detail, int64_t at_ms)
{
	struct hist_entry e = {
		.at_ms = at_ms, .kind = kind, .name = (char *)name, .state = (char *)state,
		.prev_state = (char *)prev, .ndiffs = ndiffs, .detail = (char *)detail,
	};
	char *err = NULL;
	int rc;

	rc = history_record(h, &e, &err);
	if (rc != 0)
		printf("# history_record: %s\n", err ? err : "(no message)");
	free(err);
	return rc;
}

/* The recorded sequence, oldest first. */
static const struct {
	enum hist_kind	 kind;
	const char	*name, *state, *prev;
	int		 ndiffs;
	const char	*detail;
	int64_t		 at_ms;
} seq[] = {
	{ HIST_TARGET, "prod", "ok", NULL, 0, NULL, 1000 },
	{ HIST_TARGET, "staging", "ok", NULL, 0, NULL, 1001 },
	{ HIST_GROUP, "all", "converged", NULL, 0, NULL, 1002 },
	{ HIST_TARGET, "prod", "drift", "ok", 2,
	    "[{\"kind\":\"missing_index\",\"name\":\"ix_a\"}]", 1003 },
	{ HIST_GROUP, "all", "diverged", "converged", 2, NULL, 1004 },
	{ HIST_APPLY, "prod", "upgrade-ok", NULL, 0, "{\"statements\":12}", 1005 },
	{ HIST_TARGET, "prod", "ok", "drift", 0, NULL, 1006 },
	{ HIST_TARGET, "staging", "unreachable", "ok", 0, "{\"error\":\"timeout\"}", 0 },
};
#define NSEQ ((int)(sizeof seq / sizeof seq[0]))

static void
check_last_states(struct history *h, const char *when)
{
	struct hist_entry *v;
	char *err = NULL, what[128];
	int n;

	v = history_last_states(h, HIST_TARGET, &n, &err);
	snprintf(what, sizeof what, "%s: last target states: one per target", when);
	if (ok(v != NULL, "history_last_states succeeds") && is_int(n, 2, what)) {
		is_str(v[0].name, "prod", "last states are ordered by name");
		is_str(v[0].state, "ok", "prod's newest state is ok");
		is_str(v[0].prev_state, "drift", "with its previous state");
		is_int(v[0].at_ms, 1006, "and its time");
		is_str(v[1].name, "staging", "staging is the second target");
		is_str(v[1].state, "unreachable", "staging's newest state is unreachable");
		is_str(v[1].detail, "{\"error\":\"timeout\"}", "its detail survives");
		ok(v[1].kind == HIST_TARGET, "its kind is target");
	}
	hist_entries_free(v, n);
	free(err);

	v = history_last_states(h, HIST_GROUP, &n, NULL);
	snprintf(what, sizeof what, "%s: one group's last state", when);
	if (ok(v != NULL, "last group states succeed") && is_int(n, 1, what)) {
		is_str(v[0].name, "all", "the group");
		is_str(v[0].state, "diverged", "the group's newest state");
		is_int(v[0].ndiffs, 2, "the group's ndiffs");
	}
	hist_entries_free(v, n);

	v = history_last_states(h, HIST_APPLY, &n, NULL);
	if (ok(v != NULL, "last apply states succeed") && is_int(n, 1, "one apply recorded")) {
		is_str(v[0].state, "upgrade-ok", "the apply's outcome");
		ok(v[0].prev_state == NULL, "a NULL prev_state stays NULL");
	}
	hist_entries_free(v, n);
}

static void
test_record_list(void)
{
	struct history *h;
	struct hist_entry *v;
	struct stat sb;
	char *dir = mkstate("basic"), *err = NULL, *path;
	int i, n, sorted;
	int64_t before = wall_ms();

	h = history_open(dir, &err);
	if (!ok(h != NULL, "history_open on an empty directory")) {
		printf("# %s\n", err);
		free(err);
		free(dir);
		return;
	}
	path = xasprintf("%s/state.db", dir);
	is_str(history_path(h), path, "history_path names state.db in the directory");
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0077 & ~0040) == 0,
	    "state.db is not writable by group nor readable by others");

	for (i = 0; i < NSEQ; i++)
		is_int(rec(h, seq[i].kind, seq[i].name, seq[i].state, seq[i].prev,
		    seq[i].ndiffs, seq[i].detail, seq[i].at_ms), 0, "record an entry");

	v = history_list(h, NULL, 0, &n, &err);
	if (ok(v != NULL, "list all") && is_int(n, NSEQ, "list all returns every entry")) {
		for (i = 0, sorted = 1; i < n; i++) {
			if (strcmp(v[i].name, seq[NSEQ - 1 - i].name) != 0 ||
			    strcmp(v[i].state, seq[NSEQ - 1 - i].state) != 0 ||
			    v[i].kind != seq[NSEQ - 1 - i].kind ||
			    (i > 0 && v[i].id >= v[i - 1].id))
				sorted = 0;
		}
		ok(sorted, "list all is newest first");
		ok(v[0].at_ms >= before && v[0].at_ms <= wall_ms() + 1000,
		    "at_ms 0 is recorded as the current wall clock");
		is_int(v[NSEQ - 1].at_ms, 1000, "an explicit at_ms is kept");
		is_str(v[4].detail, seq[3].detail, "detail JSON round-trips");
		is_int(v[4].ndiffs, 2, "ndiffs round-trips");
	}
	hist_entries_free(v, n);

	v = history_list(h, "prod", 0, &n, &err);
	if (ok(v != NULL, "list one name") && is_int(n, 4, "prod has 3 state changes and 1 apply")) {
		is_str(v[0].state, "ok", "prod newest first: ok");
		is_str(v[1].state, "upgrade-ok", "then the apply");
		ok(v[1].kind == HIST_APPLY, "whose kind is apply");
		is_str(v[2].state, "drift", "then drift");
		is_str(v[3].state, "ok", "then the first ok");
		ok(v[3].prev_state == NULL, "the first record has no previous state");
	}
	hist_entries_free(v, n);

	v = history_list(h, NULL, 3, &n, &err);
	if (ok(v != NULL, "list with a limit") && is_int(n, 3, "limit 3 returns 3")) {
		is_str(v[0].name, "staging", "the limited list starts with the newest");
		is_str(v[2].state, "upgrade-ok", "and ends with the third newest");
	}
	hist_entries_free(v, n);

	v = history_list(h, "nosuch", 0, &n, &err);
	ok(v != NULL && n == 0, "an unknown name lists nothing, without an error");
	hist_entries_free(v, n);

	check_last_states(h, "before restart");
	history_close(h);

	/* A restart: the same file, a new connection. */
	h = history_open(dir, &err);
	if (ok(h != NULL, "re-open after close")) {
		check_last_states(h, "after restart");
		v = history_list(h, NULL, 0, &n, &err);
		is_int(n, NSEQ, "re-open keeps every entry");
		hist_entries_free(v, n);
		is_int(rec(h, HIST_TARGET, "prod", "drift", "ok", 1, NULL, 0), 0,
		    "record after re-open");
		v = history_list(h, NULL, 1, &n, &err);
		ok(v != NULL && n == 1 && v[0].id > NSEQ, "ids keep growing after re-open");
		hist_entries_free(v, n);
		history_close(h);
	}
	free(err);
	free(path);
	free(dir);
}

static void
test_invalid_entry(void)
{
	struct history *h;
	char *dir = mkstate("invalid"), *err = NULL;
	struct hist_entry e = { .kind = HIST_TARGET, .state = (char *)"ok" };

	h = history_open(dir, NULL);
	if (ok(h != NULL, "open for invalid entries")) {
		is_int(history_record(h, &e, &err), -1, "an entry without a name is refused");
		ok(err != NULL && strstr(err, "name") != NULL, "the error says what is missing");
		free(err);
		err = NULL;
		e.name = (char *)"x";
		e.kind = (enum hist_kind)42;
		is_int(history_record(h, &e, &err), -1, "an invalid kind is refused");
		free(err);
		history_close(h);
	}
	free(dir);
}

static void
test_prune(void)
{
	struct history *h;
	struct hist_entry *v;
	char *dir = mkstate("prune"), *err = NULL, state[32];
	int i, n, newest_ids_ok;
	int64_t ids[12];

	h = history_open(dir, &err);
	if (!ok(h != NULL, "open for prune")) {
		free(err);
		free(dir);
		return;
	}
	for (i = 0; i < 12; i++) {
		snprintf(state, sizeof state, "s%d", i);
		rec(h, HIST_TARGET, "a", state, NULL, i, NULL, 0);
		rec(h, HIST_TARGET, "b", state, NULL, i, NULL, 0);
		v = history_list(h, "a", 1, &n, NULL);
		ids[i] = n == 1 ? v[0].id : -1;
		hist_entries_free(v, n);
	}
	rec(h, HIST_GROUP, "g", "converged", NULL, 0, NULL, 0);
	rec(h, HIST_APPLY, "a", "upgrade-ok", NULL, 0, NULL, 0);
	rec(h, HIST_APPLY, "a", "downgrade-failed", NULL, 0, NULL, 0);

	is_int(history_prune(h, 5, &err), 7 + 7, "prune 5 deletes 7 of a and 7 of b");
	v = history_list(h, "a", 0, &n, NULL);
	if (is_int(n, 5 + 2, "a keeps 5 states and its 2 applies")) {
		newest_ids_ok = 1;
		/* v[0..1] are the applies; then the five newest states. */
		for (i = 0; i < 5; i++)
			if (v[2 + i].id != ids[11 - i])
				newest_ids_ok = 0;
		ok(newest_ids_ok, "the kept entries are the newest ones");
		is_str(v[2].state, "s11", "newest state kept");
		is_str(v[6].state, "s7", "fifth newest state kept");
	}
	hist_entries_free(v, n);
	v = history_list(h, "b", 0, &n, NULL);
	is_int(n, 5, "b keeps 5");
	hist_entries_free(v, n);
	v = history_list(h, "g", 0, &n, NULL);
	is_int(n, 1, "a name with fewer entries keeps them all");
	hist_entries_free(v, n);

	is_int(history_prune(h, 5, &err), 0, "pruning again deletes nothing");
	is_int(history_prune(h, 0, &err), 4 + 4 + 1, "keep 0 is taken as 1");
	v = history_last_states(h, HIST_TARGET, &n, NULL);
	if (is_int(n, 2, "last states survive pruning"))
		is_str(v[0].state, "s11", "with the newest state");
	hist_entries_free(v, n);
	free(err);
	history_close(h);
	free(dir);
}

static void
test_locked(void)
{
	struct history *h;
	struct hist_entry *v;
	sqlite3 *other = NULL;
	char *dir = mkstate("locked"), *err = NULL, *path;
	int64_t t0, elapsed;
	int n, rc;

	h = history_open(dir, &err);
	if (!ok(h != NULL, "open for the lock test")) {
		free(err);
		free(dir);
		return;
	}
	rec(h, HIST_TARGET, "prod", "ok", NULL, 0, NULL, 0);

	path = xasprintf("%s/state.db", dir);
	ok(sqlite3_open(path, &other) == SQLITE_OK &&
	    sqlite3_exec(other, "BEGIN EXCLUSIVE; INSERT INTO history (at_ms, kind, name, state)"
	    " VALUES (1, 'target', 'other', 'ok')", NULL, NULL, NULL) == SQLITE_OK,
	    "another connection holds an exclusive transaction");

	t0 = now_ms();
	rc = history_record(h, &(struct hist_entry){ .kind = HIST_TARGET, .name = (char *)"prod",
	    .state = (char *)"drift", .prev_state = (char *)"ok", .ndiffs = 1 }, &err);
	elapsed = now_ms() - t0;
	is_int(rc, -1, "history_record fails while the database is locked");
	ok(elapsed < 500, "and fails fast (< 500 ms)");
	printf("# took %lld ms: %s\n", (long long)elapsed, err ? err : "(no message)");
	ok(err != NULL && strstr(err, "locked") != NULL, "the error says the database is locked");
	ok(err != NULL && strstr(err, path) != NULL, "the error names the file");
	free(err);
	err = NULL;

	/* WAL: reading does not wait for the writer. */
	v = history_list(h, "prod", 0, &n, &err);
	ok(v != NULL && n == 1, "reading works while another connection writes");
	hist_entries_free(v, n);

	ok(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL) == SQLITE_OK, "the lock is released");
	is_int(rec(h, HIST_TARGET, "prod", "drift", "ok", 1, NULL, 0), 0,
	    "history_record succeeds once the lock is released");
	v = history_list(h, "prod", 0, &n, &err);
	if (is_int(n, 2, "the entry is recorded exactly once")) {
		is_str(v[0].state, "drift", "the retried entry is the newest");
		is_str(v[1].state, "ok", "after the earlier one");
	}
	hist_entries_free(v, n);
	v = history_list(h, "other", 0, &n, &err);
	is_int(n, 1, "the other connection's committed entry is visible");
	hist_entries_free(v, n);

	sqlite3_close(other);
	free(err);
	free(path);
	history_close(h);
	free(dir);
}

static void
test_bad_files(void)
{
	struct history *h;
	sqlite3 *db;
	char *dir, *path, *missing, *err = NULL;
	FILE *fp;
	int i;

	missing = xasprintf("%s/does-not-exist", tmpdir);
	h = history_open(missing, &err);
	ok(h == NULL, "a missing state directory fails");
	ok(err != NULL && strstr(err, missing) != NULL, "the error names the directory");
	printf("# %s\n", err ? err : "(no message)");
	free(err);
	err = NULL;

	dir = mkstate("garbage");
	path = xasprintf("%s/state.db", dir);
	fp = fopen(path, "w");
	for (i = 0; fp != NULL && i < 200; i++)
		fputs("this is not a database, it is a text file\n", fp);
	if (fp != NULL)
		fclose(fp);
	h = history_open(dir, &err);
	ok(h == NULL, "a garbage state.db fails to open");
	ok(err != NULL && strstr(err, path) != NULL, "the error names the file");
	ok(err != NULL && strstr(err, "not a database") != NULL, "the error says it is not a database");
	printf("# %s\n", err ? err : "(no message)");
	history_close(h);
	free(err);
	err = NULL;

	h = history_open(path, &err);
	ok(h == NULL && err != NULL && strstr(err, "not a directory") != NULL,
	    "a file given as the state directory fails");
	free(err);
	err = NULL;
	free(path);
	free(dir);

	/* A file written by a newer daemon. */
	dir = mkstate("newer");
	path = xasprintf("%s/state.db", dir);
	if (sqlite3_open(path, &db) == SQLITE_OK)
		sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	h = history_open(dir, &err);
	ok(h == NULL && err != NULL && strstr(err, "newer") != NULL,
	    "a schema from a newer daemon is refused");
	printf("# %s\n", err ? err : "(no message)");
	history_close(h);
	free(err);
	err = NULL;
	free(path);
	free(dir);

	/* Root can write anything: the read-only check means nothing then. */
	if (geteuid() != 0) {
		dir = mkstate("readonly");
		path = xasprintf("%s/state.db", dir);
		h = history_open(dir, NULL);
		history_close(h);
		chmod(path, 0440);
		h = history_open(dir, &err);
		ok(h == NULL && err != NULL && strstr(err, path) != NULL,
		    "a read-only state.db fails to open, naming the file");
		printf("# %s\n", err ? err : "(no message)");
		history_close(h);
		free(err);
		free(path);
		free(dir);
	}
	free(missing);
}

int
main(void)
{
	const char *t = getenv("SW_TEST_TMP");

	tmpdir = xstrdup(t != NULL && *t != '\0' ? t : "/tmp");
	if (t == NULL || *t == '\0') {
		free(tmpdir);
		tmpdir = xasprintf("/tmp/test_history.%ld", (long)getpid());
		mkdir(tmpdir, 0700);
	}
	test_record_list();
	test_invalid_entry();
	test_prune();
	test_locked();
	test_bad_files();
	free(tmpdir);
	return tap_done();
}
