/* history.c — state changes and migration applies, persisted in SQLite.
 *
 * One table, one row per change. Kinds are stored as words ("target",
 * "group", "apply") so that `sqlite3 state.db` is readable by a person
 * debugging a box. PRAGMA user_version carries the schema version so that a
 * later daemon can migrate the file in place. */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "history.h"
#include "util.h"

/* 1: history; 2: + outbox (alert events not yet delivered to the hook). */
#define HISTORY_SCHEMA_VERSION	2

static const char *const hist_schema_sql =
	"CREATE TABLE IF NOT EXISTS history ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" at_ms INTEGER NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('target', 'group', 'apply')),"
	" name TEXT NOT NULL,"
	" state TEXT NOT NULL,"
	" prev_state TEXT,"
	" ndiffs INTEGER NOT NULL DEFAULT 0,"
	" detail TEXT);"
	/* last_states and prune walk (kind, name) newest first; list by name. */
	"CREATE INDEX IF NOT EXISTS history_kind_name ON history (kind, name, id);"
	"CREATE INDEX IF NOT EXISTS history_name ON history (name, id);"
	/* An alert event waiting for the hook: deleted once delivered, so
	 * whatever is here at start-up was never delivered. env holds the
	 * SCHEMAWATCH_* variables, one "NAME=value" per line. */
	"CREATE TABLE IF NOT EXISTS outbox ("
	" id INTEGER PRIMARY KEY AUTOINCREMENT,"
	" at_ms INTEGER NOT NULL,"
	" what TEXT NOT NULL,"
	" env TEXT NOT NULL,"
	" json TEXT);";

#define HIST_COLUMNS "id, at_ms, kind, name, state, prev_state, ndiffs, detail"

/* The statements prepared once at open; index into h->stmt. */
enum hist_stmt {
	HS_INSERT,
	HS_LAST_STATES,
	HS_LIST_ALL,
	HS_LIST_NAME,
	HS_PRUNE,
	HS_OUTBOX_ADD,
	HS_OUTBOX_LIST,
	HS_OUTBOX_DEL,
	HS_COUNT
};

static const char *const hist_stmt_sql[HS_COUNT] = {
	[HS_INSERT] =
	    "INSERT INTO history (at_ms, kind, name, state, prev_state, ndiffs, detail)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[HS_LAST_STATES] =
	    "SELECT " HIST_COLUMNS " FROM history WHERE id IN"
	    " (SELECT max(id) FROM history WHERE kind = ?1 GROUP BY name)"
	    " ORDER BY name",
	[HS_LIST_ALL] =
	    "SELECT " HIST_COLUMNS " FROM history ORDER BY id DESC LIMIT ?1",
	[HS_LIST_NAME] =
	    "SELECT " HIST_COLUMNS " FROM history WHERE name = ?1"
	    " ORDER BY id DESC LIMIT ?2",
	/* Rows older than the keep-th newest of their (kind, name). */
	[HS_PRUNE] =
	    "DELETE FROM history WHERE id < (SELECT h2.id FROM history h2"
	    " WHERE h2.kind = history.kind AND h2.name = history.name"
	    " ORDER BY h2.id DESC LIMIT 1 OFFSET ?1 - 1)",
	[HS_OUTBOX_ADD] =
	    "INSERT INTO outbox (at_ms, what, env, json) VALUES (?1, ?2, ?3, ?4)",
	[HS_OUTBOX_LIST] =
	    "SELECT id, at_ms, what, env, json FROM outbox ORDER BY id",
	[HS_OUTBOX_DEL] =
	    "DELETE FROM outbox WHERE id = ?1",
};

static const char *const hist_kind_names[] = {
	[HIST_TARGET] = "target",
	[HIST_GROUP] = "group",
	[HIST_APPLY] = "apply",
};
#define HIST_NKINDS ((int)(sizeof hist_kind_names / sizeof hist_kind_names[0]))

struct history {
	sqlite3		*db;
	char		*path;
	sqlite3_stmt	*stmt[HS_COUNT];
};

const char *
hist_kind_name(enum hist_kind k)
{
	if ((int)k < 0 || (int)k >= HIST_NKINDS)
		return NULL;
	return hist_kind_names[k];
}

