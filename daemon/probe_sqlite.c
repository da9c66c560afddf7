/* probe_sqlite.c — read a SQLite target's catalog off the loop thread.
 *
 * SQLite has no non-blocking API and sqlite3_busy_timeout() sleeps in the
 * calling thread, so each probe runs sqlcat_open_ro() + sqlcat_read_tables() in its
 * own detached worker thread (worker.c), which hands the result back to the
 * loop thread.
 *
 * The busy timeout bounds waiting for another connection's lock, but nothing
 * in SQLite bounds open(2) or read(2) themselves: a file on a hung NFS mount,
 * or a FIFO named as the database, blocks its thread for ever. So the probe
 * keeps its own deadline on the loop (a libevent timer): past open_timeout
 * while the worker is still opening, or a second past the busy timeout while
 * it is still reading, the probe abandons the worker and answers. The check
 * slot is free again; the thread may stay blocked, and frees its part of the
 * probe itself if it ever returns (worker.c's drop). The worker tells the
 * loop which step it is in through an atomic, so the reason names it.
 *
 * Kept files (keep_connections): opening a file makes SQLite parse the
 * whole schema (every CREATE text of every table), which for a database with
 * 10,000 other tables is most of a check's cost. So the read-only handle is
 * kept between checks, in a list on the loop thread; a probe takes its
 * file's handle out of the list (so only one thread ever uses it), and gives
 * it back when done. SQLite re-parses the schema itself, only when its
 * schema cookie changed. Before reuse the worker compares the file's device
 * and inode with the ones it opened: a file replaced (rename over it) or
 * removed is opened anew, so the check sees what is at the path now.
 *
 * Unchanged files: reading the definition's tables still scans
 * sqlite_master (no index on name), so it grows with the file. A kept handle
 * therefore also keeps the catalog it read last, with the file's
 * schema_version (the cookie SQLite itself trusts to know its parsed schema
 * is current) and data_version (which changes when another connection
 * commits). A check first reads both in a read transaction: the same
 * schema_version means the same schema, so the kept catalog is handed out
 * again (a copy: results own their catalog) and only the version table is
 * re-read, and only when the data changed. Anything else is a full read in
 * the same transaction, so the catalog kept is never older than the cookie
 * recorded with it. Counted per target (schemawatchd_target_catalog_reads_total,
 * ..._catalog_reuses_total).
 *
 * Lifetime: once cancelled or timed out, the probe is freed by worker.c's
 * drop, on the worker thread if it still runs, so the loop never waits for a
 * worker stuck behind a locked database or a hung file system. */
#include "config.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "probe.h"
#include "probe_int.h"
#include "sqlcat.h"
#include "util.h"
#include "worker.h"

/* How long past its busy timeout a read may still run before the loop gives
 * up on it: SQLite's own "database is locked" answer comes first. */
#define PSQ_READ_GRACE_MS	1000
/* With no deadline for the current step, look again this often. */
#define PSQ_RECHECK_MS		1000

/* Where the worker is; written by it, read by the deadline timer. */
enum psq_step {
	PSQ_OPENING,
	PSQ_READING,
	PSQ_FINISHED,
};

/* A kept read-only handle, and the file it is open on. */
struct psq_kept {
	struct psq_kept	*next;
	char		*path;
	sqlite3		*db;
	dev_t		 dev;
	ino_t		 ino;
	/* The last full read through this handle (cat NULL: none yet): what
	 * was asked (psq_what_key), what was read, and the file's cookies. */
	char		*what;
	struct catalog	*cat;
	struct cat_version ver;
	int64_t		 schema_ver;
	int64_t		 data_ver;
};

/* Handles not in use by a probe: loop thread only. */
static struct psq_kept	*psq_kept_list;

struct probe_sqlite {
	struct probe		 base;		/* first: probe_cancel() casts */
	struct worker		*w;		/* the job, until done, timed out or cancelled */
	struct event		*deadline;	/* the loop's timer, or NULL */
	probe_done_cb		 cb;
	void			*arg;

