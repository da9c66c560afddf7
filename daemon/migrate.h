/* migrate.h — apply a definition's chain (upgrade or downgrade) to one target.
 *
 * One engine for both dialects, used three ways: `schemawatchd --apply`
 * (migrate_cli, blocking), `schemawatchctl apply` and auto_apply (the daemon,
 * through migrate_start: a worker thread, the result delivered on the loop).
 *
 * An apply walks the target's definition (definition.h) from the revision
 * the target is exactly at to the one asked for, step by step, every step
 * in the one transaction of the apply:
 *   PostgreSQL  BEGIN; SET LOCAL lock_timeout / statement_timeout;
 *               pg_try_advisory_xact_lock(MIGRATE_ADVISORY_KEY) (refused at once
 *               when another applier holds it, never waited on);
 *               introspect and judge against the chain (the target must be
 *               exactly at a revision, its version row agreeing); for each
 *               step its SQL file, one statement at a time, then introspect
 *               and verify that the schema is now exactly that step's
 *               compiled catalog; the version row; introspect again; COMMIT
 *               only when the target is exactly the revision asked for, else
 *               ROLLBACK.
 *   SQLite      PRAGMA foreign_keys = ON; busy timeout = apply_lock_timeout;
 *               BEGIN IMMEDIATE; the same steps; COMMIT or ROLLBACK.
 * A process killed at any point leaves the target wholly before or wholly
 * after: the transaction is either committed or it never was.
 *
 * Where to: an upgrade goes to `--to` or else the target's expected revision;
 * a downgrade goes to `--to` (`base`: before the first revision) or else to
 * the expected revision when the target is ahead of it, one step down when it
 * is at or behind it. An upgrade never goes down and a downgrade never up.
 *
 * A dry run judges the state inside a transaction that is rolled back and
 * returns the plan (every step's statements and the version change); it never
 * runs the DDL and changes nothing. */
#ifndef SW_MIGRATE_H
#define SW_MIGRATE_H

#include <stdbool.h>
#include <stdint.h>
#include <event2/event.h>
#include <jansson.h>

#include "cfg.h"
#include "compare.h"
#include "state.h"

/* The pg_advisory_xact_lock key every schemawatchd applier takes: the ASCII
 * bytes of "schemaV7" read as a big-endian 64-bit integer (0x736368656d615637).
 * Fixed forever: two daemons (or a daemon and `schemawatchd --apply`) on two
 * hosts exclude each other only because they agree on it. Other tools that
 * want to stay out of the way of an apply can take the same key. */
#define MIGRATE_ADVISORY_KEY		8314604121892148791LL
#define MIGRATE_ADVISORY_KEY_TEXT	"8314604121892148791"

/* The application_name of the applier's PostgreSQL session (pg_stat_activity). */
#define MIGRATE_APPLICATION_NAME	"schemawatchd-apply"

enum migrate_outcome {
	MIGRATE_APPLIED,	/* committed: the target is in the intended state */
	MIGRATE_DRY_RUN,	/* dry run: the state allows it, nothing changed */
	MIGRATE_REFUSED,	/* wrong state (drift, ...): nothing changed */
	MIGRATE_FAILED,		/* could not connect, lock busy / timeout, SQL error,
				   or verification failed: rolled back */
};

/* Exit statuses of `schemawatchd --apply`. */
enum {
	MIGRATE_EXIT_OK = 0,		/* applied, or dry run ok */
	MIGRATE_EXIT_REFUSED = 1,	/* wrong state */
	MIGRATE_EXIT_FAILED = 2,	/* error; also an unknown target */
};

struct migrate_req {
	const struct config	*cfg;
	const struct cfg_target	*t;
	bool			 downgrade;
	bool			 dry_run;
	bool			 force;		/* a downgrade may drop tables holding rows */
	const char		*to;		/* --to REVISION; NULL: see above */
};

/* --to's name for "before the first revision" (Alembic's). */
#define MIGRATE_TO_BASE		"base"

struct migrate_result {
	enum migrate_outcome	 outcome;
	bool			 applied;	/* outcome == MIGRATE_APPLIED */
	bool			 downgrade;
	bool			 dry_run;
	char			*target;	/* its name */
	enum tgt_state		 before;	/* found inside the transaction; ST_UNKNOWN
						   when it was never read */
	enum tgt_state		 after;		/* after COMMIT, or == before after ROLLBACK */
	char			*error;		/* why refused / failed; one line, no password */
	struct diff_list	 diffs;		/* why refused or why not verified */
	char			*plan;		/* the statements and the version change */
	int64_t			 duration_ms;
	bool			 nothing_to_do;	/* an upgrade of a target already at the
						   revision: outcome APPLIED, nothing changed */
	int64_t			 rows_dropped;	/* a downgrade: rows in the tables it drops */
	char			*from_rev;	/* the revision found, "(none)" before the
						   chain; NULL when never read */
	char			*to_rev;	/* the revision asked for, "(none)" = base;
						   NULL when not resolved */
	int			 steps;		/* steps of the walk (run, or planned) */
};

/* Run one apply synchronously (blocks: never on the loop thread). Fills *res
 * (free its contents with migrate_result_clear) and returns its exit status
 * (MIGRATE_EXIT_*). */
int		 migrate_run(const struct migrate_req *, struct migrate_result *res);
void		 migrate_result_clear(struct migrate_result *);
/* clear + free, for results delivered by migrate_start. */
void		 migrate_result_free(struct migrate_result *);
int		 migrate_exit_status(const struct migrate_result *);

/* "applied", "dry-run", "refused", "failed". */
const char	*migrate_outcome_name(enum migrate_outcome);
/* "upgrade" / "downgrade". */
const char	*migrate_action_name(bool downgrade);
/* The history state of an apply: "upgrade-ok", "upgrade-refused",
 * "upgrade-failed", "downgrade-ok", ..., "upgrade-dry-run". Static string. */
const char	*migrate_history_state(const struct migrate_result *);
/* {"target","action","dry_run","applied","outcome","before","after",
 *  "from"?,"to"?,"steps","duration_ms","plan"? (with_plan),"error"?,
 *  "differences":[...]} */
json_t		*migrate_result_json(const struct migrate_result *, bool with_plan);
/* Log the outcome with LOGEV_MIGRATION_APPLIED / LOGEV_MIGRATION_FAILED (a
 * dry run at LOG_INFO without an event). `how` says who asked
 * ("on request", "automatically", ...) or is NULL. */
void		 migrate_log(const struct migrate_result *, const char *how);

/* Asynchronous: run migrate_run in a worker thread; `done` runs on the loop
 * thread, never from inside migrate_start, and owns the result
 * (migrate_result_free). Everything needed from req is copied: the
 * configuration may be replaced by a reload meanwhile. */
typedef void (*migrate_done_cb)(struct migrate_result *, void *arg);
struct migrate_job;
struct migrate_job *migrate_start(struct event_base *, const struct migrate_req *,
		    migrate_done_cb done, void *arg);
/* Stop waiting for a job: its callback will not run. The worker is not
 * interrupted (it finishes or rolls back its transaction by itself, bounded by
 * the timeouts); it frees itself. */
void		 migrate_abandon(struct migrate_job *);

/* `schemawatchd [-c FILE] --apply TARGET [--to REV] [--downgrade] [--dry-run]
 * [--force] [--json]`: log to stderr, print the outcome (and the plan of a dry
 * run) on stdout, return the exit status. */
int		 migrate_cli(const struct config *, const char *target,
		    const struct migrate_req *opts, bool json);

#endif