static int
hist_kind_parse(const char *s, enum hist_kind *k)
{
	int i;

	for (i = 0; s != NULL && i < HIST_NKINDS; i++) {
		if (strcmp(s, hist_kind_names[i]) == 0) {
			*k = (enum hist_kind)i;
			return 0;
		}
	}
	return -1;
}

const char *
history_path(const struct history *h)
{
	return h->path;
}

static void
hist_set_err(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
hist_set_err(char **err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	*err = xvasprintf(fmt, ap);
	va_end(ap);
}

/* "state.db at PATH: <sqlite's message>" — the message names the file. */
static void
hist_db_err(struct history *h, char **err)
{
	hist_set_err(err, HISTORY_DB_NAME " at %s: %s", h->path, sqlite3_errmsg(h->db));
}

static int
hist_exec(struct history *h, const char *sql, char **err)
{
	if (sqlite3_exec(h->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		hist_db_err(h, err);
		return -1;
	}
	return 0;
}

/* Run a pragma returning one row; copy its first column into *out if asked. */
static int
hist_pragma(struct history *h, const char *sql, char **out, char **err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK) {
		hist_db_err(h, err);
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		hist_db_err(h, err);
		sqlite3_finalize(st);
		return -1;
	}
	if (out != NULL) {
		const unsigned char *t = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;

		*out = xstrdup(t != NULL ? (const char *)t : "");
	}
	sqlite3_finalize(st);
	return 0;
}

/*
 * Create the file ourselves so that it gets 0640 (minus the umask) rather than
 * SQLite's default 0644: the history names targets and holds difference
 * details that other local users have no business reading. SQLite gives the
 * -wal and -shm files the mode of the database file.
 */
static int
hist_create_file(const char *path, char **err)
{
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (fd == -1) {
		hist_set_err(err, HISTORY_DB_NAME " at %s: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

static int
hist_check_dir(const char *dir, char **err)
{
	struct stat sb;

	if (dir == NULL || *dir == '\0') {
		hist_set_err(err, "state directory is not set");
		return -1;
	}
	if (stat(dir, &sb) == -1) {
		hist_set_err(err, "state directory %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		hist_set_err(err, "state directory %s: not a directory", dir);
		return -1;
	}
	return 0;
}

/* WAL so that a reader (schemawatchctl history, sqlite3) never blocks our
 * writes and a write is an append; NORMAL is safe in WAL (a power cut may lose
 * the last records, never corrupt the file). */
static int
hist_set_pragmas(struct history *h, char **err)
{
	char *mode = NULL;

	if (hist_pragma(h, "PRAGMA journal_mode=WAL", &mode, err) == -1)
		return -1;
	if (strcmp(mode, "wal") != 0) {
		hist_set_err(err, HISTORY_DB_NAME " at %s: cannot switch to WAL mode (journal_mode is %s)",
		    h->path, mode);
		free(mode);
		return -1;
	}
	free(mode);
	if (hist_exec(h, "PRAGMA synchronous=NORMAL", err) == -1)
		return -1;
	return 0;
}

/* Create or check the schema, gated by PRAGMA user_version. */
static int
hist_schema(struct history *h, char **err)
{
	char *v = NULL, *sql;
	long version;

	if (hist_pragma(h, "PRAGMA user_version", &v, err) == -1)
		return -1;
	version = strtol(v, NULL, 10);
	free(v);
	if (version > HISTORY_SCHEMA_VERSION) {
		hist_set_err(err, HISTORY_DB_NAME " at %s: schema version %ld is newer than this "
		    "daemon understands (%d)", h->path, version, HISTORY_SCHEMA_VERSION);
		return -1;
	}
	if (version == HISTORY_SCHEMA_VERSION)
		return 0;
	/* Version 0: a new file (or one from before versioning); version 1:
	 * no outbox yet. IF NOT EXISTS makes the one script right for both. */
	sql = xasprintf("BEGIN IMMEDIATE; %s PRAGMA user_version = %d; COMMIT;",
	    hist_schema_sql, HISTORY_SCHEMA_VERSION);
	if (hist_exec(h, sql, err) == -1) {
		free(sql);
		sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	free(sql);
	return 0;
}

static int
hist_prepare(struct history *h, char **err)
{
	int i;

	for (i = 0; i < HS_COUNT; i++) {
		if (sqlite3_prepare_v3(h->db, hist_stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		    &h->stmt[i], NULL) != SQLITE_OK) {
			hist_db_err(h, err);
			return -1;
		}
	}
	return 0;
}

struct history *
history_open(const char *state_dir, char **err)
{
	struct history *h;

	if (hist_check_dir(state_dir, err) == -1)
		return NULL;
	h = xcalloc(1, sizeof *h);
	h->path = xasprintf("%s/%s", state_dir, HISTORY_DB_NAME);
	if (hist_create_file(h->path, err) == -1)
		goto fail;
	if (sqlite3_open_v2(h->path, &h->db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		if (h->db == NULL)
			hist_set_err(err, HISTORY_DB_NAME " at %s: out of memory", h->path);
		else
			hist_db_err(h, err);
		goto fail;
	}
	/* Never sleep on a lock in the event loop: fail now, the caller logs. */
	sqlite3_busy_timeout(h->db, 0);
	sqlite3_extended_result_codes(h->db, 1);
	/* READWRITE silently falls back to read-only on a write-protected file. */
	if (sqlite3_db_readonly(h->db, "main") == 1) {
		hist_set_err(err, HISTORY_DB_NAME " at %s: file is read-only", h->path);
		goto fail;
	}
	/* The first statements read the header: a garbage file fails here
	 * with "file is not a database". */
	if (hist_set_pragmas(h, err) == -1 || hist_schema(h, err) == -1 ||
	    hist_prepare(h, err) == -1)
		goto fail;
	return h;
fail:
	history_close(h);
	return NULL;
}

void
history_close(struct history *h)
{
	int i;

	if (h == NULL)
		return;
	for (i = 0; i < HS_COUNT; i++)
		sqlite3_finalize(h->stmt[i]);
	/* All statements are finalized, so close cannot be refused as busy;
	 * the last connection checkpoints and removes the -wal file. */
	sqlite3_close(h->db);
	free(h->path);
	free(h);
}

static void
hist_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, idx);
	else
		sqlite3_bind_text(st, idx, s, -1, SQLITE_STATIC);
}

static char *
hist_col_str(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t != NULL ? xstrdup((const char *)t) : NULL;
}

/* Finish with a kept statement: reset it (so it holds no read lock and can
 * run again) and drop bound pointers into the caller's memory. */
static void
hist_done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static int
hist_outbox_insert(struct history *h, const struct hist_outbox *o, int64_t *id, char **err)
{
	sqlite3_stmt *st = h->stmt[HS_OUTBOX_ADD];
	int rc;

	sqlite3_bind_int64(st, 1, o->at_ms != 0 ? o->at_ms : wall_ms());
	hist_bind_text(st, 2, o->what != NULL ? o->what : "an event");
	hist_bind_text(st, 3, o->env != NULL ? o->env : "");
	hist_bind_text(st, 4, o->json);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		hist_db_err(h, err);
	hist_done(st);
	if (rc == SQLITE_DONE && id != NULL)
		*id = sqlite3_last_insert_rowid(h->db);
	return rc == SQLITE_DONE ? 0 : -1;
}

int
history_record_event(struct history *h, const struct hist_entry *e,
    const struct hist_outbox *o, int64_t *outbox_id, char **err)
{
	/* One transaction: the history row and its pending alert are stored
	 * together or not at all, so an event in history was either
	 * delivered or is still in the outbox. */
	if (hist_exec(h, "BEGIN IMMEDIATE", err) == -1)
		return -1;
	if ((e != NULL && history_record(h, e, err) == -1) ||
	    (o != NULL && hist_outbox_insert(h, o, outbox_id, err) == -1)) {
		sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (hist_exec(h, "COMMIT", err) == -1) {
		sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

struct hist_outbox *
history_outbox_list(struct history *h, int *n, char **err)
{
	sqlite3_stmt *st = h->stmt[HS_OUTBOX_LIST];
	struct hist_outbox *v = NULL;
	int rc, len = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = xreallocarray(v, (size_t)len + 1, sizeof *v);
		v[len].id = sqlite3_column_int64(st, 0);
		v[len].at_ms = sqlite3_column_int64(st, 1);
		v[len].what = hist_col_str(st, 2);
		v[len].env = hist_col_str(st, 3);
		v[len].json = hist_col_str(st, 4);
		len++;
	}
	if (rc != SQLITE_DONE) {
		hist_db_err(h, err);
		hist_done(st);
		hist_outbox_free(v, len);
		return NULL;
	}
	hist_done(st);
	*n = len;
	return v != NULL ? v : xcalloc(1, sizeof *v);
}

int
history_outbox_done(struct history *h, int64_t id, char **err)
{
	sqlite3_stmt *st = h->stmt[HS_OUTBOX_DEL];
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		hist_db_err(h, err);
	hist_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

void
hist_outbox_free(struct hist_outbox *v, int n)
{
	int i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].what);
		free(v[i].env);
		free(v[i].json);
	}
	free(v);
}

int
history_record(struct history *h, const struct hist_entry *e, char **err)
{
	sqlite3_stmt *st = h->stmt[HS_INSERT];
	const char *kind = hist_kind_name(e->kind);
	int rc;

	if (kind == NULL || e->name == NULL || e->state == NULL) {
		hist_set_err(err, HISTORY_DB_NAME " at %s: history entry without %s", h->path,
		    kind == NULL ? "a valid kind" : e->name == NULL ? "a name" : "a state");
		return -1;
	}
	sqlite3_bind_int64(st, 1, e->at_ms != 0 ? e->at_ms : wall_ms());
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	hist_bind_text(st, 3, e->name);
	hist_bind_text(st, 4, e->state);
	hist_bind_text(st, 5, e->prev_state);
	sqlite3_bind_int(st, 6, e->ndiffs);
	hist_bind_text(st, 7, e->detail);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		hist_db_err(h, err);	/* before reset, which may change the message */
	hist_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Run a bound SELECT of HIST_COLUMNS and collect its rows. */
static struct hist_entry *
hist_collect(struct history *h, sqlite3_stmt *st, int *n, char **err)
{
	struct hist_entry *v, *e;
	int rc, cap = 16, len = 0;

	*n = 0;
	v = xreallocarray(NULL, cap, sizeof *v);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap *= 2;
			v = xreallocarray(v, cap, sizeof *v);
		}
		e = &v[len++];
		memset(e, 0, sizeof *e);
		e->id = sqlite3_column_int64(st, 0);
		e->at_ms = sqlite3_column_int64(st, 1);
		if (hist_kind_parse((const char *)sqlite3_column_text(st, 2), &e->kind) == -1)
			e->kind = HIST_TARGET;	/* unreachable: the CHECK constraint */
		e->name = hist_col_str(st, 3);
		e->state = hist_col_str(st, 4);
		e->prev_state = hist_col_str(st, 5);
		e->ndiffs = sqlite3_column_int(st, 6);
		e->detail = hist_col_str(st, 7);
	}
	if (rc != SQLITE_DONE) {
		hist_db_err(h, err);
		hist_done(st);
		hist_entries_free(v, len);
		return NULL;
	}
	hist_done(st);
	*n = len;
	return v;
}

struct hist_entry *
history_last_states(struct history *h, enum hist_kind kind, int *n, char **err)
{
	sqlite3_stmt *st = h->stmt[HS_LAST_STATES];
	const char *k = hist_kind_name(kind);

	*n = 0;
	if (k == NULL) {
		hist_set_err(err, HISTORY_DB_NAME " at %s: invalid history kind %d", h->path, (int)kind);
		return NULL;
	}
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	return hist_collect(h, st, n, err);
}

struct hist_entry *
history_list(struct history *h, const char *name, int limit, int *n, char **err)
{
	sqlite3_stmt *st;

	if (limit <= 0)
		limit = HISTORY_LIST_DEFAULT;
	else if (limit > HISTORY_LIST_MAX)
		limit = HISTORY_LIST_MAX;
	if (name == NULL) {
		st = h->stmt[HS_LIST_ALL];
		sqlite3_bind_int(st, 1, limit);
	} else {
		st = h->stmt[HS_LIST_NAME];
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 2, limit);
	}
	return hist_collect(h, st, n, err);
}

void
hist_entries_free(struct hist_entry *v, int n)
{
	int i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].state);
		free(v[i].prev_state);
		free(v[i].detail);
	}
	free(v);
}

int
history_prune(struct history *h, int keep_per_name, char **err)
{
	sqlite3_stmt *st = h->stmt[HS_PRUNE];
	int rc;

	if (keep_per_name < 1)
		keep_per_name = 1;
	sqlite3_bind_int(st, 1, keep_per_name);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		hist_db_err(h, err);
		hist_done(st);
		return -1;
	}
	hist_done(st);
	return sqlite3_changes(h->db);
}