	/* The worker's: read-only once started, the rest written by it. */
	char			*path;
	struct probe_sqlite_opts opts;
	struct cat_strv		 tables;	/* what the definition names */
	struct cat_strv		 objects;
	struct cat_want		 want;		/* of tables and objects */
	char			*version_table;	/* NULL: not read */
	int64_t			 started_ms;
	atomic_int		 step;		/* enum psq_step */
	_Atomic int64_t		 read_started_ms;
	struct probe_result	*res;
	struct psq_kept		*kept;		/* owned by the probe while it runs */
};

/* The tables the definition names. */
static struct catalog *
psq_read_default(sqlite3 *db, const struct cat_want *want, const char *version_table,
    struct cat_version *ver, char **err)
{
	return sqlcat_read_want(db, want, version_table, ver, err);
}

probe_sqlite_read_fn probe_sqlite_read = psq_read_default;

static struct probe_result *
result_new(enum probe_status st, char *error, struct catalog *cat, int64_t started_ms)
{
	struct probe_result *r = xcalloc(1, sizeof *r);

	r->status = st;
	r->error = error;
	r->cat = cat;
	r->round_trips = 0;	/* no network: nothing to count */
	r->duration_ms = now_ms() - started_ms;
	return r;
}

/* "5 s" for whole seconds (as connect_timeout is usually written), else "250 ms". */
static char *
psq_duration(int64_t ms)
{
	if (ms % 1000 == 0)
		return xasprintf("%lld s", (long long)(ms / 1000));
	return xasprintf("%lld ms", (long long)ms);
}

static void
psq_kept_forget(struct psq_kept *k)
{
	cat_free(k->cat);
	k->cat = NULL;
	cat_version_free(&k->ver);
	free(k->what);
	k->what = NULL;
}

static void
psq_kept_free(struct psq_kept *k)
{
	if (k == NULL)
		return;
	psq_kept_forget(k);
	sqlite3_close(k->db);
	free(k->path);
	free(k);
}

/* Worker thread: the kept handle when it is still open on the file at the
 * path, else a new one (kept when the probe keeps files). */
static int
psq_open(struct probe_sqlite *p, sqlite3 **db, char **err)
{
	struct psq_kept *k = p->kept;
	struct stat st;
	int rc;

	if (k != NULL && stat(p->path, &st) == 0 && st.st_dev == k->dev &&
	    st.st_ino == k->ino) {
		*db = k->db;
		return SQLITE_OK;
	}
	/* Replaced, removed, or never opened. */
	psq_kept_free(k);
	p->kept = NULL;
	if ((rc = sqlcat_open_ro(p->path, db, err)) != SQLITE_OK)
		return rc;
	/* The inode of the file just opened (a race with a rename in between
	 * costs one more open at the next check, nothing more). */
	if (p->opts.keep && stat(p->path, &st) == 0) {
		k = p->kept = xcalloc(1, sizeof *k);
		k->path = xstrdup(p->path);
		k->db = *db;
		k->dev = st.st_dev;
		k->ino = st.st_ino;
	}
	return SQLITE_OK;
}

/* ---- unchanged files ----------------------------------------------------- */

/* The tables and version table asked for, as one string: a kept catalog
 * serves only a probe that asks for the same (a reload may change the
 * definition). Unit separators cannot be in a table name read from YAML. */
static char *
psq_what_key(const struct probe_sqlite *p)
{
	struct sbuf sb;
	int i;

	sbuf_init(&sb);
	sbuf_add(&sb, p->version_table != NULL ? p->version_table : "");
	for (i = 0; i < p->tables.n; i++)
		sbuf_printf(&sb, "\x1f%s", p->tables.v[i]);
	sbuf_add(&sb, p->want.all ? "\x1e*" : "\x1e");
	for (i = 0; i < p->objects.n; i++)
		sbuf_printf(&sb, "\x1f%s", p->objects.v[i]);
	return sbuf_steal(&sb);
}

/* One integer pragma; false on failure. */
static bool
psq_pragma(sqlite3 *db, const char *sql, int64_t *v)
{
	sqlite3_stmt *st;
	bool ok;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return false;
	ok = sqlite3_step(st) == SQLITE_ROW;
	if (ok)
		*v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return ok;
}

static void
psq_version_copy(struct cat_version *to, const struct cat_version *from)
{
	*to = *from;
	to->row = from->row != NULL ? xstrdup(from->row) : NULL;
}

/* Inside the read transaction, the schema cookie unchanged: the kept
 * catalog, and the version row read again only when the data changed. */
static struct catalog *
psq_reuse(struct probe_sqlite *p, sqlite3 *db, int64_t data_ver, struct cat_version *ver,
    char **err)
{
	struct psq_kept *k = p->kept;

	if (p->version_table != NULL && data_ver != k->data_ver) {
		if (!sqlcat_read_version(db, p->version_table, ver, err))
			return NULL;
		cat_version_free(&k->ver);
		psq_version_copy(&k->ver, ver);
		k->data_ver = data_ver;
	} else
		psq_version_copy(ver, &k->ver);
	return cat_dup(k->cat);
}

/* Worker thread, a kept handle: the catalog, re-read only when the schema
 * cookie changed since the last full read (see the top). */
static struct catalog *
psq_read_kept(struct probe_sqlite *p, sqlite3 *db, struct cat_version *ver, char **err,
    bool *reused)
{
	struct psq_kept *k = p->kept;
	struct catalog *cat;
	int64_t sv, dv;
	char *what = psq_what_key(p);

	*reused = false;
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    !psq_pragma(db, "PRAGMA schema_version", &sv) ||
	    !psq_pragma(db, "PRAGMA data_version", &dv)) {
		/* Let the full read say what is wrong, in its own words. */
		if (!sqlite3_get_autocommit(db))
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		psq_kept_forget(k);
		free(what);
		return probe_sqlite_read(db, &p->want, p->version_table, ver, err);
	}
	if (k->cat != NULL && sv == k->schema_ver && strcmp(k->what, what) == 0) {
		cat = psq_reuse(p, db, dv, ver, err);
		*reused = cat != NULL;
	} else {
		psq_kept_forget(k);
		cat = probe_sqlite_read(db, &p->want, p->version_table, ver, err);
		if (cat != NULL) {
			k->cat = cat_dup(cat);
			psq_version_copy(&k->ver, ver);
			k->what = what;
			what = NULL;
			k->schema_ver = sv;
			k->data_ver = dv;
		}
	}
	free(what);
	if (sqlite3_exec(db, cat != NULL ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK &&
	    !sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return cat;
}

/* Worker thread: the whole probe, synchronous. */
static void
psq_work(struct worker *w, void *arg)
{
	struct probe_sqlite *p = arg;
	int64_t busy = p->opts.busy_timeout_ms;
	struct catalog *cat;
	struct cat_version ver = { false, false, NULL };
	sqlite3 *db;
	char *err = NULL;
	bool reused = false;
	int rc;

	rc = psq_open(p, &db, &err);
	atomic_store(&p->read_started_ms, now_ms());
	atomic_store(&p->step, PSQ_READING);
	if (rc != SQLITE_OK)
		p->res = result_new(PROBE_UNREACHABLE, err, NULL, p->started_ms);
	else if (worker_abandoned(w)) {
		if (p->kept == NULL)
			sqlite3_close(db);	/* timed out or cancelled: read nothing */
	} else {
		if (busy > 0)
			sqlite3_busy_timeout(db, busy > INT32_MAX ? INT32_MAX : (int)busy);
		if (p->kept != NULL) {
			cat = psq_read_kept(p, db, &ver, &err, &reused);
			/* The pages read stay cached in the handle otherwise, times
			 * every kept file; the next read, if any, finds them in the
			 * OS's cache. */
			sqlite3_db_release_memory(db);
		} else {
			cat = probe_sqlite_read(db, &p->want, p->version_table, &ver, &err);
			sqlite3_close(db);
		}
		p->res = cat != NULL ? result_new(PROBE_OK, NULL, cat, p->started_ms) :
		    result_new(PROBE_ERROR, err, NULL, p->started_ms);
		p->res->version = ver;
		p->res->cat_reused = reused;
	}
	atomic_store(&p->step, PSQ_FINISHED);
}

static void
psq_free(void *arg)
{
	struct probe_sqlite *p = arg;

	if (p->res != NULL)
		probe_result_free(p->res);
	psq_kept_free(p->kept);
	free(p->path);
	cat_strv_free(&p->tables);
	cat_strv_free(&p->objects);
	free(p->version_table);
	free(p);
}

/* Loop thread: give the handle back for the next check, unless a read
 * transaction was left open (it would hold back the writers' checkpoints) or
 * another probe of the same file gave one back meanwhile. */
static void
psq_kept_put(struct probe_sqlite *p)
{
	struct psq_kept *k = p->kept, *o;

	if (k == NULL)
		return;
	p->kept = NULL;
	if (!sqlite3_get_autocommit(k->db)) {
		psq_kept_free(k);
		return;
	}
	for (o = psq_kept_list; o != NULL; o = o->next)
		if (strcmp(o->path, k->path) == 0) {
			psq_kept_free(k);
			return;
		}
	k->next = psq_kept_list;
	psq_kept_list = k;
}

/* Loop thread: take this file's kept handle out of the list. */
static struct psq_kept *
psq_kept_take(const char *path)
{
	struct psq_kept **pp, *k;

	for (pp = &psq_kept_list; (k = *pp) != NULL; pp = &k->next)
		if (strcmp(k->path, path) == 0) {
			*pp = k->next;
			k->next = NULL;
			return k;
		}
	return NULL;
}

void
psq_close_kept(void)
{
	struct psq_kept *k;

	while ((k = psq_kept_list) != NULL) {
		psq_kept_list = k->next;
		psq_kept_free(k);
	}
}

/* Loop thread: the worker has finished, or (error) none could start. */
static void
psq_done(void *arg, const char *error)
{
	struct probe_sqlite *p = arg;
	struct probe_result *res = p->res;
	probe_done_cb cb = p->cb;
	void *cbarg = p->arg;

	if (error != NULL)
		res = result_new(PROBE_ERROR, xstrdup(error), NULL, p->started_ms);
	p->res = NULL;
	psq_kept_put(p);
	if (p->deadline != NULL)
		event_free(p->deadline);
	psq_free(p);
	cb(res, cbarg);
}

/* Loop thread: stop waiting for the worker and answer r now. */
static void
psq_give_up(struct probe_sqlite *p, struct probe_result *r)
{
	probe_done_cb cb = p->cb;
	void *cbarg = p->arg;

	event_free(p->deadline);
	p->deadline = NULL;
	worker_abandon(p->w);	/* frees p, now or when the worker returns */
	cb(r, cbarg);
}

static void
psq_arm(struct probe_sqlite *p, int64_t ms)
{
	struct timeval tv = { (time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000 };

	if (evtimer_add(p->deadline, &tv) < 0)
		abort();	/* libevent could not add a timer: out of memory */
}

/* Loop thread: is the step the worker is in past its deadline? The worker
 * may move on at any moment: whatever step is read here, the answer fits. */
static void
psq_deadline_cb(evutil_socket_t fd, short what, void *arg)
{
	struct probe_sqlite *p = arg;
	int step = atomic_load(&p->step);
	int64_t at = 0, now = now_ms();
	char *d;

	(void)fd;
	(void)what;
	if (step == PSQ_OPENING && p->opts.open_timeout_ms > 0)
		at = p->started_ms + p->opts.open_timeout_ms;
	else if (step == PSQ_READING && p->opts.busy_timeout_ms > 0)
		at = atomic_load(&p->read_started_ms) + p->opts.busy_timeout_ms +
		    PSQ_READ_GRACE_MS;
	if (step == PSQ_FINISHED)
		return;		/* its answer is in the pipe already */
	if (at == 0 || at > now) {
		psq_arm(p, at == 0 ? PSQ_RECHECK_MS : at - now);
		return;
	}
	if (step == PSQ_OPENING) {
		d = psq_duration(p->opts.open_timeout_ms);
		psq_give_up(p, result_new(PROBE_UNREACHABLE,
		    xasprintf("timed out opening %s after %s", p->path, d), NULL, p->started_ms));
	} else {
		d = psq_duration(p->opts.busy_timeout_ms + PSQ_READ_GRACE_MS);
		psq_give_up(p, result_new(PROBE_ERROR,
		    xasprintf("timed out reading %s after %s", p->path, d), NULL, p->started_ms));
	}
	free(d);
}

static void
psq_cancel(struct probe *base)
{
	struct probe_sqlite *p = (struct probe_sqlite *)base;

	if (p->deadline != NULL)
		event_free(p->deadline);
	p->deadline = NULL;
	worker_abandon(p->w);	/* frees p now or when the worker returns */
}

struct probe *
probe_sqlite_start_opts(struct event_base *base, const char *path,
    const struct probe_sqlite_opts *opts, probe_done_cb cb, void *arg)
{
	struct probe_sqlite *p = xcalloc(1, sizeof *p);
	int64_t first;

	p->base.kind = PROBE_KIND_SQLITE;
	p->base.cancel = psq_cancel;
	p->cb = cb;
	p->arg = arg;
	p->path = xstrdup(path);
	p->opts = *opts;
	/* Copies: the worker may outlive the definition (a reload frees it). */
	for (int i = 0; opts->what.tables != NULL && i < opts->what.tables->n; i++)
		cat_strv_add(&p->tables, opts->what.tables->v[i]);
	for (int i = 0; opts->what.objects != NULL && i < opts->what.objects->n; i++)
		cat_strv_add(&p->objects, opts->what.objects->v[i]);
	p->want.tables = &p->tables;
	p->want.objects = &p->objects;
	p->want.all = opts->what.all;
	p->opts.what.objects = NULL;
	if (opts->what.version_table != NULL)
		p->version_table = xstrdup(opts->what.version_table);
	p->want.except_table = p->version_table;	/* data, not schema */
	p->opts.what.tables = NULL;
	p->opts.what.version_table = NULL;
	p->started_ms = now_ms();
	if (opts->keep)
		p->kept = psq_kept_take(path);
	atomic_init(&p->step, PSQ_OPENING);
	atomic_init(&p->read_started_ms, 0);
	/* The first look comes when the open would be late; without an open
	 * deadline, when a read would be. */
	first = opts->open_timeout_ms > 0 ? opts->open_timeout_ms :
	    opts->busy_timeout_ms > 0 ? opts->busy_timeout_ms + PSQ_READ_GRACE_MS : 0;
	if (first > 0) {
		if ((p->deadline = evtimer_new(base, psq_deadline_cb, p)) == NULL)
			abort();	/* out of memory */
		psq_arm(p, first);
	}
	p->w = worker_start(base, psq_work, psq_done, psq_free, p);
	return &p->base;
}

struct probe *
probe_sqlite_start(struct event_base *base, const char *path, int64_t timeout_ms,
    probe_done_cb cb, void *arg)
{
	struct probe_sqlite_opts o = { .open_timeout_ms = timeout_ms,
	    .busy_timeout_ms = timeout_ms };

	return probe_sqlite_start_opts(base, path, &o, cb, arg);
}
